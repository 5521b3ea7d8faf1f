import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { openBenchDatabase, root } from "./support";

/**
 * `npm run bench:scale`: how the console's reads grow with the data (issue 24 part 4). Seeds PostgreSQL at two sizes
 * --factor apart (default 10 000 travelers / 200 000 webhook events and 100 000 / 2 000 000, with `db:seed:large`'s
 * SQL) in databases named test_bench_scale_<pid>_<travelers>, one child process per size (both seed at once), rolls
 * the webhook hourly rollup up to date as its job would (timed), then measures, one call at a time in-process (no
 * HTTP, no Next.js render), the two sizes in turns (each metric in three slices, alternating which size goes first,
 * the other waiting), p50 and p95 of:
 *  - search by id prefix: the command palette (lib/search/search.ts) and the travelers list's prefix search
 *    (lib/travelers/queries.ts searchTravelers), 8 characters of a real external_user_id;
 *  - the traveler page: its per-traveler data functions (storedTraveler, travelerTimeline, travelerGaps,
 *    usageSamples, as bench/travelers.ts measures them; no Hubby call, no render);
 *  - the webhook inbox's first page (listWebhookEvents: rows and total) filtered by type+status, by traveler and by
 *    the last 7 days, and its event-type list;
 *  - the health panel (webhookHealth over 24 h);
 *  - the overview: every widget of the default 30-day range at once, as the page streams them (closed days kept);
 *  - intake events/s: ingestWebhook called in-process by 16 concurrent senders with signed, realistic events.
 * Rows marked "before" run main's queries of the figures decision 0065 moved to the rollup, side by side.
 * Then prints growth ratios (large ÷ small) against the target: each p95 ≤ 1.5×, intake ≥ 90 %.
 *
 * Options: --travelers N (10000: the small size), --factor N (10), --budget S (6: seconds per metric, at least
 * 15 calls after 3 warm-up calls; 3 and none for the "before" rows), --intake N (3000 deliveries per size), --keep (keep both databases). BENCH_PG_URL
 * (postgres://postgres@127.0.0.1:5432/postgres).
 */

const PG_ADMIN_URL = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const GROWTH_TARGET = 1.5;
const INTAKE_TARGET = 0.9;
const KEY = "whk_bench_scale";
const SECRET = "whsec_bench_scale";

const { values: args } = parseArgs({
  options: {
    travelers: { type: "string", default: "10000" },
    factor: { type: "string", default: "10" },
    budget: { type: "string", default: "6" },
    intake: { type: "string", default: "3000" },
    keep: { type: "boolean", default: false },
    child: { type: "string" },
    output: { type: "string" },
    name: { type: "string" },
  },
});
const SMALL = Number(args.travelers);
const FACTOR = Number(args.factor);
const BUDGET_MS = Number(args.budget) * 1000;
const INTAKE_EVENTS = Number(args.intake);
const MIN_SAMPLES = 15;
const MAX_SAMPLES = 200;
if (
  !Number.isInteger(SMALL) ||
  SMALL < 1000 ||
  !Number.isInteger(FACTOR) ||
  FACTOR < 2 ||
  !(BUDGET_MS > 0) ||
  !Number.isInteger(INTAKE_EVENTS) ||
  INTAKE_EVENTS < 100
) {
  console.error("--travelers must be a whole number ≥ 1000, --factor ≥ 2, --budget > 0 seconds, --intake ≥ 100.");
  process.exit(1);
}

type Metric = { key: string; label: string; before?: boolean; p50: number; p95: number; samples: number };
type SizeResult = {
  travelers: number;
  events: number;
  lastDayEvents: number;
  seedSeconds: number;
  rollupSeconds: number;
  metrics: Metric[];
  intake: { eventsPerSecond: number; accepted: number; errors: number };
};

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;

function urlFor(name: string) {
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

// ── One size, in a child process (lib/ opens one database per process) ─────────────────────────────────────

/**
 * The two sizes are measured in turns (decision 0068's runs showed why): each metric in ROUNDS slices, the parent
 * letting one child measure a slice while the other waits, alternating which size goes first. Whatever the machine
 * does meanwhile (a checkpoint, another process) then falls on both sizes alike instead of on one of them.
 */
const ROUNDS = 3;
const turns = new Map<string, () => void>();
process.on("message", (message: { go?: string }) => {
  if (message.go) {
    turns.get(message.go)?.();
    turns.delete(message.go);
  }
});

/** Runs `body` when the parent says it is this size's turn for step `id` (at once when run alone). */
async function myTurn(id: string, body: () => Promise<void>): Promise<void> {
  if (!process.send) return body();
  await new Promise<void>((resolve) => {
    turns.set(id, resolve);
    process.send!({ ready: id });
  });
  await body();
  process.send({ done: id });
}

async function measureSize(travelers: number, name: string): Promise<SizeResult> {
  const databaseUrl = urlFor(name);
  process.env.HUBBY_WEBHOOK_API_KEY = KEY;
  process.env.HUBBY_WEBHOOK_AUTH_HEADER = "x-api-key";
  process.env.HUBBY_WEBHOOK_SIGNING_SECRET = SECRET;
  const { database, db, close } = await openBenchDatabase(databaseUrl);
  const { analyzeSeededTables, seedLarge } = await import("../lib/travelers/seed-large");
  const { rollUpWebhookHours } = await import("../lib/webhooks/rollup");
  const inbox = await import("../lib/webhooks/queries");
  const overview = await import("../lib/overview/queries");
  const { resolveOverviewRange } = await import("../lib/overview/range");
  const { searchEverything } = await import("../lib/search/search");
  const { searchTravelers } = await import("../lib/travelers/queries");
  const { travelerQuerySchema } = await import("../lib/travelers/filters");
  const page = await import("../lib/travelers/traveler");
  const { ingestWebhook } = await import("../lib/webhooks/intake");
  const { settleProjections } = await import("../lib/webhooks/projector");
  const { deliveryHeaders, sampleEvent } = await import("../lib/webhooks/samples");
  const { handledEvents } = await import("../lib/webhooks/envelope");
  const { Prisma } = await import("../lib/generated/prisma/client");

  const log = (text: string) => console.log(`[bench ${travelers}] ${text}`);
  log(`seeding ${name}: ${travelers} travelers, ${travelers * 20} webhook events …`);
  let started = performance.now();
  await database.transaction((sql) => seedLarge(sql, { travelers, postgres: true }));
  await analyzeSeededTables(database.sql);
  const seedSeconds = (performance.now() - started) / 1000;
  log(`seeded in ${seedSeconds.toFixed(0)} s; rolling up the webhook hours …`);
  started = performance.now();
  const rollup = await rollUpWebhookHours({ budgetMs: Number.POSITIVE_INFINITY });
  await database.sql.exec(`ANALYZE "WebhookHourly"; ANALYZE "WebhookHourlyLag"`);
  const rollupSeconds = (performance.now() - started) / 1000;
  log(`rolled up ${rollup.rolledHours} hours in ${rollupSeconds.toFixed(1)} s`);

  // The job runs every minute in production: the measurements start from a rollup as fresh as that.
  await rollUpWebhookHours();
  // The seed leaves gigabytes of dirty buffers that a spread checkpoint would write out during the measurements
  // (one run's large size read 2–5× slower at p95 than the next's): write them now, as a database that has been
  // running for a while would have.
  await database.sql.exec("CHECKPOINT");
  const sampled = await database.sql.query<{ externalUserId: string }>(
    `SELECT "externalUserId" FROM "Traveler" ORDER BY hashtext("externalUserId") LIMIT 200`,
  );
  const ids = sampled.map((row) => row.externalUserId);
  const admin = { role: "admin" as const };
  const today = new Date().toISOString().slice(0, 10);
  const weekAgo = new Date(Date.now() - 6 * 86_400_000).toISOString().slice(0, 10);
  const last30 = resolveOverviewRange({});

  const metrics: Metric[] = [];
  async function measure(key: string, label: string, fn: (i: number) => Promise<unknown>, before = false) {
    // Main's scans take seconds at the large size: fewer calls, enough for their order of magnitude.
    const minimum = Math.ceil((before ? 3 : MIN_SAMPLES) / ROUNDS);
    const samples: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      await myTurn(`${key}|${before}|${label}|${round}`, async () => {
        if (round === 0 && !before) for (let i = 0; i < 3; i++) await fn(i);
        const begun = performance.now();
        for (let taken = 0; taken < MAX_SAMPLES / ROUNDS; taken++) {
          if (taken >= minimum && performance.now() - begun > BUDGET_MS / ROUNDS) break;
          const t = performance.now();
          await fn(samples.length);
          samples.push(performance.now() - t);
        }
      });
    }
    samples.sort((a, b) => a - b);
    const metric = {
      key,
      label,
      before,
      p50: percentile(samples, 0.5),
      p95: percentile(samples, 0.95),
      samples: samples.length,
    };
    metrics.push(metric);
    log(`${label}${before ? " (before)" : ""}: p50 ${metric.p50.toFixed(1)} ms, p95 ${metric.p95.toFixed(1)} ms`);
  }
  const prefix = (i: number) => ids[i % ids.length]!.slice(0, 8);
  const inboxPage = (query: Record<string, unknown>) => inbox.listWebhookEvents(inbox.webhookQuerySchema.parse(query));

  await measure("palette", "search: command palette, id prefix", (i) => searchEverything(admin, prefix(i)));
  await measure("list-search", "search: travelers list, id prefix ¹", (i) =>
    searchTravelers(travelerQuerySchema.parse({ q: prefix(i) })),
  );
  await measure("traveler", "traveler page data (4 reads)", (i) => {
    const id = ids[i % ids.length]!;
    return Promise.all([
      page.storedTraveler(id),
      page.travelerTimeline(id),
      page.travelerGaps(id),
      page.usageSamples(id),
    ]);
  });
  const typeStatus = { type: "package.activated", status: "processed" };
  await measure("inbox-type-status", "inbox page 1: type + status", () => inboxPage(typeStatus));
  await measure("inbox-user", "inbox page 1: traveler", (i) => inboxPage({ user: ids[i % ids.length] }));
  await measure("inbox-days", "inbox page 1: last 7 days", () => inboxPage({ from: weekAgo, to: today }));
  await measure("inbox-types", "inbox: event-type list", () => inbox.listEventTypes());
  await measure("health", "health panel, 24 h", () => inbox.webhookHealth({ hours: 24 }));
  const widgets = () =>
    Promise.all([
      overview.travelerActivity(last30),
      overview.atRisk(),
      overview.webhookEventsPerDay(last30),
      overview.spendAndValue(last30),
      overview.campaignsWithFunnel(),
      overview.hubbyHealth(),
    ]);
  await measure("overview", "overview, 30 days, every widget at once", widgets);
  for (const [key, label, fn] of [
    ["ov-activity", "  overview widget: travelers and activity", () => overview.travelerActivity(last30)],
    ["ov-risk", "  overview widget: at risk ¹", () => overview.atRisk()],
    ["ov-health", "  overview widget: Hubby and webhook health", () => overview.hubbyHealth()],
  ] as const) {
    await measure(key, label, fn);
  }

  // Main's queries for what moved to the rollup (decision 0065), side by side.
  const where = inbox.webhookWhere(inbox.webhookQuerySchema.parse(typeStatus));
  await measure(
    "inbox-type-status",
    "inbox total: type + status, COUNT(*)",
    () => db().webhookEvent.count({ where }),
    true,
  );
  await measure(
    "inbox-types",
    "inbox: event-type list, Prisma distinct",
    () => db().webhookEvent.findMany({ distinct: ["eventType"], select: { eventType: true }, take: 200 }),
    true,
  );
  await measure(
    "health",
    "health panel, 24 h: scans",
    () => {
      const since = new Date(Date.now() - 24 * 3_600_000);
      return Promise.all([
        db().$queryRaw`SELECT date_trunc('hour', "receivedAt") AS hour, "eventType", COUNT(*) AS count
          FROM "WebhookEvent" WHERE "receivedAt" >= ${since} GROUP BY 1, 2 ORDER BY 1`,
        db().webhookEvent.groupBy({ by: ["status"], where: { receivedAt: { gte: since } }, _count: { _all: true } }),
        db().webhookEvent.aggregate({ where: { lastDuplicateAt: { gte: since } }, _sum: { duplicates: true } }),
        db().$queryRaw`SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY lag) FILTER (WHERE NOT backfilled) AS p50,
            percentile_cont(0.95) WITHIN GROUP (ORDER BY lag) FILTER (WHERE NOT backfilled) AS p95,
            COUNT(*) FILTER (WHERE backfilled) AS backfilled
          FROM (SELECT EXTRACT(EPOCH FROM ("receivedAt" - "eventAt")) AS lag, "eventAt" < ${since} AS backfilled
                FROM "WebhookEvent" WHERE "receivedAt" >= ${since} AND "eventAt" IS NOT NULL) AS lags`,
        db().webhookEvent.findFirst({ orderBy: { receivedAt: "desc" }, select: { receivedAt: true } }),
      ]);
    },
    true,
  );
  await measure(
    "daily-first",
    "overview: events per day, 30 days, scan",
    () => db().$queryRaw`
      SELECT ${Prisma.raw(`to_char("receivedAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD')`)} AS day, "eventType", COUNT(*)
      FROM "WebhookEvent" WHERE "receivedAt" >= ${last30.start} AND "receivedAt" < ${last30.end} GROUP BY 1, 2`,
    true,
  );
  const { forgetClosedDays } = await import("../lib/overview/daily-events");
  await measure("daily-first", "overview: events per day, 30 days, first call (nothing kept)", () => {
    forgetClosedDays();
    return overview.webhookEventsPerDay(last30);
  });

  // Intake: signed deliveries of new events, 16 senders, in-process.
  const bodies = Array.from({ length: INTAKE_EVENTS }, (_, index) =>
    JSON.stringify(
      sampleEvent(handledEvents[index % handledEvents.length]!, {
        externalUserId: `bench_scale_${index % 500}`,
        bookingId: `bench_booking_${index % 1000}`,
        packageId: `bench_pkg_${index % 1500}`,
      }),
    ),
  );
  const settings = {
    apiKey: KEY,
    authHeader: "x-api-key",
    authPrefix: "",
    signingSecret: SECRET,
    timestampHeader: "x-hubby-timestamp",
  };
  let next = 0;
  let accepted = 0;
  let errors = 0;
  let intakeMs = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const end = Math.round((bodies.length * (round + 1)) / ROUNDS);
    await myTurn(`intake|${round}`, async () => {
      started = performance.now();
      await Promise.all(
        Array.from({ length: 16 }, async () => {
          while (next < end) {
            const body = bodies[next++]!;
            const result = await ingestWebhook(
              new Headers(deliveryHeaders(body, settings)),
              Buffer.from(body),
              "127.0.0.1",
            );
            if (result.status === 200) accepted += 1;
            else errors += 1;
          }
        }),
      );
      intakeMs += performance.now() - started;
      // The projection deferred past the answers (decision 0071) is written inside this turn, not in the other
      // size's: measured apart from the answers, as bench:webhooks does.
      await settleProjections();
    });
  }
  const eventsPerSecond = bodies.length / (intakeMs / 1000);
  log(`intake: ${eventsPerSecond.toFixed(0)} events/s (${accepted} accepted, ${errors} errors)`);

  const [counts] = await database.sql.query<{ events: number; lastDay: number }>(
    `SELECT (SELECT count(*) FROM "WebhookEvent")::int AS events,
       (SELECT count(*) FROM "WebhookEvent" WHERE "receivedAt" >= now() - interval '24 hours')::int AS "lastDay"`,
  );
  await close();
  return {
    travelers,
    events: counts!.events,
    lastDayEvents: counts!.lastDay,
    seedSeconds,
    rollupSeconds,
    metrics,
    intake: { eventsPerSecond, accepted, errors },
  };
}

// ── The parent: two sizes, then the ratios ─────────────────────────────────────────────────────────────────

type Child = { travelers: number; process: ChildProcess; result: Promise<SizeResult> };

function startChild(travelers: number, name: string): Child {
  const output = path.join(os.tmpdir(), `bench-scale-${process.pid}-${travelers}.json`);
  const child = spawn(
    process.execPath,
    [
      "--conditions=react-server",
      "--import",
      "tsx",
      "bench/scale.ts",
      "--child",
      String(travelers),
      "--name",
      name,
      "--output",
      output,
      "--budget",
      String(BUDGET_MS / 1000),
      "--intake",
      String(INTAKE_EVENTS),
    ],
    {
      cwd: root,
      stdio: ["inherit", "inherit", "inherit", "ipc"],
      env: { ...process.env, NEXTAUTH_SECRET: crypto.randomBytes(32).toString("hex") },
    },
  );
  const result = new Promise<SizeResult>((resolve, reject) => {
    child.once("exit", (code) => {
      if (code !== 0) return reject(new Error(`the ${travelers}-traveler run exited with ${code}`));
      resolve(JSON.parse(fs.readFileSync(output, "utf8")) as SizeResult);
      fs.rmSync(output, { force: true });
    });
  });
  return { travelers, process: child, result };
}

type TurnMessage = { ready?: string; done?: string };

/** A child's messages in order: `next()` answers the next one, or null once the child has exited. */
function inbox(child: ChildProcess): { next(): Promise<TurnMessage | null> } {
  const queue: TurnMessage[] = [];
  let wake: (() => void) | undefined;
  let exited = false;
  child.on("message", (message: TurnMessage) => {
    queue.push(message);
    wake?.();
  });
  child.once("exit", () => {
    exited = true;
    wake?.();
  });
  return {
    async next() {
      while (queue.length === 0 && !exited) await new Promise<void>((resolve) => (wake = resolve));
      return queue.shift() ?? null;
    },
  };
}

/**
 * Both sizes seed at once, then measure in turns: for each step both children announce it (`ready`), one measures
 * while the other waits, then the other (`go`, answered by `done`); which goes first alternates from step to step.
 */
async function runInTurns(children: Child[]): Promise<SizeResult[]> {
  const inboxes = children.map((child) => inbox(child.process));
  turns: for (let step = 0; ; step++) {
    const announced = await Promise.all(inboxes.map((box) => box.next()));
    // A child that finished (or stopped early, an error its result reports) ends the turns.
    if (announced.some((message) => !message?.ready)) break;
    const id = announced[0]!.ready!;
    if (announced.some((message) => message!.ready !== id)) throw new Error(`the sizes went out of step at ${id}`);
    const order = step % 2 === 0 ? [0, 1] : [1, 0];
    for (const index of order) {
      children[index]!.process.send({ go: id });
      if ((await inboxes[index]!.next())?.done !== id) break turns;
    }
  }
  // The other one is stopped with it.
  for (const child of children) if (child.process.exitCode === null) child.process.kill();
  return Promise.all(children.map((child) => child.result));
}

function printReport(small: SizeResult, large: SizeResult) {
  const n = (value: number) => value.toLocaleString("en-US");
  console.log(
    `\nGrowth: ${n(small.travelers)} → ${n(large.travelers)} travelers, ${n(small.events)} → ${n(large.events)} webhook events ` +
      `(${n(small.lastDayEvents)} → ${n(large.lastDayEvents)} in the last 24 h), PostgreSQL, ${os.cpus().length} CPUs, ` +
      `load ${os
        .loadavg()
        .map((value) => value.toFixed(1))
        .join(" ")}; in-process, sequential calls, p50 / p95 in ms\n`,
  );
  const header = ["metric", "small p50", "small p95", "large p50", "large p95", "p95 ratio", "target", "verdict"];
  const rows: string[][] = [];
  let failed = false;
  for (const metric of small.metrics) {
    const other = large.metrics.find((m) => m.label === metric.label && m.before === metric.before);
    if (!other) continue;
    const ratio = other.p95 / metric.p95;
    const judged = !metric.before && !metric.label.startsWith("  ");
    const pass = ratio <= GROWTH_TARGET;
    if (judged && !pass) failed = true;
    rows.push([
      `${metric.label}${metric.before ? " [before]" : ""}`,
      metric.p50.toFixed(1),
      metric.p95.toFixed(1),
      other.p50.toFixed(1),
      other.p95.toFixed(1),
      `${ratio.toFixed(2)}×`,
      judged ? `≤ ${GROWTH_TARGET}×` : "—",
      judged ? (pass ? "PASS" : "FAIL") : "(info)",
    ]);
  }
  const intakeRatio = large.intake.eventsPerSecond / small.intake.eventsPerSecond;
  rows.push([
    "intake events/s (in-process ingestWebhook, 16 senders)",
    small.intake.eventsPerSecond.toFixed(0),
    "",
    large.intake.eventsPerSecond.toFixed(0),
    "",
    `${(intakeRatio * 100).toFixed(0)}%`,
    `≥ ${INTAKE_TARGET * 100}%`,
    intakeRatio >= INTAKE_TARGET ? "PASS" : "FAIL",
  ]);
  if (intakeRatio < INTAKE_TARGET) failed = true;
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join("  ");
  console.log(line(header));
  for (const row of rows) console.log(line(row));
  console.log(
    `\nseed: ${small.seedSeconds.toFixed(0)} s · ${large.seedSeconds.toFixed(0)} s; first rollup of every hour: ` +
      `${small.rollupSeconds.toFixed(1)} s · ${large.rollupSeconds.toFixed(1)} s; intake errors ${small.intake.errors} · ${large.intake.errors}` +
      `\n¹ read through the travelers list's search (lib/travelers/queries.ts, decision 0067).` +
      `\n[before]: main's query for a figure now read from the hourly rollup (decision 0065), for comparison.`,
  );
  return failed;
}

async function main() {
  if (args.child) {
    const result = await measureSize(Number(args.child), args.name!);
    fs.writeFileSync(args.output!, JSON.stringify(result));
    process.disconnect?.();
    return;
  }
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect().catch((error: Error) => {
    console.error(`PostgreSQL at ${PG_ADMIN_URL} is not reachable (${error.message}); set BENCH_PG_URL.`);
    process.exit(1);
  });
  const sizes = [SMALL, SMALL * FACTOR];
  const names = sizes.map((travelers) => `test_bench_scale_${process.pid}_${travelers}`);
  const began = performance.now();
  try {
    for (const name of names) await admin.query(`CREATE DATABASE "${name}"`);
    const results = await runInTurns(sizes.map((travelers, index) => startChild(travelers, names[index]!)));
    const failed = printReport(results[0]!, results[1]!);
    console.log(`whole run: ${((performance.now() - began) / 60_000).toFixed(1)} min`);
    if (failed) process.exitCode = 1;
  } finally {
    for (const name of names) {
      if (args.keep) console.log(`[bench] kept ${urlFor(name)}`);
      else await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => undefined);
    }
    await admin.end();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
