import { describe, expect, it } from "vitest";
import { MAX_RANGE_DAYS, overviewHref, presetRanges, resolveOverviewRange } from "./range";

const NOW = new Date("2026-06-15T23:30:00.000Z");

describe("the overview's date range", () => {
  it("is the last 30 UTC days up to today without parameters", () => {
    const range = resolveOverviewRange({}, NOW);
    expect(range).toMatchObject({ from: "2026-05-17", to: "2026-06-15", chosen: false });
    expect(range.days).toHaveLength(30);
    expect(range.start.toISOString()).toBe("2026-05-17T00:00:00.000Z");
    expect(range.end.toISOString()).toBe("2026-06-16T00:00:00.000Z");
  });

  it("reads from and to, swaps them when reversed, and ignores what is not a date", () => {
    expect(resolveOverviewRange({ from: "2026-06-01", to: "2026-06-03" }, NOW).days).toEqual([
      "2026-06-01",
      "2026-06-02",
      "2026-06-03",
    ]);
    expect(resolveOverviewRange({ from: "2026-06-03", to: "2026-06-01" }, NOW)).toMatchObject({
      from: "2026-06-01",
      to: "2026-06-03",
    });
    expect(resolveOverviewRange({ from: "2026-02-30", to: "soon" }, NOW)).toMatchObject({
      from: "2026-05-17",
      to: "2026-06-15",
    });
    expect(resolveOverviewRange({ to: "2026-03-31" }, NOW)).toMatchObject({ from: "2026-03-02", chosen: true });
  });

  it("keeps a range longer than a year to the year before its end", () => {
    const range = resolveOverviewRange({ from: "2020-01-01", to: "2026-06-15" }, NOW);
    expect(range.days).toHaveLength(MAX_RANGE_DAYS);
    expect(range.to).toBe("2026-06-15");
  });

  it("writes the range into the URL and offers 7, 30 and 90 days", () => {
    expect(overviewHref({})).toBe("/");
    expect(overviewHref({ from: "2026-06-01", to: "2026-06-03" })).toBe("/?from=2026-06-01&to=2026-06-03");
    expect(presetRanges(NOW).map((preset) => preset.href)).toEqual([
      "/?from=2026-06-09&to=2026-06-15",
      "/?from=2026-05-17&to=2026-06-15",
      "/?from=2026-03-18&to=2026-06-15",
    ]);
  });
});
