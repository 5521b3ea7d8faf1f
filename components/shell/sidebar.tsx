"use client";
import { IntentLink } from "@/components/list/intent-link";
import { usePathname } from "next/navigation";
import {
  Activity,
  Archive,
  Bell,
  BellRing,
  BookOpen,
  Globe,
  LayoutDashboard,
  Megaphone,
  Plane,
  ScrollText,
  Ticket,
  TicketPercent,
  UserCog,
  Users,
  Webhook,
  type LucideIcon,
} from "lucide-react";
import type { Screen } from "@/lib/navigation";
import { cn } from "@/lib/utils";

const icons: Record<Screen["icon"], LucideIcon> = {
  "layout-dashboard": LayoutDashboard,
  plane: Plane,
  ticket: Ticket,
  globe: Globe,
  megaphone: Megaphone,
  "ticket-percent": TicketPercent,
  webhook: Webhook,
  "book-open": BookOpen,
  users: Users,
  "scroll-text": ScrollText,
  activity: Activity,
  "user-cog": UserCog,
  bell: Bell,
  "bell-cog": BellRing,
  archive: Archive,
};

/**
 * The screens of the role. Each link prefetches on intent (pointer over, focus, touch), not on load: fifteen
 * screens prefetched on every page were thirty requests per view (decision 0055).
 */
export function Sidebar({ screens }: { screens: Pick<Screen, "href" | "label" | "icon">[] }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" className="flex flex-col gap-1 p-3">
      {screens.map((screen) => {
        const Icon = icons[screen.icon];
        const active = pathname === screen.href || pathname.startsWith(`${screen.href}/`);
        return (
          <IntentLink
            key={screen.href}
            href={screen.href}
            aria-current={active ? "page" : undefined}
            className={cn(
              "flex items-center gap-2 rounded-md px-3 py-2 text-sm hover:bg-muted",
              active && "bg-muted font-semibold",
            )}
          >
            <Icon className="h-4 w-4" aria-hidden />
            {screen.label}
          </IntentLink>
        );
      })}
    </nav>
  );
}
