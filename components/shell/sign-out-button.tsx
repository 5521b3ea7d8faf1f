"use client";
import { LogOut } from "lucide-react";
import { Button } from "@/components/ui/button";

export function SignOutButton() {
  return (
    <Button
      variant="ghost"
      size="sm"
      // next-auth's client loads on the click: no page needs it before (decision 0055).
      onClick={async () => (await import("next-auth/react")).signOut({ callbackUrl: "/login" })}
    >
      <LogOut className="h-4 w-4" aria-hidden />
      Sign out
    </Button>
  );
}
