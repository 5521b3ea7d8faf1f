import { describe, expect, it } from "vitest";
import { can, isStaffRole, permissions, rolesFor, staffRoles } from "./roles";

describe("role matrix", () => {
  it("lets only admins manage staff, read the audit log and replay webhooks", () => {
    for (const permission of ["staff.manage", "audit.read", "webhooks.replay"] as const) {
      expect(rolesFor(permission)).toEqual(["admin"]);
    }
  });

  it("lets support search, redeem and top up but not issue bookings or run campaigns", () => {
    expect(can("support", "travelers.search")).toBe(true);
    expect(can("support", "travelers.redeem")).toBe(true);
    expect(can("support", "bookings.topUp")).toBe(true);
    expect(can("support", "bookings.issue")).toBe(false);
    expect(can("support", "campaigns.run")).toBe(false);
  });

  it("lets support look promo codes up but not issue or export them", () => {
    expect(can("support", "promoCodes.view")).toBe(true);
    expect(can("support", "promoCodes.issue")).toBe(false);
    expect(can("support", "promoCodes.export")).toBe(false);
    for (const role of ["admin", "campaign_manager"] as const) {
      expect(can(role, "promoCodes.issue")).toBe(true);
      expect(can(role, "promoCodes.export")).toBe(true);
    }
  });

  it("gives every permission to at least one role, and only known roles", () => {
    for (const roles of Object.values(permissions)) {
      expect(roles.length).toBeGreaterThan(0);
      for (const role of roles) expect(staffRoles).toContain(role);
    }
  });

  it("recognises role names", () => {
    expect(isStaffRole("campaign_manager")).toBe(true);
    expect(isStaffRole("root")).toBe(false);
    expect(isStaffRole(undefined)).toBe(false);
  });
});
