import { beforeAll, describe, expect, it } from "vitest";
import { getDatabase } from "@/lib/db";
import { hubbyHealth, webhookEventsPerDay } from "@/lib/overview/queries";
import { forgetClosedDays } from "@/lib/overview/daily-events";
import { resolveOverviewRange } from "@/lib/overview/range";
import { listWebhookEvents, webhookHealth, webhookQuerySchema } from "@/lib/webhooks/queries";
import {
  floorHour,
  HOUR_MS,
  monthlyCounts,
  percentilesOf,
  rollUpWebhookHours,
  storedEventTypes,
} from "@/lib/webhooks/rollup";

// The hourly rollup (lib/webhooks/rollup.ts, decision 0065) against a direct scan of WebhookEvent: the health panel,
// the overview's webhook figures and the inbox's totals must read the same before the job runs, after it, after a
// status change or a late duplicate in an hour already rolled up, after rows written into the past, and after the
// oldest events are dropped. Run on PGlite and, with TEST_DATABASE_URL, on PostgreSQL.

const sql = () => getDatabase().sql;
/** Two days ago, on the hour: every hour of the data set is over, so the job rolls all of them up. */
const BASE = floorHour(Date.now()) - 48 * HOUR_MS;
const at = (hours: number, ms = 0) => new Date(BASE + hours * HOUR_MS + ms);
/** The panel's `now`: its 8-hour window starts at BASE - 4 h and covers every event below. */
const NOW = at(3, 17 * 60_000);
const HOURS = 8;
const TYPES = ["esim.installed", "package.activated", "package.usage.50_percent"] as const;
const STATUSES = ["processed", "unhandled", "failed", "quarantined"] as const;

let number = 0;
async function insert(
  receivedAt: Date,
  options: { type?: string; status?: string; lagMs?: number | null; duplicates?: number; user?: string } = {},
) {
  number += 1;
  const eventAt = options.lagMs === null ? null : new Date(receivedAt.getTime() - (options.lagMs ?? 800));
  await sql().query(
    `INSERT INTO "WebhookEvent" ("receivedAt", "eventType", "eventAt", "dedupeKey", "headers", "rawBody", "status",
       "duplicates", "externalUserId")
     VALUES ($1::timestamptz, $2, $3::timestamptz, $4, '{}'::jsonb, '{}', $5::"WebhookStatus", $6, $7)`,
    [
      receivedAt.toISOString(),
      options.type ?? TYPES[number % TYPES.length],
      eventAt?.toISOString() ?? null,
      `rollup-${number}`,
      options.status ?? STATUSES[number % 7 === 0 ? 2 : number % 11 === 0 ? 3 : number % 5 === 0 ? 1 : 0],
      options.duplicates ?? (number % 9 === 0 ? 2 : 0),
      options.user ?? `usr_${number % 4}`,
    ],
  );
}

/** What a scan of WebhookEvent says over the panel's window: the figures the rollup must reproduce. */
async function scan(windowStart: Date) {
  const [perHour] = await Promise.all([
    sql().query<{ hour: string; eventType: string; n: number }>(
      `SELECT to_char(date_trunc('hour', "receivedAt", 'UTC') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24') AS hour,
         "eventType", count(*)::int AS n
       FROM "WebhookEvent" WHERE "receivedAt" >= $1::timestamptz GROUP BY 1, 2 ORDER BY 1, 2`,
      [windowStart.toISOString()],
    ),
  ]);
  const [figures] = await sql().query<{
    total: number;
    duplicates: number;
    p50: number | null;
    p95: number | null;
    backfilled: number;
    processed: number;
    unhandled: number;
    failed: number;
    quarantined: number;
  }>(
    `SELECT count(*)::int AS total, COALESCE(sum("duplicates"), 0)::int AS duplicates,
       (percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM ("receivedAt" - "eventAt")))
         FILTER (WHERE "eventAt" >= $1::timestamptz))::float8 AS p50,
       (percentile_cont(0.95) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM ("receivedAt" - "eventAt")))
         FILTER (WHERE "eventAt" >= $1::timestamptz))::float8 AS p95,
       (count(*) FILTER (WHERE "eventAt" < $1::timestamptz))::int AS backfilled,
       (count(*) FILTER (WHERE status = 'processed'))::int AS processed,
       (count(*) FILTER (WHERE status = 'unhandled'))::int AS unhandled,
       (count(*) FILTER (WHERE status = 'failed'))::int AS failed,
       (count(*) FILTER (WHERE status = 'quarantined'))::int AS quarantined
     FROM "WebhookEvent" WHERE "receivedAt" >= $1::timestamptz`,
    [windowStart.toISOString()],
  );
  return { perHour, ...figures! };
}

const close = (actual: number | null, exact: number | null) => {
  expect(actual === null).toBe(exact === null);
  if (actual !== null && exact !== null) expect(Math.abs(actual - exact)).toBeLessThanOrEqual(0.1 * exact + 0.002);
};

/** The inbox's panel and the overview's widget agree with the scan. */
async function expectFiguresMatchScan() {
  const windowStart = new Date(floorHour(NOW.getTime()) - (HOURS - 1) * HOUR_MS);
  const exact = await scan(windowStart);
  const health = await webhookHealth({ hours: HOURS, now: NOW });
  const series = health.series.flatMap((point) =>
    health.types
      .filter((type) => Number(point[type]) > 0)
      .map((type) => ({ hour: String(point.hour).slice(0, 13), eventType: type, n: Number(point[type]) })),
  );
  expect(series).toEqual(exact.perHour);
  expect(health.total).toBe(exact.total);
  expect(health.counts).toEqual({
    processed: exact.processed,
    unhandled: exact.unhandled,
    failed: exact.failed,
    quarantined: exact.quarantined,
  });
  expect(health.duplicates).toBe(exact.duplicates);
  expect(health.backfilledExcluded).toBe(exact.backfilled);
  close(health.lagSeconds.p50, exact.p50);
  close(health.lagSeconds.p95, exact.p95);

  // The overview's widget looks back 24 h from its own `now`: here the same window as the panel's 8 h.
  const overview = await hubbyHealth({ now: NOW });
  expect(overview.webhooks.total).toBe(exact.total);
  expect(overview.webhooks.failed).toBe(exact.failed + exact.quarantined);
  expect(overview.webhooks.backfilledExcluded).toBe(exact.backfilled);
  close(overview.webhooks.lagSeconds.p95, exact.p95);
}

const inboxQueries: Record<string, unknown>[] = [
  {},
  { type: "esim.installed" },
  { status: "failed" },
  { type: "package.activated", status: "processed" },
  { type: "no.such.type" },
  { from: at(0).toISOString().slice(0, 10) },
  { to: at(-3).toISOString().slice(0, 10) },
  { from: at(-3).toISOString().slice(0, 10), to: at(2).toISOString().slice(0, 10), status: "unhandled" },
  { user: "usr_1" },
  { user: "usr_2", type: "esim.installed" },
];

/** Every inbox filter's total equals a COUNT(*) of the rows it matches. */
async function expectTotalsMatchScan() {
  for (const raw of inboxQueries) {
    const query = webhookQuerySchema.parse(raw);
    const conditions: string[] = [];
    const values: string[] = [];
    const add = (condition: string, value: string) => {
      values.push(value);
      conditions.push(condition.replace("?", `$${values.length}`));
    };
    if (query.type) add(`"eventType" = ?`, query.type);
    if (query.status !== "all") add(`status = ?::"WebhookStatus"`, query.status);
    if (query.user) add(`"externalUserId" = ?`, query.user);
    if (query.from) add(`"receivedAt" >= ?::timestamptz`, `${query.from}T00:00:00Z`);
    if (query.to) add(`"receivedAt" < (?::date + 1)::timestamptz`, query.to);
    const [row] = await sql().query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "WebhookEvent" ${conditions.length ? `WHERE ${conditions.join(" AND ")}` : ""}`,
      values,
    );
    expect({ query: raw, total: (await listWebhookEvents(query)).total }).toEqual({ query: raw, total: row!.n });
  }
  // Retention's months (lib/retention/months.ts) read the same rollup.
  const months = await sql().query<{ month: string; events: number }>(
    `SELECT to_char("receivedAt" AT TIME ZONE 'UTC', 'YYYY-MM') AS month, count(*)::int AS events
     FROM "WebhookEvent" GROUP BY 1 ORDER BY 1`,
  );
  expect(await monthlyCounts({ from: 0, to: null })).toEqual(months);
  // So does the inbox's event-type filter (storedEventTypes).
  const types = await sql().query<{ eventType: string }>(
    `SELECT DISTINCT "eventType" FROM "WebhookEvent" ORDER BY "eventType"`,
  );
  expect((await storedEventTypes(200)).sort()).toEqual(types.map((row) => row.eventType));
}

async function staleMarks() {
  const [row] = await sql().query<{ n: number }>(`SELECT count(*)::int AS n FROM "WebhookRollupStale"`);
  return row!.n;
}

async function rollupRows() {
  return sql().query(
    `SELECT 'h' AS t, "hour"::text, "eventType" AS k, "status"::text AS s, "events", "duplicates" AS d FROM "WebhookHourly"
     UNION ALL
     SELECT 'l', "hour"::text, "eventAge"::text, "bucket"::text, "events", 0 FROM "WebhookHourlyLag"
     ORDER BY 1, 2, 3, 4`,
  );
}

beforeAll(async () => {
  // Seven hours, a few events in each, on both sides of every hour boundary; delays from 0 to 40 s, some events
  // without a time of their own, two dated far before the window (backfilled).
  for (let hour = -3; hour < 3; hour++) {
    for (let index = 0; index < 6; index++) await insert(at(hour, index * 9 * 60_000 + 1), { lagMs: 50 + index * 700 });
    await insert(at(hour + 1, -1), { lagMs: 40_000 });
    await insert(at(hour, 30 * 60_000), { lagMs: null });
  }
  await insert(at(1, 5 * 60_000), { lagMs: 300 * HOUR_MS });
  await insert(at(2, 5 * 60_000), { lagMs: 0 });
  await insert(at(-1, 5 * 60_000), { lagMs: -2000 });
  await insert(at(-2, 5 * 60_000), { lagMs: 500 * HOUR_MS });
});

describe("webhook hourly rollup", () => {
  it("reads the same as a scan before the job has ever run (everything counted live)", async () => {
    const [state] = await sql().query(`SELECT * FROM "WebhookRollupState"`);
    expect(state).toBeUndefined();
    await expectFiguresMatchScan();
    await expectTotalsMatchScan();
  });

  it("rolls up every hour that is over and reads the same from the rollup", async () => {
    const outcome = await rollUpWebhookHours();
    expect(outcome.caughtUp).toBe(true);
    expect(outcome.rolledHours).toBeGreaterThanOrEqual(6);
    const [count] = await sql().query<{ n: number }>(`SELECT sum(events)::int AS n FROM "WebhookHourly"`);
    const [events] = await sql().query<{ n: number }>(`SELECT count(*)::int AS n FROM "WebhookEvent"`);
    expect(count!.n).toBe(events!.n);
    await expectFiguresMatchScan();
    await expectTotalsMatchScan();
  });

  it("is idempotent: a second run changes nothing", async () => {
    const before = await rollupRows();
    await rollUpWebhookHours();
    expect(await rollupRows()).toEqual(before);
  });

  it("a replay's status change and a late duplicate in a rolled-up hour are counted at once, and rolled up again", async () => {
    // What replayEvent and the intake's duplicate count write (lib/webhooks/replay.ts, intake.ts).
    await sql().query(
      `UPDATE "WebhookEvent" SET "status" = 'processed', "attempts" = "attempts" + 1
       WHERE "status" = 'failed' AND "receivedAt" < $1::timestamptz`,
      [at(0).toISOString()],
    );
    await sql().query(
      `UPDATE "WebhookEvent" SET "duplicates" = "duplicates" + 1, "lastDuplicateAt" = now()
       WHERE "dedupeKey" IN ('rollup-3', 'rollup-20')`,
    );
    // Writes that touch neither column mark nothing (an erasure's identifiers, an error's text).
    await sql().query(`UPDATE "WebhookEvent" SET "error" = "error", "externalUserId" = "externalUserId"`);
    expect(await staleMarks()).toBeGreaterThan(0);
    await expectFiguresMatchScan();
    await expectTotalsMatchScan();

    const outcome = await rollUpWebhookHours();
    expect(outcome.staleHoursRolled).toBeGreaterThan(0);
    expect(await staleMarks()).toBe(0);
    await expectFiguresMatchScan();
    await expectTotalsMatchScan();
  });

  it("a change to an event of the last two minutes marks nothing: it is counted live until the job rolls it up", async () => {
    await insert(new Date(), { status: "failed" });
    await sql().query(`UPDATE "WebhookEvent" SET "status" = 'processed' WHERE "dedupeKey" = $1`, [`rollup-${number}`]);
    expect(await staleMarks()).toBe(0);
    await sql().query(`DELETE FROM "WebhookEvent" WHERE "dedupeKey" = $1`, [`rollup-${number}`]);
  });

  it("rows written into hours already rolled up (an import, a seed) are found by the next run", async () => {
    await insert(at(-2, 20 * 60_000), { type: "esim.removed", status: "unhandled", lagMs: 1200 });
    await insert(at(1, 59 * 60_000), { type: "esim.removed", duplicates: 3 });
    await rollUpWebhookHours();
    await expectFiguresMatchScan();
    await expectTotalsMatchScan();
  });

  it("rolls up the hour in progress up to two minutes ago, again from its start on the next run", async () => {
    await sql().exec(`DELETE FROM "WebhookRollupState"; DELETE FROM "WebhookHourly"; DELETE FROM "WebhookHourlyLag";`);
    const first = await rollUpWebhookHours({ now: at(0, 31 * 60_000) });
    expect(first.rolledThrough).toBe(at(0, 29 * 60_000).toISOString());
    await expectFiguresMatchScan();
    await expectTotalsMatchScan();
    await rollUpWebhookHours({ now: at(0, 47 * 60_000) });
    const [rolled] = await sql().query<{ n: number }>(
      `SELECT sum(events)::int AS n FROM "WebhookHourly" WHERE "hour" = $1::timestamptz`,
      [at(0).toISOString()],
    );
    const [events] = await sql().query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "WebhookEvent" WHERE "receivedAt" >= $1::timestamptz AND "receivedAt" < $2::timestamptz`,
      [at(0).toISOString(), at(0, 45 * 60_000).toISOString()],
    );
    expect(rolled!.n).toBe(events!.n);
    await expectFiguresMatchScan();
    await expectTotalsMatchScan();
    await rollUpWebhookHours();
    await expectFiguresMatchScan();
  });

  it("two workers at once roll up the same hours once, and the result equals a scan", async () => {
    await sql().exec(`DELETE FROM "WebhookRollupState"; DELETE FROM "WebhookHourly"; DELETE FROM "WebhookHourlyLag";`);
    const outcomes = await Promise.all([rollUpWebhookHours(), rollUpWebhookHours()]);
    expect(outcomes.every((outcome) => outcome.caughtUp)).toBe(true);
    const [count] = await sql().query<{ n: number }>(`SELECT sum(events)::int AS n FROM "WebhookHourly"`);
    const [events] = await sql().query<{ n: number }>(`SELECT count(*)::int AS n FROM "WebhookEvent"`);
    expect(count!.n).toBe(events!.n);
    await expectFiguresMatchScan();
    await expectTotalsMatchScan();
  });

  it("the overview's events per day read the same as a scan", async () => {
    forgetClosedDays();
    const range = resolveOverviewRange({
      from: at(-3).toISOString().slice(0, 10),
      to: at(3).toISOString().slice(0, 10),
    });
    const perDay = await webhookEventsPerDay(range);
    const exact = await sql().query<{ day: string; n: number }>(
      `SELECT to_char("receivedAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, count(*)::int AS n FROM "WebhookEvent"
       WHERE "receivedAt" >= $1::timestamptz AND "receivedAt" < $2::timestamptz GROUP BY 1 ORDER BY 1`,
      [range.start.toISOString(), range.end.toISOString()],
    );
    const days = perDay.series
      .map((point) => ({
        day: point.day,
        n: perDay.types.reduce((sum, type) => sum + Number((point as Record<string, unknown>)[type] ?? 0), 0),
      }))
      .filter((point) => point.n > 0);
    expect(days).toEqual(exact);
  });

  it("events dropped by retention leave the totals at once, and their hours leave the rollup at the next run", async () => {
    await sql().query(`DELETE FROM "WebhookEvent" WHERE "receivedAt" < $1::timestamptz`, [at(-2).toISOString()]);
    await expectFiguresMatchScan();
    await expectTotalsMatchScan();
    await rollUpWebhookHours();
    const [old] = await sql().query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "WebhookHourly" WHERE "hour" < $1::timestamptz`,
      [at(-2).toISOString()],
    );
    expect(old!.n).toBe(0);
    await expectFiguresMatchScan();
  });
});

describe("delay percentiles from the histogram", () => {
  it("interpolate between neighbouring ranks as percentile_cont does, within the bucket width", () => {
    // 1 min and 3 min: percentile_cont gives 120 s and 174 s.
    const bucket = (ms: number) => Math.ceil(Math.log(ms) / Math.log(1.05));
    const histogram = new Map([
      [bucket(60_000), 1],
      [bucket(180_000), 1],
    ]);
    const { p50, p95 } = percentilesOf(histogram);
    expect(Math.abs(p50! - 120)).toBeLessThan(120 * 0.05);
    expect(Math.abs(p95! - 174)).toBeLessThan(174 * 0.05);
    expect(percentilesOf(new Map())).toEqual({ p50: null, p95: null });
    expect(percentilesOf(new Map([[0, 3]]))).toEqual({ p50: 0, p95: 0 });
  });
});
