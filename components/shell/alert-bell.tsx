"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useState } from "react";
import { Bell } from "lucide-react";

const POLL_MS = 15_000;

/**
 * The header's bell: open incidents opened since this staff member last opened the Alerts page. Rendered with the
 * server's count, then asked again every 15 seconds and on every navigation (the layout is not re-rendered then).
 */
export function AlertBell({ initialUnread }: { initialUnread: number }) {
  const [unread, setUnread] = useState(initialUnread);
  // A server refresh (after an action) renders the layout again with a fresh count: take it.
  const [rendered, setRendered] = useState(initialUnread);
  if (rendered !== initialUnread) {
    setRendered(initialUnread);
    setUnread(initialUnread);
  }
  const pathname = usePathname();
  useEffect(() => {
    let stopped = false;
    const read = async () => {
      try {
        const response = await fetch("/api/alerts/unread", { cache: "no-store" });
        if (!response.ok) return;
        const body = (await response.json()) as { unread?: unknown };
        if (!stopped && typeof body.unread === "number") setUnread(body.unread);
      } catch {
        // Offline or restarting: the next poll tries again.
      }
    };
    void read();
    const timer = setInterval(read, POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [pathname]);
  // The Alerts page marks everything it lists as seen.
  const shown = pathname === "/alerts" ? 0 : unread;
  const label = shown === 0 ? "Alerts: nothing new" : `Alerts: ${shown} new`;
  return (
    <Link
      href="/alerts"
      aria-label={label}
      title={label}
      data-testid="alert-bell"
      className="relative inline-flex h-8 w-8 items-center justify-center rounded-md hover:bg-muted"
    >
      <Bell className="h-4 w-4" aria-hidden />
      {shown > 0 && (
        <span
          data-testid="alert-bell-count"
          className="absolute -right-1 -top-1 min-w-4 rounded-full bg-red-600 px-1 text-center text-[10px] font-semibold leading-4 text-white"
        >
          {shown > 99 ? "99+" : shown}
        </span>
      )}
    </Link>
  );
}
