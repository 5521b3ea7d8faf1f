/**
 * The role matrix: the one place that says which role may do what, including the rules that depend on the thing
 * acted on. Pure, so the sidebar (client), pages, actions and domain code read the same table through `may()`.
 */
export const staffRoles = ["admin", "campaign_manager", "support"] as const;
export type StaffRole = (typeof staffRoles)[number];

export const roleLabels: Record<StaffRole, string> = {
  admin: "Admin",
  campaign_manager: "Campaign manager",
  support: "Support",
};

const everyone = ["admin", "campaign_manager", "support"] as const;
const issuers = ["admin", "campaign_manager"] as const;

export const permissions = {
  "travelers.search": everyone,
  "travelers.views": everyone,
  // A saved view is deleted by its owner; an admin may delete any (see targetRules).
  "travelers.views.delete": everyone,
  "travelers.redeem": everyone,
  "bookings.topUp": everyone,
  "bookings.issue": issuers,
  // Reconcile, retry, send once, mark issued on an existing booking: support only on top-ups (see targetRules).
  "bookings.act": everyone,
  "bookings.view": everyone,
  "bookings.settings": ["admin"],
  "catalog.view": everyone,
  "campaigns.run": issuers,
  // Support looks a code up for a traveler; issuing and exporting codes (bearer vouchers) is for those who issue.
  "promoCodes.view": everyone,
  "promoCodes.issue": issuers,
  "promoCodes.export": issuers,
  "webhooks.view": everyone,
  "instructions.preview": everyone,
  "webhooks.replay": ["admin"],
  "webhooks.reconcile": ["admin"],
  "staff.manage": ["admin"],
  "audit.read": ["admin"],
  "apiLog.read": ["admin"],
  "jobs.manage": ["admin"],
  // Endpoints receive every traveler's events and their secrets sign them: admins only.
  "forwarding.manage": ["admin"],
  "account.manage": everyone,
  // Incidents a role may act on (each rule names the permission of the screen it links to); acknowledging is
  // saying "I am on it", open to everyone who sees the incident.
  "alerts.view": everyone,
  "alerts.manage": ["admin"],
  // A traveler's personal data (docs/guide.md, "Personal data"): the full export, erasure, the legal hold and the
  // retention setting are for admins. Support answers a ticket from the traveler page; a data request goes to an admin.
  "privacy.export": ["admin"],
  "privacy.manage": ["admin"],
  // How long webhooks, the API log and the audit log are kept, and where expired months are archived: admins only.
  "retention.view": ["admin"],
  "retention.manage": ["admin"],
} as const satisfies Record<string, readonly StaffRole[]>;

export type Permission = keyof typeof permissions;

/** Who asks: the role decides, the id answers ownership rules. */
export type Asker = { role: StaffRole; id?: string };

/**
 * Permissions whose answer depends on the target (plain data the caller loads). A role in `always` may act on any
 * target; any other role holding the permission only on targets `allows` accepts.
 */
const targetRules = {
  "travelers.views.delete": {
    always: ["admin"],
    refusal: "Only the staff member who saved this view, or an admin, can delete it.",
    allows: (asker: Asker, view: { ownerId: string | null }) => asker.id !== undefined && view.ownerId === asker.id,
  },
  "bookings.act": {
    always: issuers,
    refusal: "Your role may only top up: issuing, and acting on bookings other than top-ups, is for those who issue.",
    allows: (_asker: Asker, booking: { kind: string }) => booking.kind === "top_up",
  },
} as const satisfies Partial<
  Record<
    Permission,
    { always: readonly StaffRole[]; refusal: string; allows: (asker: Asker, target: never) => boolean }
  >
>;

type TargetRules = typeof targetRules;
/** The target a permission is decided on (plain data), or `never` for permissions that take none. */
export type TargetOf<P extends Permission> = P extends keyof TargetRules
  ? Parameters<TargetRules[P]["allows"]>[1]
  : never;

/**
 * The one permission check. Without a target it says whether the role holds the permission at all (enough to show
 * a screen or a button); with one it also applies the permission's target rule.
 */
export function may<P extends Permission>(asker: Asker, permission: P, target?: TargetOf<P>): boolean {
  if (!(permissions[permission] as readonly StaffRole[]).includes(asker.role)) return false;
  if (target === undefined || !(permission in targetRules)) return true;
  const rule = targetRules[permission as keyof TargetRules] as {
    always: readonly StaffRole[];
    allows: (asker: Asker, target: unknown) => boolean;
  };
  return rule.always.includes(asker.role) || rule.allows(asker, target);
}

/** What to tell someone `may()` refused on a target: the rule's own words. */
export function targetRefusal(permission: Permission): string | undefined {
  return permission in targetRules ? targetRules[permission as keyof TargetRules].refusal : undefined;
}

export function isStaffRole(value: unknown): value is StaffRole {
  return typeof value === "string" && (staffRoles as readonly string[]).includes(value);
}
