import "server-only";
import { getDatabase, type SqlRunner } from "../db";
import type { WebhookStatus } from "../generated/prisma/client";
import { registerJobHandler } from "../jobs/jobs";
import { log } from "../log";

/**
 * The hourly rollup of WebhookEvent (docs/decisions/0065-webhook-hourly-rollup.md). A job that runs every minute
 * (rollUpWebhookHours) counts each UTC hour up to two minutes ago, the current hour included (counted again from its
 * start on every run until it is over): events per type and status with their duplicates (WebhookHourly), and a
 * histogram of delivery delay (WebhookHourlyLag). Readers ask for figures over a span of hours; what the rollup
 * covers is summed from it and the rest (the last minutes, anything not rolled up yet, hours marked stale by a
 * replay or a late duplicate) is counted live through the receivedAt indexes, so every count is exact whether the
 * job has run or not. The intake never writes here: it costs the hot path nothing.
 */

export const HOUR_MS = 3_600_000;
/**
 * Events are rolled up once they are this old: a delivery's statement in flight then has landed. The stale-marking
 * trigger (migration 20261205000300) uses the same interval: a change to an event older than this may touch counts
 * already rolled up.
 */
export const ROLLUP_GRACE_MS = 2 * 60_000;
const MINUTE_MS = 60_000;
/** Hours rolled up per statement while catching up (a new install on old data, a job that did not run for a while). */
const CHUNK_HOURS = 24;
/** Stale hours taken per run. */
const STALE_PER_RUN = 500;
/** Beyond this many distinct stale hours a reader stops trusting the rollup from the earliest of them on. */
const MAX_STALE_READ = 1_000;

/** Delay buckets: 0 holds delays up to 1 ms; bucket b > 0 holds (LAG_RATIO^(b-1), LAG_RATIO^b] ms. */
export const LAG_RATIO = 1.05;
const LAG_BUCKET = `CASE WHEN lag_ms <= 1 THEN 0 ELSE LEAST(2000, ceil(ln(lag_ms) / ln(${LAG_RATIO})))::int END`;
/** Whole hours from the event's own hour to its received hour, clamped (a window compares it to its start). */
const EVENT_AGE = `GREATEST(-1, LEAST(100000, floor(EXTRACT(EPOCH FROM (date_trunc('hour', "receivedAt", 'UTC')
  - date_trunc('hour', "eventAt", 'UTC'))) / 3600)))::int`;

export const floorHour = (time: number) => Math.floor(time / HOUR_MS) * HOUR_MS;
const floorMinute = (time: number) => Math.floor(time / MINUTE_MS) * MINUTE_MS;
const iso = (time: number) => new Date(time).toISOString();

// ── The job ────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * Counts the events received in [from, to) again, replacing what the rollup held for those hours: `from` is a whole
 * hour, `to` may fall inside one (the current hour, rolled up to a minute ago).
 */
async function rollRange(sql: SqlRunner, from: number, to: number): Promise<void> {
  const bounds = [iso(from), iso(to)];
  await sql.query(`DELETE FROM "WebhookHourly" WHERE "hour" >= $1::timestamptz AND "hour" < $2::timestamptz`, bounds);
  await sql.query(
    `DELETE FROM "WebhookHourlyLag" WHERE "hour" >= $1::timestamptz AND "hour" < $2::timestamptz`,
    bounds,
  );
  await sql.query(
    `INSERT INTO "WebhookHourly" ("hour", "eventType", "status", "events", "duplicates")
     SELECT date_trunc('hour', "receivedAt", 'UTC'), "eventType", "status", count(*)::int,
       COALESCE(sum("duplicates"), 0)::int
     FROM "WebhookEvent" WHERE "receivedAt" >= $1::timestamptz AND "receivedAt" < $2::timestamptz
     GROUP BY 1, 2, 3`,
    bounds,
  );
  await sql.query(
    `INSERT INTO "WebhookHourlyLag" ("hour", "eventAge", "bucket", "events")
     SELECT hour, age, ${LAG_BUCKET}, count(*)::int
     FROM (SELECT date_trunc('hour', "receivedAt", 'UTC') AS hour, ${EVENT_AGE} AS age,
         EXTRACT(EPOCH FROM ("receivedAt" - "eventAt")) * 1000 AS lag_ms
       FROM "WebhookEvent"
       WHERE "receivedAt" >= $1::timestamptz AND "receivedAt" < $2::timestamptz AND "eventAt" IS NOT NULL) lags
     GROUP BY 1, 2, 3`,
    bounds,
  );
}

type State = { rolledThrough: number; lastEventId: string };

/**
 * Locks the rollup's state row for the transaction (two workers, or the job and a manual run, take turns and never
 * write the same hour at once), creating it on the first run: from the first stored event's hour, or from `closedBefore`
 * on an empty table.
 */
async function lockState(sql: SqlRunner, closedBefore: number): Promise<State> {
  await sql.query(
    `INSERT INTO "WebhookRollupState" ("id", "rolledThrough", "lastEventId", "updatedAt")
     SELECT 1, COALESCE(date_trunc('hour', (SELECT min("receivedAt") FROM "WebhookEvent"), 'UTC'), $1::timestamptz),
       COALESCE((SELECT max("id") FROM "WebhookEvent"), 0), now()
     ON CONFLICT ("id") DO NOTHING`,
    [iso(closedBefore)],
  );
  const [row] = await sql.query<{ rolledThrough: number; lastEventId: string }>(
    `SELECT (EXTRACT(EPOCH FROM "rolledThrough") * 1000)::float8 AS "rolledThrough", "lastEventId"::text AS "lastEventId"
     FROM "WebhookRollupState" WHERE "id" = 1 FOR UPDATE`,
  );
  return { rolledThrough: Number(row!.rolledThrough), lastEventId: row!.lastEventId };
}

export type RollupOutcome = { rolledHours: number; staleHoursRolled: number; rolledThrough: string; caughtUp: boolean };

/**
 * One run of the rollup job: marks hours already rolled up that received events since the last run (rows written
 * into the past by an import or a seed: the intake writes only the present), rolls up from the start of the hour it
 * stopped in to two minutes ago (in chunks of a day, until `budgetMs` is spent: a first run on a year of events
 * continues in the next run), rolls up again the hours marked stale, and forgets rolled-up hours older than the
 * oldest stored event (a dropped month).
 * Idempotent: every step replaces an hour's counts with a fresh count of its events.
 */
export async function rollUpWebhookHours(options: { now?: Date; budgetMs?: number } = {}): Promise<RollupOutcome> {
  const started = Date.now();
  const budgetMs = options.budgetMs ?? 60_000;
  const closedBefore = floorMinute((options.now ?? new Date()).getTime() - ROLLUP_GRACE_MS);
  const database = getDatabase();
  let rolledHours = 0;

  // Events that arrived since the last run in an hour already rolled up: that hour is stale.
  await database.transaction(async (sql) => {
    const state = await lockState(sql, closedBefore);
    const [newest] = await sql.query<{ id: string | null }>(`SELECT max("id")::text AS id FROM "WebhookEvent"`);
    if (!newest?.id || newest.id === state.lastEventId) return;
    await sql.query(
      `INSERT INTO "WebhookRollupStale" ("hour")
       SELECT DISTINCT date_trunc('hour', "receivedAt", 'UTC') FROM "WebhookEvent"
       WHERE "id" > $1::bigint AND "id" <= $2::bigint AND "receivedAt" < $3::timestamptz`,
      [state.lastEventId, newest.id, iso(state.rolledThrough)],
    );
    await sql.query(`UPDATE "WebhookRollupState" SET "lastEventId" = $1::bigint, "updatedAt" = now() WHERE "id" = 1`, [
      newest.id,
    ]);
  });

  // Hours over since the last run, a chunk per transaction.
  let rolledThrough = 0;
  for (;;) {
    const done = await database.transaction(async (sql) => {
      const state = await lockState(sql, closedBefore);
      rolledThrough = state.rolledThrough;
      if (state.rolledThrough >= closedBefore) return true;
      // The hour it stopped in is counted again from its start.
      const from = floorHour(state.rolledThrough);
      const until = Math.min(closedBefore, from + CHUNK_HOURS * HOUR_MS);
      await rollRange(sql, from, until);
      await sql.query(
        `UPDATE "WebhookRollupState" SET "rolledThrough" = $1::timestamptz, "updatedAt" = now() WHERE "id" = 1`,
        [iso(until)],
      );
      rolledHours += Math.ceil((until - from) / HOUR_MS);
      rolledThrough = until;
      return until >= closedBefore;
    });
    if (done || Date.now() - started > budgetMs) break;
  }

  // Stale hours: the marks are deleted before the hour is read again, in one transaction. A marking transaction
  // that committed before the delete is seen by the read that follows it (a new snapshot per statement); one that
  // commits later leaves its mark for the next run.
  const staleHours = await database.sql.query<{ hour: number }>(
    `SELECT (EXTRACT(EPOCH FROM "hour") * 1000)::float8 AS hour FROM "WebhookRollupStale"
     GROUP BY "hour" ORDER BY "hour" LIMIT ${STALE_PER_RUN}`,
  );
  let staleHoursRolled = 0;
  for (const { hour } of staleHours) {
    if (Date.now() - started > budgetMs) break;
    await database.transaction(async (sql) => {
      const state = await lockState(sql, closedBefore);
      await sql.query(`DELETE FROM "WebhookRollupStale" WHERE "hour" = $1::timestamptz`, [iso(Number(hour))]);
      // An hour not reached yet is rolled up when it is.
      if (Number(hour) < state.rolledThrough) {
        await rollRange(sql, Number(hour), Math.min(Number(hour) + HOUR_MS, state.rolledThrough));
      }
    });
    staleHoursRolled += 1;
  }

  // Hours before the oldest stored event held events that are gone (retention dropped their month).
  await database.transaction(async (sql) => {
    await lockState(sql, closedBefore);
    const [first] = await sql.query<{ first: number | null }>(
      `SELECT (EXTRACT(EPOCH FROM date_trunc('hour', min("receivedAt"), 'UTC')) * 1000)::float8 AS first
       FROM "WebhookEvent"`,
    );
    if (first?.first === null || first?.first === undefined) return;
    const bound = [iso(Number(first.first))];
    await sql.query(`DELETE FROM "WebhookHourly" WHERE "hour" < $1::timestamptz`, bound);
    await sql.query(`DELETE FROM "WebhookHourlyLag" WHERE "hour" < $1::timestamptz`, bound);
  });

  return {
    rolledHours,
    staleHoursRolled,
    rolledThrough: iso(rolledThrough),
    caughtUp: rolledThrough >= closedBefore && staleHoursRolled === staleHours.length,
  };
}

/** Registers the rollup job's handler (instrumentation.ts): every minute, at most 50 seconds of work. */
export function registerWebhookRollupJobs(): void {
  registerJobHandler("webhook-rollup", async ({ trigger }) => {
    const outcome = await rollUpWebhookHours({ budgetMs: 50_000 });
    if (outcome.rolledHours > 1 || outcome.staleHoursRolled > 0 || !outcome.caughtUp) {
      log("webhooks").info({ trigger, ...outcome }, "webhook hourly rollup");
    }
  });
}

// ── Reading ────────────────────────────────────────────────────────────────────────────────────────────────

/** A span of receipt times: from (inclusive) to `to` (exclusive; null: no end). */
export type TimeSpan = { from: number; to: number | null };

/**
 * How a span of whole hours is answered: `rolled` from the rollup (minus `staleInRolled`, hours counted live
 * instead), `live` by counting events. Empty spans are left out. `empty`: no event is stored at all.
 */
export type SpanPlan = { rolled: TimeSpan | null; staleInRolled: number[]; live: TimeSpan[]; empty: boolean };

type Coverage = { rolledThrough: number | null; stale: number[]; firstHour: number | null };

/** How far the rollup has counted, as a scalar subquery: NULL before its first run. Every reader takes it from here. */
const ROLLED_THROUGH = `(SELECT "rolledThrough" FROM "WebhookRollupState" WHERE "id" = 1)`;

async function readCoverage(): Promise<Coverage> {
  const sql = getDatabase().sql;
  const [[state], stale] = await Promise.all([
    sql.query<{ rolledThrough: number | null; first: number | null }>(
      `SELECT (EXTRACT(EPOCH FROM ${ROLLED_THROUGH}) * 1000)::float8 AS "rolledThrough",
         (SELECT (EXTRACT(EPOCH FROM date_trunc('hour', min("receivedAt"), 'UTC')) * 1000)::float8
           FROM "WebhookEvent") AS first`,
    ),
    sql.query<{ hour: number }>(
      `SELECT (EXTRACT(EPOCH FROM "hour") * 1000)::float8 AS hour FROM "WebhookRollupStale"
       GROUP BY "hour" ORDER BY "hour" LIMIT ${MAX_STALE_READ + 1}`,
    ),
  ]);
  const hours = stale.map((row) => Number(row.hour));
  let rolledThrough =
    state?.rolledThrough === null || state?.rolledThrough === undefined ? null : Number(state.rolledThrough);
  // Too many stale hours to list in a query: trust the rollup only before the earliest of them.
  if (rolledThrough !== null && hours.length > MAX_STALE_READ) rolledThrough = Math.min(rolledThrough, hours[0]!);
  return {
    rolledThrough,
    stale: hours.filter((hour) => rolledThrough !== null && hour < rolledThrough),
    firstHour: state?.first === null || state?.first === undefined ? null : Number(state.first),
  };
}

/**
 * Splits a span (its ends whole hours, or no end) between the rollup and live counting. The rollup covers up to
 * `rolledThrough`, which may fall inside an hour: that hour's row holds its events up to there.
 */
export async function planSpan(span: TimeSpan): Promise<SpanPlan> {
  const coverage = await readCoverage();
  if (coverage.firstHour === null) return { rolled: null, staleInRolled: [], live: [], empty: true };
  const from = Math.max(span.from, coverage.firstHour);
  const covered = coverage.rolledThrough ?? from;
  const rolledTo = span.to === null ? covered : Math.min(span.to, covered);
  const rolled = rolledTo > from ? { from, to: rolledTo } : null;
  const staleInRolled = rolled ? coverage.stale.filter((hour) => hour >= rolled.from && hour < rolled.to) : [];
  const live: TimeSpan[] = [];
  // Stale hours next to each other are one span; the last one ends where the rollup does.
  for (const hour of staleInRolled) {
    const last = live.at(-1);
    const to = Math.min(hour + HOUR_MS, covered);
    if (last && last.to === hour) last.to = to;
    else live.push({ from: hour, to });
  }
  const liveFrom = Math.max(from, covered);
  if (span.to === null || span.to > liveFrom) live.push({ from: liveFrom, to: span.to });
  return { rolled, staleInRolled, live, empty: false };
}

/** `"receivedAt"` within any of the spans, as SQL with parameters numbered from `first`. */
export function liveCondition(spans: TimeSpan[], first: number): { text: string; values: string[] } {
  const values: string[] = [];
  const parts = spans.map((span) => {
    values.push(iso(span.from));
    const lower = `"receivedAt" >= $${first + values.length - 1}::timestamptz`;
    if (span.to === null) return `(${lower})`;
    values.push(iso(span.to));
    return `(${lower} AND "receivedAt" < $${first + values.length - 1}::timestamptz)`;
  });
  return { text: parts.length ? `(${parts.join(" OR ")})` : "false", values };
}

/** `"hour"` within the rolled span and not one of the stale hours, with parameters numbered from `first`. */
function rolledCondition(plan: SpanPlan, first: number): { text: string; values: string[] } {
  const rolled = plan.rolled!;
  const values = [iso(rolled.from), iso(rolled.to!)];
  let text = `"hour" >= $${first}::timestamptz AND "hour" < $${first + 1}::timestamptz`;
  if (plan.staleInRolled.length) {
    const list = plan.staleInRolled.map((hour, index) => {
      values.push(iso(hour));
      return `$${first + 1 + index + 1}::timestamptz`;
    });
    text += ` AND "hour" NOT IN (${list.join(", ")})`;
  }
  return { text, values };
}

export type HourlyCount = {
  hour: number;
  eventType: string;
  status: WebhookStatus;
  events: number;
  duplicates: number;
};

/** Events per received hour (UTC), type and status over a span of whole hours, with their duplicates. Exact. */
export async function hourlyCounts(span: TimeSpan): Promise<HourlyCount[]> {
  const rows = await groupedCounts(span, {
    rolled: `(EXTRACT(EPOCH FROM "hour") * 1000)::float8 AS hour, "eventType", "status"::text AS status`,
    live: `(EXTRACT(EPOCH FROM date_trunc('hour', "receivedAt", 'UTC')) * 1000)::float8 AS hour, "eventType",
      "status"::text AS status`,
    keys: 3,
  });
  return rows.map((row) => ({
    hour: Number(row.hour),
    eventType: String(row.eventType),
    status: row.status as WebhookStatus,
    events: Number(row.events),
    duplicates: Number(row.duplicates),
  }));
}

export type DailyCount = { day: string; eventType: string; events: number };

/** Events per received UTC day (YYYY-MM-DD) and type over a span of whole hours, added up in the database. Exact. */
export async function dailyCounts(span: TimeSpan): Promise<DailyCount[]> {
  const rows = await groupedCounts(span, {
    rolled: `to_char("hour" AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, "eventType"`,
    live: `to_char("receivedAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, "eventType"`,
    keys: 2,
  });
  const perDay = new Map<string, DailyCount>();
  for (const row of rows) {
    const key = `${String(row.day)}|${String(row.eventType)}`;
    const entry = perDay.get(key) ?? { day: String(row.day), eventType: String(row.eventType), events: 0 };
    entry.events += Number(row.events);
    perDay.set(key, entry);
  }
  return [...perDay.values()];
}

/** A skip scan of `table`'s "eventType" index: each distinct type in one index probe, however many rows. */
const distinctTypes = (table: string, limit: number) => `
  WITH RECURSIVE types AS (
    (SELECT "eventType" FROM "${table}" ORDER BY "eventType" LIMIT 1)
    UNION ALL
    SELECT (SELECT e."eventType" FROM "${table}" e WHERE e."eventType" > types."eventType"
      ORDER BY e."eventType" LIMIT 1)
    FROM types WHERE types."eventType" IS NOT NULL)
  SELECT "eventType" FROM types WHERE "eventType" IS NOT NULL LIMIT ${limit}`;

/**
 * The event types stored, for the inbox's filter (at most `limit`): the rollup's (a skip scan of WebhookHourly's
 * "eventType" index, whose size follows hours × types, not events) and those of the events it has not reached yet
 * (the last minutes). Before the rollup first runs, a skip scan of WebhookEvent's ("eventType", "receivedAt") index.
 * An event written into an hour already rolled up (an import) shows its type after the job's next run.
 */
export async function storedEventTypes(limit: number): Promise<string[]> {
  // One statement: each branch runs only on its side of the rollup's first run (a one-time filter).
  const rows = await getDatabase().sql.query<{ eventType: string }>(
    `SELECT "eventType" FROM (${distinctTypes("WebhookHourly", limit)}) rolled WHERE ${ROLLED_THROUGH} IS NOT NULL
     UNION
     SELECT DISTINCT "eventType" FROM "WebhookEvent" WHERE "receivedAt" >= ${ROLLED_THROUGH}
     UNION
     SELECT "eventType" FROM (${distinctTypes("WebhookEvent", limit)}) stored WHERE ${ROLLED_THROUGH} IS NULL`,
  );
  return rows
    .map((row) => row.eventType)
    .sort()
    .slice(0, limit);
}

export type MonthlyCount = { month: string; events: number };

/**
 * Events stored per received UTC month (YYYY-MM), oldest first, over a span: the rollup's hours summed plus the rest
 * counted live, so retention's screen lists a year of months without counting their rows. Exact. Hours before the
 * oldest stored event (months retention dropped) are not counted: the span starts there (planSpan).
 */
export async function monthlyCounts(span: TimeSpan): Promise<MonthlyCount[]> {
  const rows = await groupedCounts(span, {
    rolled: `to_char("hour" AT TIME ZONE 'UTC', 'YYYY-MM') AS month`,
    live: `to_char("receivedAt" AT TIME ZONE 'UTC', 'YYYY-MM') AS month`,
    keys: 1,
  });
  const perMonth = new Map<string, number>();
  for (const row of rows) perMonth.set(String(row.month), (perMonth.get(String(row.month)) ?? 0) + Number(row.events));
  return [...perMonth.entries()]
    .filter(([, events]) => events > 0)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([month, events]) => ({ month, events }));
}

/** The rollup's and the live part's counts over a span, grouped by the first `keys` selected columns. */
async function groupedCounts(
  span: TimeSpan,
  select: { rolled: string; live: string; keys: number },
): Promise<Record<string, unknown>[]> {
  const plan = await planSpan(span);
  if (plan.empty) return [];
  const sql = getDatabase().sql;
  const groupBy = Array.from({ length: select.keys }, (_, index) => index + 1).join(", ");
  const live = liveCondition(plan.live, 1);
  const [rolled, counted] = await Promise.all([
    plan.rolled
      ? (() => {
          const condition = rolledCondition(plan, 1);
          return sql.query(
            `SELECT ${select.rolled}, sum("events")::float8 AS events, sum("duplicates")::float8 AS duplicates
             FROM "WebhookHourly" WHERE ${condition.text} GROUP BY ${groupBy}`,
            condition.values,
          );
        })()
      : Promise.resolve([]),
    plan.live.length
      ? sql.query(
          `SELECT ${select.live}, count(*)::float8 AS events, COALESCE(sum("duplicates"), 0)::float8 AS duplicates
           FROM "WebhookEvent" WHERE ${live.text} GROUP BY ${groupBy}`,
          live.values,
        )
      : Promise.resolve([]),
  ]);
  return [...rolled, ...counted];
}

/**
 * How many events a filter of type, status and receipt span matches: the rollup's sum plus a live count of the
 * rest. `liveCount` counts the live part with the caller's own filter (the inbox's Prisma where).
 */
export async function countEvents(
  filter: { eventType?: string; status?: WebhookStatus; span: TimeSpan },
  liveCount: (spans: TimeSpan[]) => Promise<number>,
): Promise<number> {
  const plan = await planSpan(filter.span);
  if (plan.empty) return 0;
  const [rolled, live] = await Promise.all([
    plan.rolled
      ? (async () => {
          const condition = rolledCondition(plan, 1);
          const values: string[] = [...condition.values];
          let text = condition.text;
          if (filter.eventType !== undefined) {
            values.push(filter.eventType);
            text += ` AND "eventType" = $${values.length}`;
          }
          if (filter.status !== undefined) {
            values.push(filter.status);
            text += ` AND "status" = $${values.length}::"WebhookStatus"`;
          }
          const [row] = await getDatabase().sql.query<{ n: number }>(
            `SELECT COALESCE(sum("events"), 0)::float8 AS n FROM "WebhookHourly" WHERE ${text}`,
            values,
          );
          return Number(row?.n ?? 0);
        })()
      : Promise.resolve(0),
    plan.live.length ? liveCount(plan.live) : Promise.resolve(0),
  ]);
  return rolled + live;
}

export type LagFigures = { p50: number | null; p95: number | null; backfilled: number };

/**
 * Delivery delay over the events received from `windowStart` (a whole hour) on, leaving out (and counting) those
 * whose own time lies before it. Percentiles come from the delay histogram, the rolled-up hours' and the live
 * part's alike, interpolated as percentile_cont does: within a few percent of the exact figure (LAG_RATIO).
 */
export async function lagFigures(windowStart: number): Promise<LagFigures> {
  const plan = await planSpan({ from: windowStart, to: null });
  if (plan.empty) return { p50: null, p95: null, backfilled: 0 };
  const sql = getDatabase().sql;
  const live = liveCondition(plan.live, 2);
  type Row = { backfilled: boolean; bucket: number; events: number };
  const [rolled, counted] = await Promise.all([
    plan.rolled
      ? (() => {
          const condition = rolledCondition(plan, 2);
          return sql.query<Row>(
            `SELECT ("hour" - "eventAge" * interval '1 hour' < $1::timestamptz) AS backfilled, "bucket",
               sum("events")::float8 AS events
             FROM "WebhookHourlyLag" WHERE ${condition.text} GROUP BY 1, 2`,
            [iso(windowStart), ...condition.values],
          );
        })()
      : Promise.resolve([]),
    plan.live.length
      ? sql.query<Row>(
          `SELECT backfilled, ${LAG_BUCKET} AS bucket, count(*)::float8 AS events
           FROM (SELECT "eventAt" < $1::timestamptz AS backfilled,
               EXTRACT(EPOCH FROM ("receivedAt" - "eventAt")) * 1000 AS lag_ms
             FROM "WebhookEvent" WHERE ${live.text} AND "eventAt" IS NOT NULL) lags
           GROUP BY 1, 2`,
          [iso(windowStart), ...live.values],
        )
      : Promise.resolve([]),
  ]);
  const histogram = new Map<number, number>();
  let backfilled = 0;
  for (const row of [...rolled, ...counted]) {
    if (row.backfilled) backfilled += Number(row.events);
    else histogram.set(Number(row.bucket), (histogram.get(Number(row.bucket)) ?? 0) + Number(row.events));
  }
  return { ...percentilesOf(histogram), backfilled };
}

/**
 * p50 and p95 in seconds from a delay histogram (bucket → events), as percentile_cont would compute them over the
 * delays: the value at fractional rank p·(n-1), interpolated between its two neighbouring ranks. A rank's value is
 * placed inside its bucket by its position among the bucket's events (geometrically: the buckets grow by a ratio).
 */
export function percentilesOf(histogram: Map<number, number>): { p50: number | null; p95: number | null } {
  const buckets = [...histogram.entries()].filter(([, count]) => count > 0).sort((a, b) => a[0] - b[0]);
  const total = buckets.reduce((sum, [, count]) => sum + count, 0);
  if (total === 0) return { p50: null, p95: null };
  const valueAtRank = (rank: number): number => {
    let before = 0;
    for (const [bucket, count] of buckets) {
      if (rank < before + count) {
        if (bucket <= 0) return 0;
        const lower = LAG_RATIO ** (bucket - 1);
        return (lower * LAG_RATIO ** ((rank - before + 0.5) / count)) / 1000;
      }
      before += count;
    }
    return LAG_RATIO ** buckets.at(-1)![0] / 1000;
  };
  const at = (p: number) => {
    const rank = p * (total - 1);
    const low = Math.floor(rank);
    const high = Math.ceil(rank);
    const lowValue = valueAtRank(low);
    return low === high ? lowValue : lowValue + (rank - low) * (valueAtRank(high) - lowValue);
  };
  return { p50: at(0.5), p95: at(0.95) };
}
