import { describe, expect, it } from "vitest";
import { isStaffRole, may, permissions, staffRoles, targetRefusal } from "./roles";

const admin = { id: "admin-1", role: "admin" } as const;
const manager = { id: "manager-1", role: "campaign_manager" } as const;
const support = { id: "support-1", role: "support" } as const;

describe("role matrix", () => {
  it("lets only admins manage staff, read the audit log and replay webhooks", () => {
    for (const permission of ["staff.manage", "audit.read", "webhooks.replay"] as const) {
      expect(permissions[permission]).toEqual(["admin"]);
      expect(may(manager, permission)).toBe(false);
      expect(may(support, permission)).toBe(false);
      expect(may(admin, permission)).toBe(true);
    }
  });

  it("lets support search, redeem and top up but not issue bookings or run campaigns", () => {
    expect(may(support, "travelers.search")).toBe(true);
    expect(may(support, "travelers.redeem")).toBe(true);
    expect(may(support, "bookings.topUp")).toBe(true);
    expect(may(support, "bookings.issue")).toBe(false);
    expect(may(support, "campaigns.run")).toBe(false);
  });

  it("lets support look promo codes up but not issue or export them", () => {
    expect(may(support, "promoCodes.view")).toBe(true);
    expect(may(support, "promoCodes.issue")).toBe(false);
    expect(may(support, "promoCodes.export")).toBe(false);
    for (const asker of [admin, manager]) {
      expect(may(asker, "promoCodes.issue")).toBe(true);
      expect(may(asker, "promoCodes.export")).toBe(true);
    }
  });

  it("lets support act on top-ups only; those who issue act on every booking", () => {
    expect(may(support, "bookings.act", { kind: "top_up" })).toBe(true);
    expect(may(support, "bookings.act", { kind: "issue" })).toBe(false);
    expect(may(support, "bookings.act", { kind: "promo_codes" })).toBe(false);
    for (const asker of [admin, manager]) {
      for (const kind of ["issue", "top_up", "promo_codes"]) expect(may(asker, "bookings.act", { kind })).toBe(true);
    }
    expect(targetRefusal("bookings.act")).toMatch(/may only top up/);
  });

  it("lets the owner of a saved view delete it, and an admin any view", () => {
    const supportsView = { ownerId: support.id };
    expect(may(support, "travelers.views.delete", supportsView)).toBe(true);
    expect(may({ id: "support-2", role: "support" }, "travelers.views.delete", supportsView)).toBe(false);
    expect(may(manager, "travelers.views.delete", supportsView)).toBe(false);
    expect(may(admin, "travelers.views.delete", supportsView)).toBe(true);
    // A view whose author was deleted belongs to no one: only an admin removes it; an asker without an id owns none.
    expect(may(support, "travelers.views.delete", { ownerId: null })).toBe(false);
    expect(may({ role: "support" }, "travelers.views.delete", { ownerId: null })).toBe(false);
    expect(may(admin, "travelers.views.delete", { ownerId: null })).toBe(true);
  });

  it("decides a target rule only for roles that hold the permission at all", () => {
    // Without a target, may() answers whether the role holds the permission (to show the screen or the button).
    expect(may(support, "bookings.act")).toBe(true);
    expect(may(support, "travelers.views.delete")).toBe(true);
    // Permissions without a target rule have no refusal of their own.
    expect(targetRefusal("staff.manage")).toBeUndefined();
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
