import { may, type Permission, type StaffRole } from "./auth/roles";

/**
 * The screens that exist. An entry appears in the sidebar only for roles that may use it. The overview has no
 * permission of its own: every signed-in role has it, and each of its widgets is decided by the role matrix
 * (lib/overview/widgets.ts, docs/decisions/0045).
 */
export const screens = [
  { href: "/", label: "Overview", icon: "layout-dashboard", permission: null },
  { href: "/travelers", label: "Travelers", icon: "plane", permission: "travelers.search" },
  { href: "/bookings", label: "Bookings", icon: "ticket", permission: "bookings.view" },
  { href: "/campaigns", label: "Campaigns", icon: "megaphone", permission: "campaigns.run" },
  { href: "/promo-codes", label: "Promo codes", icon: "ticket-percent", permission: "promoCodes.view" },
  { href: "/catalog", label: "Catalog", icon: "globe", permission: "catalog.view" },
  { href: "/webhooks", label: "Webhooks", icon: "webhook", permission: "webhooks.view" },
  { href: "/instructions", label: "Instructions", icon: "book-open", permission: "instructions.preview" },
  { href: "/staff", label: "Staff", icon: "users", permission: "staff.manage" },
  { href: "/audit", label: "Audit log", icon: "scroll-text", permission: "audit.read" },
  { href: "/api-log", label: "Hubby API log", icon: "activity", permission: "apiLog.read" },
  { href: "/jobs", label: "Jobs", icon: "activity", permission: "jobs.manage" },
  { href: "/alerts", label: "Alerts", icon: "bell", permission: "alerts.view" },
  { href: "/alerts/rules", label: "Alert rules", icon: "bell-cog", permission: "alerts.manage" },
  { href: "/forwarding", label: "Forwarding", icon: "webhook", permission: "forwarding.manage" },
  { href: "/retention", label: "Retention", icon: "archive", permission: "retention.view" },
  { href: "/account", label: "My account", icon: "user-cog", permission: "account.manage" },
] as const satisfies readonly { href: string; label: string; icon: string; permission: Permission | null }[];

export type Screen = (typeof screens)[number];

export function screensFor(role: StaffRole): Screen[] {
  return screens.filter((screen) => screen.permission === null || may({ role }, screen.permission));
}

/** Where signing in leads a role: the overview, every role's home. */
export function homeFor(role: StaffRole): string {
  return screensFor(role)[0]?.href ?? "/";
}
