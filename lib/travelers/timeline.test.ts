import { describe, expect, it } from "vitest";
import { parseTravelerView, travelerViewHref, withGaps, type TimelineEntry } from "./timeline";

describe("traveler page URL state", () => {
  it("reads tab, kinds and gaps, ignoring unknown values", () => {
    expect(parseTravelerView({})).toEqual({
      tab: "overview",
      kinds: ["webhook", "staff", "hubby", "milestone"],
      gapsOnly: false,
    });
    expect(parseTravelerView({ tab: "timeline", kinds: "staff,bogus,webhook", gaps: "1" })).toEqual({
      tab: "timeline",
      kinds: ["webhook", "staff"],
      gapsOnly: true,
    });
    expect(parseTravelerView({ tab: "nope", kinds: "bogus", gaps: "yes" })).toMatchObject({
      tab: "overview",
      kinds: ["webhook", "staff", "hubby", "milestone"],
      gapsOnly: false,
    });
    expect(parseTravelerView({ tab: ["usage", "timeline"] }).tab).toBe("usage");
  });

  it("builds one canonical link per view, which reads back the same", () => {
    const view = { tab: "timeline" as const, kinds: ["staff" as const, "webhook" as const], gapsOnly: true };
    const href = travelerViewHref("cust 1/é", view);
    expect(href).toBe("/travelers/cust%201%2F%C3%A9?tab=timeline&kinds=webhook,staff&gaps=1");
    const params = Object.fromEntries(new URL(href, "http://x").searchParams);
    expect(parseTravelerView(params)).toEqual({ ...view, kinds: ["webhook", "staff"] });
    expect(travelerViewHref("a", { tab: "overview", kinds: ["webhook", "staff", "hubby", "milestone"] })).toBe(
      "/travelers/a",
    );
  });
});

describe("withGaps", () => {
  const entry = (at: string): TimelineEntry => ({
    at,
    kind: "webhook",
    title: "x",
    detail: null,
    href: null,
    tone: "default",
  });
  const gap = {
    kind: "departed_without_install" as const,
    at: "2026-07-02T00:00:00.000Z",
    bookingId: "bk 1",
    packageId: null,
    message: "Departed",
    resolvedAt: null,
  };

  it("merges gaps into the entries newest first, linking to the inbox for the booking", () => {
    const merged = withGaps([entry("2026-07-03T00:00:00.000Z"), entry("2026-07-01T00:00:00.000Z")], [gap], false);
    expect(merged.map((e) => e.kind)).toEqual(["webhook", "gap", "webhook"]);
    expect(merged[1]).toMatchObject({ tone: "warning", href: "/webhooks?booking=bk%201", detail: "Departed" });
  });

  it("shows the gaps alone when asked", () => {
    expect(withGaps([entry("2026-07-03T00:00:00.000Z")], [gap], true).map((e) => e.kind)).toEqual(["gap"]);
  });
});
