import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";

/**
 * `npm run bench:storage`: bytes stored per webhook event. On a fresh PGlite and a fresh PostgreSQL database, the
 * same N realistic events (the documented shapes, an event_id each, all distinct) go through the console's own
 * intake (ingestWebhook, in bursts so the group commit batches them as in production); then the space of the event
 * table (all its partitions: heap, TOAST and indexes) and of the dedupe table is divided by the rows. It runs the
 * code of the checkout it sits in, so the "before" figure comes from running this file in a checkout of the
 * previous schema (docs/benchmarks.md says how).
 *
 * BENCH_EVENTS (default 20000), BENCH_PG_URL (postgres://postgres@127.0.0.1:5432/postgres, the server where a
 * scratch database is created and dropped), BENCH_DATABASES (pglite,postgres).
 */

const EVENTS = Number(process.env.BENCH_EVENTS ?? 20000);
const PG_ADMIN_URL = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const DATABASES = (process.env.BENCH_DATABASES ?? "pglite,postgres").split(",").map((name) => name.trim());
const KEY = "whk_bench_storage";
const BURST = 32;

type Figures = {
  database: string;
  events: number;
  bodyBytes: number;
  eventHeap: number;
  eventIndexes: number;
  dedupe: number;
  partitions: number;
};

function realisticBodies(count: number, handled: readonly string[], sample: SampleEvent): string[] {
  const start = Date.UTC(2026, 10, 1);
  return Array.from({ length: count }, (_, index) =>
    JSON.stringify({
      event_id: `evt_${crypto.randomBytes(12).toString("hex")}`,
      ...sample(
        handled[index % handled.length] as never,
        {
          externalUserId: `usr_${crypto
            .createHash("sha1")
            .update(String(index % 2000))
            .digest("hex")
            .slice(0, 20)}`,
          bookingId: `bk_${String(index % 4000).padStart(8, "0")}`,
          packageId: `pkg_${String(index % 6000).padStart(8, "0")}`,
        },
        new Date(start + index * 37_000),
      ),
    }),
  );
}
type SampleEvent = (
  event: never,
  ids: { externalUserId: string; bookingId: string; packageId: string },
  at: Date,
) => Record<string, unknown>;

/** In the child: migrate, ingest, measure; prints one JSON line. */
async function child(database: string) {
  const { getDatabase, closeDatabase } = await import("../lib/db");
  const { migrate } = await import("../lib/migrations");
  const { ingestWebhook } = await import("../lib/webhooks/intake");
  const { sampleEvent } = await import("../lib/webhooks/samples");
  const { handledEvents } = await import("../lib/webhooks/envelope");
  const db = getDatabase();
  await migrate(db);
  const bodies = realisticBodies(EVENTS, handledEvents, sampleEvent as unknown as SampleEvent);
  const headers = { get: (name: string) => (name === "x-api-key" ? KEY : null) };
  let failed = 0;
  for (let start = 0; start < bodies.length; start += BURST) {
    const results = await Promise.all(
      bodies.slice(start, start + BURST).map((body) => ingestWebhook(headers, Buffer.from(body, "utf8"), "127.0.0.1")),
    );
    failed += results.filter((result) => result.status !== 200 || result.body.duplicate).length;
  }
  if (failed > 0) throw new Error(`${failed} deliveries were not stored as new events`);
  if (db.kind === "postgres") await db.sql.exec(`CHECKPOINT`);
  const [sizes] = await db.sql.query<Record<string, number>>(
    `WITH parts AS (
       SELECT c.oid FROM pg_class c WHERE c.oid = '"WebhookEvent"'::regclass
       UNION SELECT inhrelid FROM pg_inherits WHERE inhparent = '"WebhookEvent"'::regclass)
     SELECT (SELECT count(*) FROM "WebhookEvent")::float8 AS events,
       (SELECT sum(pg_table_size(oid)) FROM parts)::float8 AS "eventHeap",
       (SELECT sum(pg_indexes_size(oid)) FROM parts)::float8 AS "eventIndexes",
       (SELECT count(*) - 1 FROM parts)::float8 AS partitions,
       COALESCE(pg_total_relation_size(to_regclass('"WebhookDedupe"')), 0)::float8 AS dedupe`,
  );
  const figures: Figures = {
    database,
    events: sizes!.events!,
    bodyBytes: bodies.reduce((sum, body) => sum + Buffer.byteLength(body), 0) / bodies.length,
    eventHeap: sizes!.eventHeap!,
    eventIndexes: sizes!.eventIndexes!,
    dedupe: sizes!.dedupe!,
    partitions: sizes!.partitions!,
  };
  await closeDatabase();
  console.log(`FIGURES ${JSON.stringify(figures)}`);
}

function runChild(database: string): Figures {
  const env: NodeJS.ProcessEnv = { ...process.env, HUBBY_WEBHOOK_API_KEY: KEY };
  let scratch: { dir?: string; name?: string } = {};
  if (database === "pglite") {
    scratch = { dir: fs.mkdtempSync(path.join(os.tmpdir(), "bench-storage-")) };
    delete env.DATABASE_URL;
    env.PGLITE_DATA_DIR = scratch.dir;
  } else {
    scratch = { name: `bench_storage_${process.pid}_${Date.now()}` };
    spawnSync("psql", [PG_ADMIN_URL, "-qc", `CREATE DATABASE ${scratch.name}`], { stdio: "inherit" });
    const url = new URL(PG_ADMIN_URL);
    url.pathname = `/${scratch.name}`;
    env.DATABASE_URL = url.toString();
  }
  try {
    const tsx = path.join(process.cwd(), "node_modules", ".bin", "tsx");
    const run = spawnSync(tsx, ["--conditions=react-server", __filename, "--child", database], {
      env,
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    });
    const line = run.stdout.split("\n").find((text) => text.startsWith("FIGURES "));
    if (run.status !== 0 || !line) {
      throw new Error(`${database} run failed (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
    }
    return JSON.parse(line.slice("FIGURES ".length)) as Figures;
  } finally {
    if (scratch.dir) fs.rmSync(scratch.dir, { recursive: true, force: true });
    if (scratch.name) {
      spawnSync("psql", [PG_ADMIN_URL, "-qc", `DROP DATABASE IF EXISTS ${scratch.name} WITH (FORCE)`], {
        stdio: "inherit",
      });
    }
  }
}

async function main() {
  const at = process.argv.indexOf("--child");
  if (at >= 0) return child(process.argv[at + 1]!);
  if (process.argv.includes("--help")) {
    console.log("npm run bench:storage  (BENCH_EVENTS, BENCH_PG_URL, BENCH_DATABASES=pglite,postgres)");
    return;
  }
  if (DATABASES.includes("postgres")) {
    const client = new pg.Client({ connectionString: PG_ADMIN_URL });
    await client.connect();
    await client.end();
  }
  const rows = DATABASES.map(runChild);
  const kb = (bytes: number) => (bytes / 1024).toFixed(0);
  console.log(`\nbench:storage — ${EVENTS} realistic events through the intake, bytes per stored event\n`);
  console.log(
    "database  | events | body B | event table B/event (heap+TOAST · indexes) | dedupe B/event | total B/event | total ÷ body | partitions",
  );
  for (const row of rows) {
    const per = (bytes: number) => bytes / row.events;
    const total = per(row.eventHeap + row.eventIndexes + row.dedupe);
    console.log(
      [
        row.database.padEnd(9),
        String(row.events).padStart(6),
        row.bodyBytes.toFixed(0).padStart(6),
        `${per(row.eventHeap + row.eventIndexes).toFixed(0)} (${per(row.eventHeap).toFixed(0)} · ${per(row.eventIndexes).toFixed(0)})`.padEnd(
          43,
        ),
        per(row.dedupe).toFixed(0).padStart(14),
        total.toFixed(0).padStart(13),
        `${(total / row.bodyBytes).toFixed(2)}×`.padStart(12),
        String(row.partitions).padStart(10),
      ].join(" | "),
    );
    console.log(
      `          (event table ${kb(row.eventHeap + row.eventIndexes)} kB, dedupe ${kb(row.dedupe)} kB for ${row.events} events)`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
