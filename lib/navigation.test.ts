import { describe, expect, it } from "vitest";
import { homeFor, screensFor } from "./navigation";

describe("navigation", () => {
  it("shows admins the staff, audit and Hubby API log screens, and sends them to Staff", () => {
    expect(screensFor("admin").map((s) => s.href)).toEqual(["/staff", "/audit", "/api-log", "/account"]);
    expect(homeFor("admin")).toBe("/staff");
  });

  it("hides admin screens from other roles", () => {
    for (const role of ["support", "campaign_manager"] as const) {
      const hrefs = screensFor(role).map((s) => s.href);
      expect(hrefs).not.toContain("/staff");
      expect(hrefs).not.toContain("/audit");
      expect(hrefs).not.toContain("/api-log");
      expect(homeFor(role)).toBe(hrefs[0]);
    }
  });
});
