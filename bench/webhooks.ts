import { spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { handledEvents, isHandledEvent, parseWebhookBody } from "../lib/webhooks/envelope";
import { factsFor } from "../lib/webhooks/facts";
import { withProjection } from "../lib/webhooks/projection";
import { deliveryHeaders, sampleEvent } from "../lib/webhooks/samples";
import { ensureBuild, freePort, killGroup, readGauge, root, spawnConsole, stopConsole, waitForHealth } from "./support";

/**
 * `npm run bench:webhooks`: drives POST /api/webhooks/hubby of the console started exactly as `npm start` starts
 * it (scripts/run-server.ts start → scripts/server.ts, production build) on loopback with realistic signed events
 * (5% duplicates), on PGlite and on PostgreSQL, and the same load against a baseline receiver that checks the key
 * and inserts the same rows (the event and its projection) with raw pg / PGlite. Prints events/s, p50/p99, errors, rows stored vs unique events
 * sent, and our throughput as a ratio of the baseline. On PostgreSQL, raw-insert is measured twice: in this process
 * (the yardstick of issue 23's target) and in a process of its own, started cold as the console is (decision 0074).
 *
 * BENCH_EVENTS (default 5000 events, sent with 5% resends as issue 23's harness sent them: 5,250 deliveries),
 * BENCH_WARMUP (the first 200 deliveries, not measured), BENCH_CONCURRENCY (16), BENCH_ROUNDS (4, alternating),
 * BENCH_PG_URL (postgres://postgres@127.0.0.1:5432/postgres),
 * BENCH_BUILD=1 to rebuild (otherwise an existing .next build is reused), BENCH_BASELINE=event-row for a baseline
 * that stores only the event row.
 */

/** Distinct events sent (BENCH_EVENTS, 5,000); RESEND_SHARE more deliveries repeat one of them. */
const EVENTS = Number(process.env.BENCH_EVENTS ?? 5000);
const RESEND_SHARE = 0.05;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
/** Deliveries each receiver gets before the measured rounds (BENCH_WARMUP, 200). */
const WARMUP = Number(process.env.BENCH_WARMUP ?? 200);
const PG_ADMIN_URL = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
export const KEY = "whk_bench_key";
/** BENCH_BASELINE=event-row: the baseline stores only the event row (no projection), a stricter yardstick. */
const EVENT_ROW_ONLY = process.env.BENCH_BASELINE === "event-row";
const str = (value: unknown) => (typeof value === "string" ? value : null);
export const SECRET = "whsec_bench_secret";
export const settings = {
  apiKey: KEY,
  authHeader: "x-api-key",
  authPrefix: "",
  signingSecret: SECRET,
  timestampHeader: "x-hubby-timestamp",
};

/** What a yardstick receiver stores per delivery. */
type BaselineMode = "projection" | "event-row" | "raw-insert";

type Result = {
  label: string;
  /** Median time after a round's last answer until the deferred projection was written (the console only). */
  settleMs?: number;
  /** Rows of the projection tables (Traveler, TravelerBooking, TravelerPackage, UsageSample) after the run. */
  projected?: number;
  eventsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  stored: number;
  unique: number;
};

/**
 * The workload: `events` realistic events for 200 travelers, and 5% as many resends, each a repeat of an event sent
 * earlier, spread at random through the deliveries (issue 23's harness: "5,000 Hubby events + 5 % resends").
 */
export function workload(events = EVENTS): { bodies: string[]; unique: number } {
  const bodies: string[] = [];
  const sent: string[] = [];
  let resends = Math.round(events * RESEND_SHARE);
  for (let index = 0; sent.length < events || resends > 0;) {
    const left = events - sent.length + resends;
    if (sent.length > 0 && Math.random() * left < resends) {
      bodies.push(sent[Math.floor(Math.random() * sent.length)]!);
      resends -= 1;
      continue;
    }
    const event = handledEvents[index % handledEvents.length]!;
    const user = `bench_${index % 200}`;
    const body = JSON.stringify(
      sampleEvent(event, {
        externalUserId: user,
        bookingId: `booking_${index % 400}`,
        packageId: `pkg_${index % 600}`,
      }),
    );
    bodies.push(body);
    sent.push(body);
    index += 1;
  }
  return { bodies, unique: sent.length };
}

export async function drive(url: string, bodies: string[]) {
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const post = (body: string) =>
    new Promise<number>((resolve) => {
      const request = http.request(
        url,
        { method: "POST", agent, headers: deliveryHeaders(body, settings) },
        (response) => {
          response.resume();
          response.on("end", () => resolve(response.statusCode ?? 0));
        },
      );
      request.on("error", () => resolve(0));
      request.end(body);
    });
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++]!;
        const t0 = performance.now();
        const status = await post(body);
        latencies.push(performance.now() - t0);
        if (status !== 200) errors += 1;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return { seconds, latencies, errors, count: bodies.length };
}

type Measured = Awaited<ReturnType<typeof drive>>;

export function summarise(parts: Measured[]) {
  const latencies = parts.flatMap((part) => part.latencies).sort((a, b) => a - b);
  const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!;
  const seconds = parts.reduce((sum, part) => sum + part.seconds, 0);
  const count = parts.reduce((sum, part) => sum + part.count, 0);
  const errors = parts.reduce((sum, part) => sum + part.errors, 0);
  return { eventsPerSecond: count / seconds, p50: at(0.5), p99: at(0.99), errors };
}

/**
 * A receiver under test. `settle` (the console) resolves once the work it deferred past its answers is done (its
 * projection backlog is empty), answering how long that took: measured apart from the answers, and before the
 * next receiver's round, so that deferred work never runs during another receiver's round.
 */
type Receiver = { url: string; stop(): Promise<void>; settle?: () => Promise<number> };

/** The console as `npm start` runs it (production build), against the given database. */
async function startConsole(env: Record<string, string>): Promise<Receiver> {
  const port = await freePort();
  const metricsToken = `bench-metrics-${crypto.randomUUID()}`;
  const child = spawnConsole(
    port,
    { ...env, HUBBY_WEBHOOK_API_KEY: KEY, HUBBY_WEBHOOK_SIGNING_SECRET: SECRET, METRICS_TOKEN: metricsToken },
    "inherit",
  );
  try {
    await waitForHealth(`http://127.0.0.1:${port}`, child);
  } catch (error) {
    await stopConsole(child);
    throw error;
  }
  return {
    url: `http://127.0.0.1:${port}/api/webhooks/hubby`,
    stop: () => stopConsole(child),
    settle: () => projectionSettled(`http://127.0.0.1:${port}/api/metrics`, metricsToken),
  };
}

/** Polls the console's metrics until its deferred projection backlog is 0; answers the milliseconds it took. */
async function projectionSettled(url: string, token: string): Promise<number> {
  const started = performance.now();
  for (;;) {
    const backlog = await readGauge(url, token, "console_webhook_projection_backlog");
    if (backlog === 0) return performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * The baseline: a bare node:http receiver that checks the key and inserts the same rows as the console — the event
 * row and its projection (traveler, booking, package, usage sample, promo), derived with the same pure functions and
 * written in one statement with raw pg / PGlite. What it leaves out is the console's receiver work: signature and
 * timestamp checks, the byte cap, dedupe bookkeeping, quarantine, and Next.js sharing the process.
 */
export async function startBaseline(
  query: (sql: string, params: unknown[]) => Promise<unknown>,
  mode: BaselineMode,
): Promise<Receiver> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", async () => {
      if (req.headers["x-api-key"] !== KEY) return res.writeHead(401).end();
      const raw = Buffer.concat(chunks).toString("utf8");
      const parsed = parseWebhookBody(raw, null);
      if (!parsed.ok) return res.writeHead(400).end();
      const event = parsed.event;
      const receivedAt = new Date();
      const facts =
        mode === "projection" && isHandledEvent(event.eventType)
          ? factsFor({ ...event, eventType: event.eventType }, receivedAt)
          : undefined;
      // The least that stores an event once: its key claimed in WebhookDedupe, and the row if the claim did.
      const insert = {
        text: `claim AS (INSERT INTO "WebhookDedupe" ("dedupeKey", "eventId", "receivedAt")
             VALUES ($3::text, nextval('"WebhookEvent_id_seq"'), now()) ON CONFLICT ("dedupeKey") DO NOTHING
             RETURNING "eventId", "receivedAt"),
           ins AS (INSERT INTO "WebhookEvent" ("id", "receivedAt", "eventType", "eventAt", "dedupeKey", "eventId",
             "headers", "body", "status", "externalUserId", "bookingId", "packageId")
             SELECT claim."eventId", claim."receivedAt", $1::text, $2::timestamptz, $3::text, $4::text, $5::jsonb,
               $6::json, 'processed', $7::text, $8::text, $9::text FROM claim RETURNING "id")`,
        values: [
          event.eventType,
          event.eventAt,
          `id:${event.eventId}`,
          event.eventId,
          "{}",
          raw,
          str(event.data.external_user_id),
          str(event.data.booking_id),
          str(event.data.package_id),
        ],
      };
      // raw-insert: exactly that statement, with no projection.
      const statement = withProjection(insert, mode === "raw-insert" ? undefined : facts);
      try {
        await query(statement.text, statement.values);
        res.writeHead(200, { "content-type": "application/json" }).end('{"received":true}');
      } catch {
        res.writeHead(503).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/**
 * Every receiver gets the same deliveries, warmed up with the first WARMUP, then measured in rounds whose order rotates
 * (console, baseline, raw-insert, …; baseline, raw-insert, …, console; …), so that each receiver takes each place in
 * turn and a busy machine slows all alike. Side by side, the receiver that went first in a round read a few percent
 * slower; the order used to rotate and reverse, which put the console first in half the rounds (docs/benchmarks.md).
 */
async function compare(receivers: Receiver[], bodies: string[]) {
  for (const receiver of receivers) await drive(receiver.url, bodies.slice(0, WARMUP));
  const measured = bodies.slice(WARMUP);
  const size = Math.ceil(measured.length / ROUNDS);
  const parts: Measured[][] = receivers.map(() => []);
  const settles: number[][] = receivers.map(() => []);
  for (const receiver of receivers) await receiver.settle?.();
  for (let round = 0; round < ROUNDS; round++) {
    const slice = measured.slice(round * size, (round + 1) * size);
    const order = receivers.map((_, index) => (index + round) % receivers.length);
    for (const index of order) {
      parts[index]!.push(await drive(receivers[index]!.url, slice));
      const settled = await receivers[index]!.settle?.();
      if (settled !== undefined) settles[index]!.push(settled);
    }
  }
  return parts.map((part, index) => ({ ...summarise(part), settleMs: median(settles[index]!) }));
}

function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/**
 * The receivers compare() measures, in its order: the console, the baseline, raw-insert (no projection), and on
 * PostgreSQL raw-insert again in a process of its own (startRawInsertProcess).
 */
const RECEIVERS = ["console", "baseline", "raw-insert", "raw-insert, own process"] as const;

/**
 * raw-insert in a process of its own (bench/raw-insert-process.ts), started cold as the console is, with the same
 * statement and pool: the like-for-like yardstick beside the in-process one (docs/decisions/0074). PostgreSQL only:
 * PGlite runs in the process that opens it, so there the console and its database share one process anyway.
 */
async function startRawInsertProcess(databaseUrl: string): Promise<Receiver> {
  const child = spawn(
    process.execPath,
    ["--conditions=react-server", "--import", "tsx", path.join("bench", "raw-insert-process.ts")],
    {
      cwd: root,
      detached: true,
      stdio: ["ignore", "pipe", "inherit"],
      env: { ...process.env, BENCH_RAW_DB_URL: databaseUrl, BENCH_CONCURRENCY: String(CONCURRENCY) },
    },
  );
  const stop = () => killGroup(child);
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString("utf8");
      const listening = /^listening (\S+)$/m.exec(out);
      if (listening) resolve(listening[1]!);
    });
    child.once("exit", (code) => reject(new Error(`bench/raw-insert-process.ts exited (${code}) before listening`)));
  }).catch(async (error: unknown) => {
    await stop();
    throw error;
  });
  return { url, stop };
}

const PROJECTION_COUNT = `SELECT (SELECT count(*) FROM "Traveler") + (SELECT count(*) FROM "TravelerBooking")
  + (SELECT count(*) FROM "TravelerPackage") + (SELECT count(*) FROM "UsageSample") AS n`;

function migrationsSql(): string[] {
  const dir = path.join(root, "prisma", "migrations");
  return fs
    .readdirSync(dir)
    .filter((name) => fs.existsSync(path.join(dir, name, "migration.sql")))
    .sort()
    .map((name) => fs.readFileSync(path.join(dir, name, "migration.sql"), "utf8"));
}

const uniqueAfterWarmup = (bodies: string[]) =>
  new Set(bodies.map((body) => (JSON.parse(body) as { event_id: string }).event_id)).size;

async function main() {
  const deliveries = Number.isInteger(EVENTS) && EVENTS > 0 ? EVENTS + Math.round(EVENTS * RESEND_SHARE) : 0;
  if (!Number.isInteger(WARMUP) || WARMUP < 0 || WARMUP + ROUNDS > deliveries) {
    console.error(
      `BENCH_WARMUP (${WARMUP}) must leave at least one delivery per round ` +
        `of the ${deliveries} that BENCH_EVENTS (${EVENTS}) makes.`,
    );
    process.exit(1);
  }
  ensureBuild();
  const { bodies } = workload();
  const unique = uniqueAfterWarmup(bodies);
  const results: Result[] = [];
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), "hubby-bench-"));
  const baselineMode: BaselineMode = EVENT_ROW_ONLY ? "event-row" : "projection";
  const loads: number[] = [os.loadavg()[0]!];

  // PGlite: the console's embedded default. Each yardstick has its own database, in this process.
  const consoleDir = path.join(temp, "console-pglite");
  const baseDb = await PGlite.create(path.join(temp, "baseline-pglite"));
  const rawDb = await PGlite.create(path.join(temp, "raw-pglite"));
  for (const sql of migrationsSql()) {
    await baseDb.exec(sql);
    await rawDb.exec(sql);
  }
  {
    const ours = await startConsole({ PGLITE_DATA_DIR: consoleDir, DATABASE_URL: "" });
    const baseline = await startBaseline((sql, params) => baseDb.query(sql, params), baselineMode);
    const raw = await startBaseline((sql, params) => rawDb.query(sql, params), "raw-insert");
    const measured = await compare([ours, baseline, raw], bodies).finally(async () => {
      await ours.stop();
      await baseline.stop();
      await raw.stop();
    });
    loads.push(os.loadavg()[0]!);
    const consoleDb = await PGlite.create(consoleDir);
    const countIn = async (db: PGlite) =>
      (await db.query<{ n: number }>(`SELECT COUNT(*)::int AS n FROM "WebhookEvent"`)).rows[0]!.n;
    const projectedIn = async (db: PGlite) => Number((await db.query<{ n: number }>(PROJECTION_COUNT)).rows[0]!.n);
    for (const [index, db] of [consoleDb, baseDb, rawDb].entries()) {
      results.push({
        label: `${RECEIVERS[index]}, PGlite`,
        ...measured[index]!,
        stored: await countIn(db),
        projected: index < 2 ? await projectedIn(db) : undefined,
        unique,
      });
    }
    await consoleDb.close();
  }
  await baseDb.close();
  await rawDb.close();

  // PostgreSQL, when reachable.
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  const reachable = await admin.connect().then(
    () => true,
    () => false,
  );
  if (reachable) {
    const names = [
      `bench_console_${process.pid}`,
      `bench_baseline_${process.pid}`,
      `bench_raw_${process.pid}`,
      `bench_raw_process_${process.pid}`,
    ];
    for (const name of names) await admin.query(`CREATE DATABASE "${name}"`);
    const urlFor = (name: string) => {
      const url = new URL(PG_ADMIN_URL);
      url.pathname = `/${name}`;
      return url.toString();
    };
    try {
      const count = async (name: string, sql = `SELECT COUNT(*)::int AS n FROM "WebhookEvent"`) => {
        const client = new pg.Client({ connectionString: urlFor(name) });
        await client.connect();
        const rows = await client.query<{ n: number }>(sql);
        await client.end();
        return Number(rows.rows[0]!.n);
      };
      const pool = new pg.Pool({ connectionString: urlFor(names[1]!), max: 10 });
      // raw-insert gets a connection per concurrent request: the most it could use.
      const rawPool = new pg.Pool({ connectionString: urlFor(names[2]!), max: CONCURRENCY });
      const rawProcessDb = new pg.Client({ connectionString: urlFor(names[3]!) });
      await rawProcessDb.connect();
      for (const sql of migrationsSql()) {
        await pool.query(sql);
        await rawPool.query(sql);
        await rawProcessDb.query(sql);
      }
      await rawProcessDb.end();
      const ours = await startConsole({ DATABASE_URL: urlFor(names[0]!) });
      const baseline = await startBaseline((sql, params) => pool.query(sql, params), baselineMode);
      const raw = await startBaseline((sql, params) => rawPool.query(sql, params), "raw-insert");
      const rawProcess = await startRawInsertProcess(urlFor(names[3]!));
      const measured = await compare([ours, baseline, raw, rawProcess], bodies).finally(async () => {
        await ours.stop();
        await baseline.stop();
        await raw.stop();
        await rawProcess.stop();
      });
      loads.push(os.loadavg()[0]!);
      await pool.end();
      await rawPool.end();
      for (const [index, name] of names.entries()) {
        results.push({
          label: `${RECEIVERS[index]}, PostgreSQL`,
          ...measured[index]!,
          stored: await count(name),
          projected: index < 2 ? await count(name, PROJECTION_COUNT) : undefined,
          unique,
        });
      }
    } finally {
      for (const name of names) await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    }
  } else {
    console.log(`[bench] PostgreSQL at ${PG_ADMIN_URL} is not reachable: skipped.`);
  }
  fs.rmSync(temp, { recursive: true, force: true });

  console.log(
    `\nWebhook intake (baseline: ${EVENT_ROW_ONLY ? "event row only" : "the same rows, event + projection"}; raw-insert: one statement claiming the key in WebhookDedupe and inserting the event row, no projection), ${bodies.length - WARMUP} measured deliveries (${EVENTS} events + ${bodies.length - EVENTS} resends, the first ${WARMUP} deliveries to warm up), concurrency ${CONCURRENCY}, ${ROUNDS} rotating rounds, Node ${process.version}${process.env.BENCH_CONSOLE_NODE ? ` (the console: ${process.env.BENCH_CONSOLE_NODE})` : ""}, ${os.cpus().length} CPUs, load average ${loads.map((load) => load.toFixed(1)).join(" → ")}\n`,
  );
  console.log(
    "receiver                               events/s   p50 ms   p99 ms  errors  stored/unique  projection rows  projected after",
  );
  for (const r of results) {
    const settled = r.settleMs === undefined ? "" : `${r.settleMs.toFixed(0)} ms`;
    console.log(
      `${r.label.padEnd(38)} ${r.eventsPerSecond.toFixed(0).padStart(8)} ${r.p50.toFixed(1).padStart(8)} ${r.p99.toFixed(1).padStart(8)} ${String(r.errors).padStart(7)}  ${`${r.stored}/${r.unique}`.padEnd(13)}  ${String(r.projected ?? "").padStart(15)}  ${settled.padStart(15)}`,
    );
  }
  const targets: Record<string, number> = { PGlite: 0.8, PostgreSQL: 1.0 };
  for (const db of ["PGlite", "PostgreSQL"]) {
    const ours = results.find((r) => r.label === `console, ${db}`);
    const base = results.find((r) => r.label === `baseline, ${db}`);
    const raw = results.find((r) => r.label === `raw-insert, ${db}`);
    const rawProcess = results.find((r) => r.label === `raw-insert, own process, ${db}`);
    if (ours && base && raw) {
      const ratio = ours.eventsPerSecond / base.eventsPerSecond;
      const rawRatio = ours.eventsPerSecond / raw.eventsPerSecond;
      const ownProcess = rawProcess
        ? `; console ÷ raw-insert in its own process = ${(ours.eventsPerSecond / rawProcess.eventsPerSecond).toFixed(2)}×`
        : "";
      console.log(
        `${db}: console ÷ raw-insert = ${rawRatio.toFixed(2)}× (target ≥ ${targets[db]!.toFixed(1)}×)${ownProcess}; console ÷ baseline = ${ratio.toFixed(2)}×`,
      );
    }
  }
  // The console's projection, deferred or not, must end as the baseline's (the same rows from the same events).
  const projectionDiffers = ["PGlite", "PostgreSQL"].some((db) => {
    const ours = results.find((r) => r.label === `console, ${db}`);
    const base = results.find((r) => r.label === `baseline, ${db}`);
    return ours && base && !EVENT_ROW_ONLY && ours.projected !== base.projected;
  });
  const failed = results.some((r) => r.errors > 0 || r.stored !== r.unique) || projectionDiffers;
  if (failed) {
    console.log("FAILED: errors, stored rows differ from unique events sent, or the projections differ.");
    process.exit(1);
  }
}

// bench/forwarding.ts imports the workload and the driver: run only when started as this file.
if (path.basename(process.argv[1] ?? "") === "webhooks.ts") {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
