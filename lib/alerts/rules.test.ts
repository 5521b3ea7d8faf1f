import { describe, expect, it } from "vitest";
import { may, staffRoles } from "../auth/roles";
import { alertRuleKeys, alertRules, defaultSettings, roleEmailDefaults } from "./rules";

describe("alert rules", () => {
  it("defaults every rule to a threshold its own form accepts", () => {
    for (const key of alertRuleKeys) {
      const rule = alertRules[key];
      expect(rule.key).toBe(key);
      const { threshold } = defaultSettings(key);
      expect(threshold).toBeGreaterThanOrEqual(rule.min);
      expect(threshold).toBeLessThanOrEqual(rule.max);
      if (rule.integer) expect(Number.isInteger(threshold)).toBe(true);
    }
  });

  it("gives each role email defaults only among the rules its screens let it act on", () => {
    for (const role of staffRoles) {
      for (const key of roleEmailDefaults[role]) expect(may({ role }, alertRules[key].permission)).toBe(true);
    }
    expect(roleEmailDefaults.support).toEqual(["departures_not_installed", "usage_crossed_80"]);
    expect(roleEmailDefaults.campaign_manager.every((key) => alertRules[key].group === "campaigns")).toBe(true);
    expect(roleEmailDefaults.admin).toContain("hubby_unreachable");
    expect(roleEmailDefaults.admin).toContain("forwarding_endpoint_failing");
    // Forwarding's screens are admin-only, so only admins see (and may subscribe to) its incidents.
    expect(alertRules.forwarding_endpoint_failing.permission).toBe("forwarding.manage");
    expect(roleEmailDefaults.support).not.toContain("forwarding_endpoint_failing");
    expect(roleEmailDefaults.admin).not.toContain("departures_not_installed");
  });
});
