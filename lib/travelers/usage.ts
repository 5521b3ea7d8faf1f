/**
 * Usage history and burn rate for one package. Pure: the page's server component aggregates with these and hands
 * the chart a finished series.
 */

const DAY_MS = 86_400_000;

/**
 * Where a package's usage reading came from: Hubby's `package.usage.*` webhook (documented), an earlier dashboard
 * read the console stored, or the dashboard fetched for this page. Dashboards only carry per-package bytes beyond
 * Hubby's documented fields (the sandbox sends them).
 */
export type ReadingSource = "webhook" | "dashboard" | "live";
export type UsagePointSource = "activation" | ReadingSource;

export type UsagePoint = {
  /** ISO time of the reading. */
  at: string;
  /** Share of the package used, 0–100 (one decimal). */
  percent: number;
  /** Bytes used, when the reading carried them. */
  usedBytes: number | null;
  source: UsagePointSource;
};

export type UsageReading = { at: string; percent: number; usedBytes: number | null; source: ReadingSource };

/**
 * One package's readings in time order: the activation (0 % at `activatedAt`), then the readings (stored samples
 * and the live one). Readings before the activation are dropped, as are readings that would make usage go down
 * (usage only moves up; a lower one is an older, out-of-order report).
 */
export function usagePoints(input: { activatedAt: string | null; readings: UsageReading[] }): UsagePoint[] {
  const readings: UsagePoint[] = input.readings
    .filter((point) => !Number.isNaN(Date.parse(point.at)))
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || a.percent - b.percent);
  const activation = input.activatedAt && !Number.isNaN(Date.parse(input.activatedAt)) ? input.activatedAt : null;
  const points: UsagePoint[] = activation ? [{ at: activation, percent: 0, usedBytes: 0, source: "activation" }] : [];
  for (const reading of readings) {
    if (activation && Date.parse(reading.at) < Date.parse(activation)) continue;
    const last = points.at(-1);
    if (last && reading.percent < last.percent) continue;
    points.push({ ...reading, percent: Math.round(Math.min(100, Math.max(0, reading.percent)) * 10) / 10 });
  }
  return points;
}

export type BurnStatus =
  /** Fewer than two readings: no rate can be drawn. */
  | "too_few_points"
  /** The package is used up. */
  | "used_up"
  /** Usage did not grow between the readings. */
  | "not_burning"
  /** At this rate the data runs out before the package expires (or the trip's coverage ends). */
  | "runs_out_before_expiry"
  /** The package expires before the data runs out. */
  | "expires_first"
  /** No expiry is known; only the run-out date. */
  | "no_expiry";

export type BurnEstimate = {
  status: BurnStatus;
  /** Readings the estimate is drawn from. */
  points: number;
  /** The time of the latest reading: every number below is "as of" this. */
  asOf: string | null;
  percentPerDay: number | null;
  bytesPerDay: number | null;
  /** When the data runs out at this rate, projected from the latest reading. */
  runOutAt: string | null;
  /** The earlier of the package's expiry and the trip's end, when known. */
  limitAt: string | null;
  /** Projected usage at `limitAt`, when that comes first. */
  percentAtExpiry: number | null;
};

/** Least-squares slope of y over x. */
function slope(xs: number[], ys: number[]): number {
  const n = xs.length;
  const meanX = xs.reduce((sum, x) => sum + x, 0) / n;
  const meanY = ys.reduce((sum, y) => sum + y, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i]! - meanX) * (ys[i]! - meanY);
    den += (xs[i]! - meanX) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

/**
 * A linear burn rate over the readings (least squares, per day), projected from the latest reading to 100 %, and
 * compared with the package's expiry: the earlier of `expiresAt` and `tripEndsAt`, when known. Bytes per day only
 * when every reading has bytes.
 */
export function burnRate(
  points: UsagePoint[],
  limits: { expiresAt: string | null; tripEndsAt?: string | null } = { expiresAt: null },
): BurnEstimate {
  const last = points.at(-1);
  const limitTimes = [limits.expiresAt, limits.tripEndsAt ?? null]
    .filter((value): value is string => typeof value === "string" && !Number.isNaN(Date.parse(value)))
    .map((value) => Date.parse(value));
  const limit = limitTimes.length ? Math.min(...limitTimes) : null;
  const base = {
    points: points.length,
    asOf: last?.at ?? null,
    runOutAt: null,
    limitAt: limit === null ? null : new Date(limit).toISOString(),
    percentAtExpiry: null,
  };
  if (last && last.percent >= 100) {
    return { ...base, status: "used_up", percentPerDay: null, bytesPerDay: null };
  }
  if (!last || points.length < 2) {
    return { ...base, status: "too_few_points", percentPerDay: null, bytesPerDay: null };
  }
  const days = points.map((point) => Date.parse(point.at) / DAY_MS);
  const percentPerDay = slope(
    days,
    points.map((point) => point.percent),
  );
  const bytesKnown = points.every((point) => point.usedBytes !== null);
  const bytesPerDay = bytesKnown
    ? slope(
        days,
        points.map((point) => point.usedBytes!),
      )
    : null;
  if (!(percentPerDay > 0)) {
    return { ...base, status: "not_burning", percentPerDay: Math.max(0, percentPerDay), bytesPerDay: null };
  }
  const lastAt = Date.parse(last.at);
  const runOut = lastAt + ((100 - last.percent) / percentPerDay) * DAY_MS;
  const estimate = { ...base, percentPerDay, bytesPerDay, runOutAt: new Date(runOut).toISOString() };
  if (limit === null) return { ...estimate, status: "no_expiry" };
  if (runOut < limit) return { ...estimate, status: "runs_out_before_expiry" };
  const atExpiry = last.percent + percentPerDay * ((limit - lastAt) / DAY_MS);
  return {
    ...estimate,
    status: "expires_first",
    percentAtExpiry: Math.round(Math.min(100, Math.max(last.percent, atExpiry)) * 10) / 10,
  };
}

/** The projection drawn on the chart: from the latest reading to the run-out (or the expiry, if that is first). */
export function projectionLine(points: UsagePoint[], estimate: BurnEstimate): { at: string; percent: number }[] {
  const last = points.at(-1);
  if (!last || !estimate.runOutAt) return [];
  if (estimate.status === "expires_first" && estimate.limitAt && estimate.percentAtExpiry !== null) {
    return [
      { at: last.at, percent: last.percent },
      { at: estimate.limitAt, percent: estimate.percentAtExpiry },
    ];
  }
  return [
    { at: last.at, percent: last.percent },
    { at: estimate.runOutAt, percent: 100 },
  ];
}

const GIB = 1_073_741_824;

/** Chart rows: one per time, readings (percent, GB) and the projection merged on the same time axis. */
export function chartRows(
  points: UsagePoint[],
  projection: { at: string; percent: number }[],
): { t: number; percent?: number; usedGb?: number; projected?: number }[] {
  const rows = new Map<number, { t: number; percent?: number; usedGb?: number; projected?: number }>();
  const row = (at: string) => {
    const t = Date.parse(at);
    const existing = rows.get(t) ?? { t };
    rows.set(t, existing);
    return existing;
  };
  for (const point of points) {
    const entry = row(point.at);
    entry.percent = point.percent;
    if (point.usedBytes !== null) entry.usedGb = Math.round((point.usedBytes / GIB) * 1000) / 1000;
  }
  for (const point of projection) row(point.at).projected = point.percent;
  return [...rows.values()].sort((a, b) => a.t - b.t);
}

export type UsageChartAxes = {
  percent: [number, number];
  /** The GB axis, tied to the percent axis (0 to the package's size), or null when the size cannot be known. */
  gb: [number, number] | null;
};

/**
 * The chart's two y axes, made to agree: the GB axis runs from 0 to the package's size, so 16 % and the GB used at
 * that reading sit at the same height. The size is the package's total when known, else what a reading with both
 * numbers implies (bytes ÷ share); without either there is no GB axis (a free-scaling one would contradict the
 * percent axis).
 */
export function usageChartAxes(points: UsagePoint[], totalBytes: number | null): UsageChartAxes {
  const implied = points.find((point) => point.usedBytes !== null && point.usedBytes > 0 && point.percent > 0);
  const size =
    totalBytes !== null && totalBytes > 0
      ? totalBytes
      : implied
        ? (implied.usedBytes as number) / (implied.percent / 100)
        : null;
  return { percent: [0, 100], gb: size === null ? null : [0, Math.round((size / GIB) * 1000) / 1000] };
}
