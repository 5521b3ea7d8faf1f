import { describe, expect, it } from "vitest";
import { burnRate, chartRows, projectionLine, usageChartAxes, usagePoints, type UsagePoint } from "./usage";

const GB = 1_073_741_824;
const day = (n: number) => new Date(Date.UTC(2026, 6, 1) + n * 86_400_000).toISOString();
const point = (n: number, percent: number, usedBytes: number | null = null): UsagePoint => ({
  at: day(n),
  percent,
  usedBytes,
  source: "webhook",
});

describe("usagePoints", () => {
  it("starts at 0 % on activation, orders the readings and keeps where each came from", () => {
    const points = usagePoints({
      activatedAt: day(0),
      readings: [
        { at: day(5), percent: 61.234, usedBytes: 0.61 * GB, source: "live" },
        { at: day(4), percent: 50, usedBytes: GB / 2, source: "webhook" },
        { at: day(3), percent: 37, usedBytes: 0.37 * GB, source: "dashboard" },
        { at: day(2), percent: 20, usedBytes: GB / 5, source: "webhook" },
      ],
    });
    expect(points.map((p) => [p.at, p.percent, p.source])).toEqual([
      [day(0), 0, "activation"],
      [day(2), 20, "webhook"],
      [day(3), 37, "dashboard"],
      [day(4), 50, "webhook"],
      [day(5), 61.2, "live"],
    ]);
  });

  it("drops readings from before the activation and readings that would make usage go down", () => {
    const points = usagePoints({
      activatedAt: day(1),
      readings: [
        { at: day(0), percent: 20, usedBytes: null, source: "webhook" },
        { at: day(3), percent: 50, usedBytes: null, source: "webhook" },
        { at: day(4), percent: 40, usedBytes: null, source: "live" },
      ],
    });
    expect(points.map((p) => p.percent)).toEqual([0, 50]);
  });

  it("without an activation time, has only the readings", () => {
    expect(
      usagePoints({ activatedAt: null, readings: [{ at: day(2), percent: 5, usedBytes: 1, source: "live" }] }),
    ).toEqual([{ at: day(2), percent: 5, usedBytes: 1, source: "live" }]);
  });
});

describe("burnRate", () => {
  it("needs two points", () => {
    expect(burnRate([point(0, 10)], { expiresAt: day(30) })).toMatchObject({
      status: "too_few_points",
      points: 1,
      asOf: day(0),
      runOutAt: null,
    });
    expect(burnRate([])).toMatchObject({ status: "too_few_points", points: 0, asOf: null });
  });

  it("fits a straight line and projects the run-out from the latest reading", () => {
    const estimate = burnRate([point(0, 0, 0), point(2, 20, 0.2 * GB), point(5, 50, 0.5 * GB)], {
      expiresAt: day(30),
    });
    expect(estimate.status).toBe("runs_out_before_expiry");
    expect(estimate.percentPerDay).toBeCloseTo(10, 6);
    expect(estimate.bytesPerDay).toBeCloseTo(0.1 * GB, 0);
    expect(estimate.runOutAt).toBe(day(10));
    expect(estimate.asOf).toBe(day(5));
    expect(estimate.limitAt).toBe(day(30));
  });

  it("uses least squares over noisy points", () => {
    // y = 10x + noise (+1, -1, +1, -1): slope stays close to 10.
    const estimate = burnRate([point(0, 1), point(1, 9), point(2, 21), point(3, 29)], { expiresAt: null });
    expect(estimate.percentPerDay).toBeCloseTo(9.6, 6);
    expect(estimate.status).toBe("no_expiry");
  });

  it("reports no run-out when usage does not grow (zero or negative slope)", () => {
    expect(burnRate([point(0, 30), point(3, 30)], { expiresAt: day(10) })).toMatchObject({
      status: "not_burning",
      percentPerDay: 0,
      runOutAt: null,
    });
    expect(burnRate([point(0, 40), point(3, 30)], { expiresAt: day(10) })).toMatchObject({
      status: "not_burning",
      percentPerDay: 0,
      runOutAt: null,
    });
  });

  it("works on percent alone when bytes are unknown", () => {
    const estimate = burnRate([point(0, 0, 0), point(4, 20, null), point(8, 40)], { expiresAt: day(60) });
    expect(estimate.bytesPerDay).toBeNull();
    expect(estimate.percentPerDay).toBeCloseTo(5, 6);
    expect(estimate.runOutAt).toBe(day(20));
  });

  it("says the package expires first when the run-out is after the expiry, with the usage then", () => {
    const estimate = burnRate([point(0, 0), point(10, 10)], { expiresAt: day(30) });
    expect(estimate.status).toBe("expires_first");
    expect(estimate.runOutAt).toBe(day(100));
    expect(estimate.percentAtExpiry).toBe(30);
    expect(projectionLine([point(0, 0), point(10, 10)], estimate)).toEqual([
      { at: day(10), percent: 10 },
      { at: day(30), percent: 30 },
    ]);
  });

  it("compares with the earlier of the expiry and the trip's end", () => {
    const estimate = burnRate([point(0, 0), point(10, 50)], { expiresAt: day(30), tripEndsAt: day(15) });
    expect(estimate.limitAt).toBe(day(15));
    expect(estimate.status).toBe("expires_first");
    expect(estimate.percentAtExpiry).toBe(75);
  });

  it("a used-up package has no rate to project", () => {
    expect(burnRate([point(0, 0), point(3, 100)], { expiresAt: day(30) })).toMatchObject({
      status: "used_up",
      runOutAt: null,
    });
  });

  it("draws the projection up to 100 % at the run-out", () => {
    const points = [point(0, 0), point(5, 50)];
    expect(projectionLine(points, burnRate(points, { expiresAt: day(30) }))).toEqual([
      { at: day(5), percent: 50 },
      { at: day(10), percent: 100 },
    ]);
    expect(projectionLine([point(0, 10)], burnRate([point(0, 10)]))).toEqual([]);
  });
});

describe("chartRows", () => {
  it("puts readings and the projection on one time axis, in GB", () => {
    const points = [point(0, 0, 0), point(5, 50, GB / 2)];
    expect(chartRows(points, projectionLine(points, burnRate(points, { expiresAt: day(30) })))).toEqual([
      { t: Date.parse(day(0)), percent: 0, usedGb: 0 },
      { t: Date.parse(day(5)), percent: 50, usedGb: 0.5, projected: 50 },
      { t: Date.parse(day(10)), projected: 100 },
    ]);
  });
});

describe("usageChartAxes", () => {
  // Where a value sits on its axis, 0 (bottom) to 1 (top).
  const height = (value: number, [min, max]: [number, number]) => (value - min) / (max - min);

  it("ties the GB axis to the package size, so a reading's percent and GB sit at the same height", () => {
    const points = [point(0, 0, 0), point(3, 16, 0.16 * 5 * GB)];
    const axes = usageChartAxes(points, 5 * GB);
    expect(axes).toEqual({ percent: [0, 100], gb: [0, 5] });
    const rows = chartRows(points, []);
    const reading = rows.at(-1)!;
    expect(height(reading.usedGb!, axes.gb!)).toBeCloseTo(height(reading.percent!, axes.percent), 3);
  });

  it("infers the size from a reading with both numbers when the package total is unknown", () => {
    const axes = usageChartAxes([point(0, 0, 0), point(2, 20, GB / 5), point(4, 50, GB / 2)], null);
    expect(axes.gb).toEqual([0, 1]);
  });

  it("draws no GB axis when nothing says how large the package is", () => {
    expect(usageChartAxes([point(0, 0, 0), point(2, 20)], null).gb).toBeNull();
  });
});
