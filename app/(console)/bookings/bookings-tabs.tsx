import Link from "next/link";

/** The two views of bookings: the console's own ledger, and everything Hubby holds. */
export function BookingsTabs({ current }: { current: "console" | "hubby" }) {
  const tab = (key: "console" | "hubby", href: string, label: string) => (
    <Link
      href={href}
      aria-current={current === key ? "page" : undefined}
      className={
        current === key
          ? "border-b-2 border-foreground px-1 pb-1 font-semibold"
          : "px-1 pb-1 text-muted-foreground hover:text-foreground"
      }
    >
      {label}
    </Link>
  );
  return (
    <nav aria-label="Bookings views" className="flex gap-4 border-b text-sm">
      {tab("console", "/bookings", "Issued from the console")}
      {tab("hubby", "/bookings/hubby", "All bookings at Hubby")}
    </nav>
  );
}
