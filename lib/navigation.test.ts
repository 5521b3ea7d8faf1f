import { describe, expect, it } from "vitest";
import { homeFor, screensFor } from "./navigation";

describe("navigation", () => {
  it("shows admins every screen, and sends them to the overview", () => {
    expect(screensFor("admin").map((s) => s.href)).toEqual([
      "/",
      "/travelers",
      "/bookings",
      "/campaigns",
      "/promo-codes",
      "/catalog",
      "/webhooks",
      "/instructions",
      "/staff",
      "/audit",
      "/api-log",
      "/jobs",
      "/alerts",
      "/alerts/rules",
      "/forwarding",
      "/retention",
      "/account",
    ]);
    expect(homeFor("admin")).toBe("/");
  });

  it("hides admin screens from other roles", () => {
    for (const role of ["support", "campaign_manager"] as const) {
      const hrefs = screensFor(role).map((s) => s.href);
      expect(hrefs).not.toContain("/staff");
      expect(hrefs).not.toContain("/audit");
      expect(hrefs).not.toContain("/api-log");
      expect(hrefs).not.toContain("/jobs");
      expect(hrefs).not.toContain("/alerts/rules");
      expect(hrefs).toContain("/alerts");
      expect(hrefs).not.toContain("/forwarding");
      expect(hrefs).not.toContain("/retention");
      expect(hrefs).toContain("/webhooks");
      expect(hrefs).toContain("/instructions");
      expect(hrefs.includes("/campaigns")).toBe(role === "campaign_manager");
      expect(hrefs).toContain("/promo-codes");
      expect(homeFor(role)).toBe("/");
      expect(homeFor(role)).toBe(hrefs[0]);
    }
  });
});
