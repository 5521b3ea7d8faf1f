import { describe, expect, it } from "vitest";
import {
  comparePositions,
  gapsOnPage,
  parseTravelerView,
  positionText,
  timelinePage,
  travelerViewHref,
  withGaps,
  type TimelineEntry,
  type TimelinePosition,
} from "./timeline";

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

describe("timeline pages", () => {
  const at = (minute: number) => Date.UTC(2026, 4, 1) + minute * 60_000;
  const entry = (position: TimelinePosition): TimelineEntry => ({
    at: new Date(position.at).toISOString(),
    kind: "webhook",
    title: position.id,
    detail: null,
    href: null,
    tone: "default",
    position,
  });

  it("keeps the page's cursor in the URL, only on the timeline and outside gaps-only, and reads it back", () => {
    const before = { at: at(3), source: "milestone" as const, id: "2:bk.1 x" };
    const href = travelerViewHref("t1", { tab: "timeline", before });
    expect(href).toBe(
      `/travelers/t1?tab=timeline&before=${new URLSearchParams({ x: positionText(before) }).toString().slice(2)}`,
    );
    const params = Object.fromEntries(new URL(href, "http://x").searchParams);
    expect(parseTravelerView(params).before).toEqual(before);
    expect(travelerViewHref("t1", { tab: "overview", before })).toBe("/travelers/t1");
    expect(travelerViewHref("t1", { tab: "timeline", gapsOnly: true, before })).toBe(
      "/travelers/t1?tab=timeline&gaps=1",
    );
    expect(parseTravelerView({ tab: "timeline", before: "yesterday" }).before).toBeUndefined();
    expect(parseTravelerView({ tab: "usage", before: positionText(before) }).before).toBeUndefined();
  });

  it("orders by time, then source, then id (bigint ids as numbers), and cuts a page with the next cursor", () => {
    const positions: TimelinePosition[] = [
      { at: at(1), source: "audit", id: "9" },
      { at: at(1), source: "audit", id: "10" },
      { at: at(1), source: "webhook", id: "2" },
      { at: at(2), source: "snapshot", id: "0f" },
      { at: at(0), source: "webhook", id: "1" },
    ];
    const page = timelinePage(positions.map(entry), 3);
    expect(page.entries.map((e) => e.position)).toEqual([positions[3], positions[2], positions[1]]);
    expect(page.next).toEqual(positions[1]);
    expect(comparePositions(positions[1]!, positions[0]!)).toBeLessThan(0);
    expect(timelinePage(positions.map(entry), 5).next).toBeNull();
  });

  it("puts each gap on exactly one page: from the next cursor (included) up to this page's (excluded)", () => {
    const gaps = [at(10), at(5), at(1)].map((time) => ({ at: new Date(time).toISOString() }));
    const cut = { at: at(5), source: "webhook" as const, id: "7" };
    const first = gapsOnPage(gaps, { before: null, next: cut });
    const second = gapsOnPage(gaps, { before: cut, next: null });
    expect(first.map((gap) => gap.at)).toEqual([gaps[0]!.at, gaps[1]!.at]);
    expect(second.map((gap) => gap.at)).toEqual([gaps[2]!.at]);
  });
});
