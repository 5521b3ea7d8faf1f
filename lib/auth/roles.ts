/**
 * The role matrix: the one place that says which role may do what. Pure, so the sidebar (client) and
 * requireStaff (server) read the same table.
 */
export const staffRoles = ["admin", "campaign_manager", "support"] as const;
export type StaffRole = (typeof staffRoles)[number];

export const roleLabels: Record<StaffRole, string> = {
  admin: "Admin",
  campaign_manager: "Campaign manager",
  support: "Support",
};

export const permissions = {
  "travelers.search": ["admin", "campaign_manager", "support"],
  "travelers.views": ["admin", "campaign_manager", "support"],
  "travelers.redeem": ["admin", "campaign_manager", "support"],
  "bookings.topUp": ["admin", "campaign_manager", "support"],
  "bookings.issue": ["admin", "campaign_manager"],
  "bookings.view": ["admin", "campaign_manager", "support"],
  "bookings.settings": ["admin"],
  "catalog.view": ["admin", "campaign_manager", "support"],
  "campaigns.run": ["admin", "campaign_manager"],
  // Support looks a code up for a traveler; issuing and exporting codes (bearer vouchers) is for those who issue.
  "promoCodes.view": ["admin", "campaign_manager", "support"],
  "promoCodes.issue": ["admin", "campaign_manager"],
  "promoCodes.export": ["admin", "campaign_manager"],
  "webhooks.view": ["admin", "campaign_manager", "support"],
  "instructions.preview": ["admin", "campaign_manager", "support"],
  "webhooks.replay": ["admin"],
  "webhooks.reconcile": ["admin"],
  "staff.manage": ["admin"],
  "audit.read": ["admin"],
  "apiLog.read": ["admin"],
  "account.manage": ["admin", "campaign_manager", "support"],
} as const satisfies Record<string, readonly StaffRole[]>;

export type Permission = keyof typeof permissions;

export function rolesFor(permission: Permission): readonly StaffRole[] {
  return permissions[permission];
}

export function can(role: StaffRole, permission: Permission): boolean {
  return (permissions[permission] as readonly StaffRole[]).includes(role);
}

export function isStaffRole(value: unknown): value is StaffRole {
  return typeof value === "string" && (staffRoles as readonly string[]).includes(value);
}
