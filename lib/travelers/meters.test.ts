import { describe, expect, it } from "vitest";
import type { LivePackage } from "./live";
import {
  currentPackage,
  dashboardName,
  esimDataMeter,
  latestReading,
  packageUsages,
  readingSourceText,
  travelerUsage,
  type PackageUsage,
  type StoredPackageInput,
} from "./meters";
import type { UsageReading } from "./usage";

const GB = 1_073_741_824;
const NOW = new Date("2026-07-10T12:00:00.000Z");
const day = (n: number) => new Date(NOW.getTime() + n * 86_400_000);
const iso = (n: number) => day(n).toISOString();

const reading = (n: number, percent: number, source: UsageReading["source"] = "webhook"): UsageReading => ({
  at: iso(n),
  percent,
  usedBytes: null,
  source,
});

const stored = (packageId: string, fields: Partial<StoredPackageInput> = {}): StoredPackageInput => ({
  packageId,
  bookingId: "bk_1",
  destination: "GR",
  size: "1GB",
  activatedAt: null,
  expiresAt: null,
  usedBytes: null,
  remainingBytes: null,
  firstSeenAt: day(-30),
  ...fields,
});

const live = (fields: Partial<LivePackage> = {}): LivePackage => ({
  id: null,
  bookingId: null,
  destination: "GRC",
  status: "ACTIVE",
  totalBytes: GB,
  usedBytes: null,
  activatedAt: null,
  reportsActivation: false,
  assignedAt: iso(-6),
  expiresAt: null,
  ...fields,
});

const usage = (key: string, fields: Partial<PackageUsage> = {}): PackageUsage => ({
  key,
  packageId: key,
  label: key,
  destination: "GR",
  onDashboard: false,
  status: null,
  bookingId: null,
  activatedAt: null,
  activationKnown: true,
  assignedAt: null,
  expiresAt: null,
  totalBytes: null,
  firstSeenAt: iso(-30),
  readings: [],
  latest: null,
  ...fields,
});

describe("esimDataMeter", () => {
  it("reads data_left of total_data as of the dashboard call", () => {
    expect(esimDataMeter({ total_data: 4 * GB, data_left: GB }, NOW)).toEqual({
      totalBytes: 4 * GB,
      leftBytes: GB,
      usedPercent: 75,
      at: NOW.toISOString(),
    });
  });

  it("keeps data left within the total", () => {
    expect(esimDataMeter({ total_data: GB, data_left: 2 * GB }, NOW)).toMatchObject({ leftBytes: GB, usedPercent: 0 });
    expect(esimDataMeter({ total_data: GB, data_left: -5 }, NOW)).toMatchObject({ leftBytes: 0, usedPercent: 100 });
  });

  it("has no meter without usable numbers or without any data", () => {
    expect(esimDataMeter(null, NOW)).toBeNull();
    expect(esimDataMeter({}, NOW)).toBeNull();
    expect(esimDataMeter({ total_data: "1GB", data_left: 5 }, NOW)).toBeNull();
    expect(esimDataMeter({ total_data: 0, data_left: 0 }, NOW)).toBeNull();
  });
});

describe("latestReading", () => {
  it("is the newest reading, the higher one at the same time", () => {
    expect(latestReading([reading(-3, 50), reading(-1, 20), reading(-2, 80)])).toEqual(reading(-1, 20));
    expect(latestReading([reading(-1, 20), reading(-1, 50, "dashboard")])).toEqual(reading(-1, 50, "dashboard"));
    expect(latestReading([])).toBeNull();
  });
});

describe("labels", () => {
  it("names the source and time of every reading", () => {
    const sandbox = dashboardName("SANDBOX");
    expect(sandbox).toBe("the sandbox's dashboard");
    expect(dashboardName("PRODUCTION")).toBe("Hubby's dashboard");
    expect(readingSourceText(reading(0, 50), sandbox)).toBe("from Hubby's usage webhook at 2026-07-10 12:00 UTC");
    expect(readingSourceText(reading(-1, 37, "dashboard"), sandbox)).toBe(
      "from the sandbox's dashboard at 2026-07-09 12:00 UTC",
    );
    expect(readingSourceText(reading(0, 61, "live"), sandbox)).toBe(
      "from the sandbox's dashboard at 2026-07-10 12:00 UTC",
    );
  });
});

describe("packageUsages", () => {
  it("merges a live package with the stored one of the same id, adding the live reading when bytes are given", () => {
    const [pkg] = packageUsages({
      stored: [stored("pkg_a", { usedBytes: GB / 2, remainingBytes: GB / 2, activatedAt: day(-5) })],
      live: [live({ id: "pkg_a", usedBytes: 0.6 * GB, status: "ACTIVE", reportsActivation: true })],
      samples: new Map([["pkg_a", [reading(-2, 50)]]]),
      fetchedAt: NOW,
    });
    expect(pkg).toMatchObject({
      key: "pkg_a",
      label: "GR · 1GB · pkg_a",
      onDashboard: true,
      status: "ACTIVE",
      activatedAt: iso(-5),
      activationKnown: true,
      totalBytes: GB,
    });
    expect(pkg!.readings.map((r) => [r.percent, r.source])).toEqual([
      [50, "webhook"],
      [60, "live"],
    ]);
    expect(pkg!.latest).toMatchObject({ percent: 60, source: "live", at: NOW.toISOString() });
  });

  it("keeps documented dashboard packages (no id, no bytes used) apart, without a reading", () => {
    const packages = packageUsages({
      stored: [stored("pkg_a", { activatedAt: day(-5) })],
      live: [live(), live({ destination: "ITA", totalBytes: 3 * GB })],
      samples: new Map([["pkg_a", [reading(-2, 20), reading(-1, 50)]]]),
      fetchedAt: NOW,
    });
    expect(
      packages.map((pkg) => [pkg.key, pkg.label, pkg.onDashboard, pkg.activationKnown, pkg.latest?.percent ?? null]),
    ).toEqual([
      ["pkg_a", "GR · 1GB · pkg_a", false, true, 50],
      ["live-0", "GRC · 1 GB", true, false, null],
      ["live-1", "ITA · 3 GB", true, false, null],
    ]);
  });
});

describe("currentPackage", () => {
  it("prefers a fresh package over a used-up one activated earlier", () => {
    const used = usage("old", { activatedAt: iso(-20), expiresAt: iso(300), latest: reading(-10, 100, "dashboard") });
    const fresh = usage("new", { activatedAt: iso(-2), expiresAt: iso(360), latest: reading(-1, 50) });
    expect(currentPackage([used, fresh], NOW)?.key).toBe("new");
  });

  it("prefers a fresh package not activated yet over a used-up one", () => {
    const used = usage("old", { activatedAt: iso(-3), status: "DEPLETED" });
    const queued = usage("new", { onDashboard: true, status: "ACTIVE" });
    expect(currentPackage([used, queued], NOW)?.key).toBe("new");
  });

  it("among fresh packages takes the latest activated, and skips expired ones", () => {
    const older = usage("older", { activatedAt: iso(-9), latest: reading(-1, 80) });
    const newer = usage("newer", { activatedAt: iso(-2), latest: reading(-1, 20) });
    const expired = usage("expired", { activatedAt: iso(-1), expiresAt: iso(-0.5) });
    expect(currentPackage([older, newer, expired], NOW)?.key).toBe("newer");
    expect(currentPackage([expired], NOW)).toBeNull();
  });

  it("falls back to a used-up package when nothing else is current", () => {
    const used = usage("old", { activatedAt: iso(-3), latest: reading(-1, 100, "dashboard") });
    expect(currentPackage([used], NOW)?.key).toBe("old");
  });
});

describe("travelerUsage", () => {
  const current = usage("pkg_a", { latest: reading(-1, 50) });

  it("is the eSIM's data left when the dashboard gave it", () => {
    const meter = esimDataMeter({ total_data: 4 * GB, data_left: 3 * GB }, NOW);
    expect(travelerUsage(meter, current)).toEqual({
      percent: 25,
      at: NOW.toISOString(),
      source: "esim",
      packageKey: null,
    });
  });

  it("else the current package's latest reading, with its source", () => {
    expect(travelerUsage(null, current)).toEqual({
      percent: 50,
      at: iso(-1),
      source: "webhook",
      packageKey: "pkg_a",
    });
    expect(travelerUsage(null, usage("pkg_b"))).toBeNull();
    expect(travelerUsage(null, null)).toBeNull();
  });
});
