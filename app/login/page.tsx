import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getCurrentStaff } from "@/lib/auth/staff";
import { hubbyEnvironment } from "@/lib/env";
import { homeFor } from "@/lib/navigation";
import { EnvironmentBadge } from "@/components/shell/environment-badge";
import { LoginForm } from "./login-form";

export const metadata: Metadata = { title: "Sign in" };

const reasons: Record<string, string> = {
  "signed-out": "Please sign in to continue. If you were signed in, your session has ended.",
};

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[]>>;
}) {
  const staff = await getCurrentStaff();
  if (staff) redirect(homeFor(staff.role));
  const params = await searchParams;
  const reason = typeof params.reason === "string" ? reasons[params.reason] : undefined;
  const callbackUrl =
    typeof params.callbackUrl === "string" && params.callbackUrl.startsWith("/") && !params.callbackUrl.startsWith("//")
      ? params.callbackUrl
      : "/";
  return (
    <main className="flex min-h-screen items-center justify-center p-4">
      <div className="w-full max-w-sm rounded-lg border border-border bg-card p-6 shadow-sm">
        <div className="mb-6 flex items-center justify-between">
          <h1 className="text-lg font-semibold">Hubby partner console</h1>
          <EnvironmentBadge environment={hubbyEnvironment()} />
        </div>
        {reason && <p className="mb-4 rounded-md bg-muted p-3 text-sm">{reason}</p>}
        <LoginForm callbackUrl={callbackUrl} />
      </div>
    </main>
  );
}
