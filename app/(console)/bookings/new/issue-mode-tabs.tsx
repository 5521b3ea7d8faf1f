import Link from "next/link";
import { cn } from "@/lib/utils";

/** What /bookings/new issues: packages for travelers, or promo codes (`?mode=promo`, no traveler). */
export function IssueModeTabs({ current }: { current: "travelers" | "promo" }) {
  const tabs = [
    { mode: "travelers", href: "/bookings/new", label: "For travelers" },
    { mode: "promo", href: "/bookings/new?mode=promo", label: "Promo codes (no traveler)" },
  ] as const;
  return (
    <nav aria-label="What to issue" className="flex gap-2 text-sm">
      {tabs.map((tab) => (
        <Link
          key={tab.mode}
          href={tab.href}
          aria-current={tab.mode === current ? "page" : undefined}
          className={cn(
            "rounded-full border px-3 py-1",
            tab.mode === current ? "border-primary bg-primary text-primary-foreground" : "border-border hover:bg-muted",
          )}
        >
          {tab.label}
        </Link>
      ))}
    </nav>
  );
}
