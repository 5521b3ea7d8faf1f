import type { HubbyEnvironment } from "../env";
import { utc } from "./format";
import type { LivePackage } from "./live";
import type { ReadingSource, UsageReading } from "./usage";

/**
 * The traveler page's meters and the one "usage" rule the page, its usage tab and the travelers list share.
 * Hubby documents how much data is left only per eSIM (`current_esim.data_left` of `total_data`, reference §4.5).
 * Per package, usage is known only from that package's `package.usage.*` webhooks (20/50/80 %, §5.1) or from a
 * dashboard that sends per-package bytes, which Hubby does not document (the sandbox does). Pure: every number
 * keeps where it came from and as of when.
 */

const GIB = 1_073_741_824;
const round1 = (value: number) => Math.round(value * 10) / 10;

/** The dashboard's name in labels: the built-in sandbox, or Hubby. */
export function dashboardName(environment: HubbyEnvironment): string {
  return environment === "SANDBOX" ? "the sandbox's dashboard" : "Hubby's dashboard";
}

/** "from Hubby's usage webhook at 2026-07-01 10:00 UTC", "from the sandbox's dashboard at …". */
export function readingSourceText(reading: Pick<UsageReading, "at" | "source">, dashboard: string): string {
  return reading.source === "webhook"
    ? `from Hubby's usage webhook at ${utc(reading.at)}`
    : `from ${dashboard} at ${utc(reading.at)}`;
}

export type EsimDataMeter = { totalBytes: number; leftBytes: number; usedPercent: number; at: string };

/**
 * The eSIM's data left of its total, as the dashboard said at `at` (the time of the call). null when the dashboard
 * gave no usable numbers, or no data at all (no active package: nothing to measure).
 */
export function esimDataMeter(
  esim: { total_data?: unknown; data_left?: unknown } | null | undefined,
  at: Date,
): EsimDataMeter | null {
  const total = esim?.total_data;
  const left = esim?.data_left;
  if (typeof total !== "number" || typeof left !== "number" || !(total > 0) || !Number.isFinite(left)) return null;
  const leftBytes = Math.min(total, Math.max(0, left));
  return {
    totalBytes: total,
    leftBytes,
    usedPercent: round1(((total - leftBytes) / total) * 100),
    at: at.toISOString(),
  };
}

/** The newest reading; at equal times the higher one (usage only moves up). */
export function latestReading(readings: UsageReading[]): UsageReading | null {
  let latest: UsageReading | null = null;
  for (const reading of readings) {
    const at = Date.parse(reading.at);
    if (Number.isNaN(at)) continue;
    const best = latest ? Date.parse(latest.at) : -Infinity;
    if (at > best || (at === best && reading.percent > latest!.percent)) latest = reading;
  }
  return latest;
}

/** What the console stored about one package (lib/travelers/traveler.ts, storedTraveler). */
export type StoredPackageInput = {
  packageId: string;
  bookingId: string | null;
  destination: string | null;
  size: string | null;
  activatedAt: Date | null;
  expiresAt: Date | null;
  usedBytes: number | null;
  remainingBytes: number | null;
  firstSeenAt: Date;
};

/** One package as the page shows it: stored facts, the live dashboard's entry, and every usage reading. */
export type PackageUsage = {
  /** The package id, or `live-<n>` for a dashboard package without one (Hubby's documented shape has none). */
  key: string;
  packageId: string | null;
  label: string;
  destination: string | null;
  /** On the live dashboard (with its status), as opposed to known only from webhooks. */
  onDashboard: boolean;
  status: string | null;
  bookingId: string | null;
  activatedAt: string | null;
  /** false when nothing said whether it was activated (Hubby's documented dashboard package does not). */
  activationKnown: boolean;
  assignedAt: string | null;
  expiresAt: string | null;
  totalBytes: number | null;
  firstSeenAt: string | null;
  /** Stored samples and the live reading, each with its source. */
  readings: UsageReading[];
  latest: UsageReading | null;
};

/**
 * The traveler's packages: the stored ones (from webhooks and earlier dashboard reads) merged by id with the live
 * dashboard's. A live package carries a reading only when the dashboard gave its bytes; a stored one carries its
 * stored samples. Newest activation first.
 */
export function packageUsages(input: {
  stored: StoredPackageInput[];
  live: LivePackage[] | null;
  samples: Map<string, UsageReading[]>;
  fetchedAt: Date;
}): PackageUsage[] {
  const byKey = new Map<string, PackageUsage>();
  for (const pkg of input.stored) {
    const readings = input.samples.get(pkg.packageId) ?? [];
    byKey.set(pkg.packageId, {
      key: pkg.packageId,
      packageId: pkg.packageId,
      label: [pkg.destination ?? "?", pkg.size, pkg.packageId].filter(Boolean).join(" · "),
      destination: pkg.destination,
      onDashboard: false,
      status: null,
      bookingId: pkg.bookingId,
      activatedAt: pkg.activatedAt?.toISOString() ?? null,
      // Stored packages come from webhooks: without a package.activated event it is not activated (as far as known).
      activationKnown: true,
      assignedAt: null,
      expiresAt: pkg.expiresAt?.toISOString() ?? null,
      totalBytes: pkg.usedBytes !== null && pkg.remainingBytes !== null ? pkg.usedBytes + pkg.remainingBytes : null,
      firstSeenAt: pkg.firstSeenAt.toISOString(),
      readings,
      latest: latestReading(readings),
    });
  }
  (input.live ?? []).forEach((pkg, index) => {
    const key = pkg.id ?? `live-${index}`;
    const known = byKey.get(key);
    const liveReading: UsageReading | null =
      pkg.totalBytes && pkg.usedBytes !== null
        ? {
            at: input.fetchedAt.toISOString(),
            percent: (pkg.usedBytes / pkg.totalBytes) * 100,
            usedBytes: pkg.usedBytes,
            source: "live",
          }
        : null;
    const readings = [...(known?.readings ?? []), ...(liveReading ? [liveReading] : [])];
    byKey.set(key, {
      key,
      packageId: pkg.id,
      label:
        known?.label ??
        [pkg.destination ?? "?", pkg.totalBytes ? gigabyteLabel(pkg.totalBytes) : null, pkg.id]
          .filter(Boolean)
          .join(" · "),
      destination: pkg.destination ?? known?.destination ?? null,
      onDashboard: true,
      status: pkg.status,
      bookingId: pkg.bookingId ?? known?.bookingId ?? null,
      activatedAt: pkg.activatedAt ?? known?.activatedAt ?? null,
      activationKnown: pkg.reportsActivation || known !== undefined,
      assignedAt: pkg.assignedAt,
      expiresAt: pkg.expiresAt ?? known?.expiresAt ?? null,
      totalBytes: pkg.totalBytes ?? known?.totalBytes ?? null,
      firstSeenAt: known?.firstSeenAt ?? null,
      readings,
      latest: latestReading(readings),
    });
  });
  return [...byKey.values()].sort((a, b) => (b.activatedAt ?? "").localeCompare(a.activatedAt ?? ""));
}

const gigabyteLabel = (bytes: number) => `${Number((bytes / GIB).toFixed(2))} GB`;

const isUnexpired = (pkg: { expiresAt: string | null }, now: Date) =>
  pkg.expiresAt === null || Date.parse(pkg.expiresAt) > now.getTime();

/** Used up: its latest reading is at 100 %, or the dashboard says so (DEPLETED and EXPIRED are the sandbox's). */
export const isUsedUp = (pkg: Pick<PackageUsage, "latest" | "status">) =>
  (pkg.latest?.percent ?? 0) >= 100 || pkg.status === "DEPLETED" || pkg.status === "EXPIRED";

/**
 * The traveler's current package: among the unexpired ones, one not used up before one that is, then the most
 * recently activated (not yet activated last), then the most recently seen. A used-up package so never hides a
 * fresh one. lib/travelers/queries.ts orders the same way in SQL for the travelers list.
 */
export function currentPackage(packages: PackageUsage[], now: Date): PackageUsage | null {
  const time = (value: string | null) => (value === null ? -Infinity : Date.parse(value));
  const candidates = packages.filter((pkg) => isUnexpired(pkg, now));
  candidates.sort(
    (a, b) =>
      Number(isUsedUp(a)) - Number(isUsedUp(b)) ||
      time(b.activatedAt) - time(a.activatedAt) ||
      time(b.firstSeenAt) - time(a.firstSeenAt),
  );
  return candidates[0] ?? null;
}

export type TravelerUsage = {
  /** Share of the data used, 0–100 (one decimal). */
  percent: number;
  at: string;
  /** "esim": the dashboard's data_left of total_data; otherwise the current package's reading. */
  source: "esim" | ReadingSource;
  /** The package the number is about, when it is one package's. */
  packageKey: string | null;
};

/**
 * How much of their data the traveler has used: the eSIM's `data_left` of `total_data` when the dashboard gave it
 * (documented, covers every active package), else the current package's latest reading.
 */
export function travelerUsage(esim: EsimDataMeter | null, current: PackageUsage | null): TravelerUsage | null {
  if (esim) return { percent: esim.usedPercent, at: esim.at, source: "esim", packageKey: null };
  const reading = current?.latest;
  if (!current || !reading) return null;
  return {
    percent: round1(Math.min(100, Math.max(0, reading.percent))),
    at: reading.at,
    source: reading.source,
    packageKey: current.key,
  };
}
