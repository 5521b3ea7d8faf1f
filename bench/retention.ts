import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { openBenchDatabase, withBenchDatabase } from "./support";

/**
 * `npm run bench:retention`: what archiving and dropping an expired month of webhook events costs, at two sizes
 * (--events N and 5 × N in one month, bodies of about 1 kB like Hubby's). On PostgreSQL, creates
 * test_bench_retention_<size>_<pid>, seeds the month with generate_series, runs the retention job's webhook part
 * (write gzipped NDJSON to a temp directory, read it back and count, drop the month) and prints, per size and side by
 * side with the ratio: time, events per second, archive size, and the process's peak RSS growth during the run. The
 * archive is streamed page by page, so the RSS growth should stay flat while the events grow 5 ×. Drops the databases.
 *
 * Options: --events N (100000). BENCH_PG_URL (postgres://postgres@127.0.0.1:5432/postgres).
 */
const PG_ADMIN_URL = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const { values: args } = parseArgs({ options: { events: { type: "string", default: "100000" } } });
const EVENTS = Number(args.events);
if (!Number.isInteger(EVENTS) || EVENTS < 1000) {
  console.error("--events must be a whole number ≥ 1000.");
  process.exit(1);
}

type Figures = { events: number; seconds: number; archiveBytes: number; tableBytes: number; rssGrowthMb: number };

async function measure(events: number): Promise<Figures> {
  return withBenchDatabase(`test_bench_retention_${events}_${process.pid}`, PG_ADMIN_URL, async (url) => {
    const { database, close } = await openBenchDatabase(url);
    const { runWebhookRetention } = await import("../lib/retention/webhooks");
    const { archiveStore } = await import("../lib/retention/archive-store");
    const { ensureWebhookMonths } = await import("../lib/webhooks/partitions");
    // October 2025 in its own partition (docs/decisions/0063), spread over the month; a body like Hubby's (about
    // 1 kB) with a per-event id, stored once as the intake stores it, its key claimed in WebhookDedupe.
    await ensureWebhookMonths(new Date("2025-10-01T00:00:00Z"), new Date("2025-10-01T00:00:00Z"), database.sql);
    await database.sql.query(
      `WITH ins AS (INSERT INTO "WebhookEvent" ("receivedAt", "eventType", "dedupeKey", headers, body, status,
                                   "externalUserId")
       SELECT timestamptz '2025-10-01 00:00:00+00' + (n * interval '1 second' * (2678399.0 / $1)),
              'package.activated', 'bench-' || n, '{"content-type":"application/json"}'::jsonb,
              b.body::json, 'processed', 'cust_' || (n % 10000)
         FROM generate_series(1, $1) AS n,
              LATERAL (SELECT json_build_object('event', 'package.activated', 'event_id', 'evt_' || n,
                        'timestamp', '2025-10-01T00:00:00Z',
                        'data', json_build_object('external_user_id', 'cust_' || (n % 10000), 'package_id', md5(n::text),
                          'booking_id', md5((n + 1)::text), 'iccid', '8944' || lpad(n::text, 15, '0'),
                          'note', repeat(md5(n::text), 20)))::text AS body) AS b
       RETURNING "dedupeKey", id, "receivedAt")
       INSERT INTO "WebhookDedupe" ("dedupeKey", "eventId", "receivedAt") SELECT * FROM ins`,
      [events],
    );
    await database.sql.exec(`ANALYZE "WebhookEvent"`);
    const [size] = await database.sql.query<{ bytes: string }>(
      `SELECT sum(pg_total_relation_size(inhrelid))::text AS bytes FROM pg_inherits
        WHERE inhparent = '"WebhookEvent"'::regclass`,
    );
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), "bench-retention-"));
    global.gc?.();
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const started = performance.now();
    const outcome = await runWebhookRetention(
      13,
      new Date("2026-12-05T00:00:00Z"),
      archiveStore({ kind: "directory", directory }),
    );
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    if (outcome.failure || outcome.months[0]?.rows !== events) {
      throw new Error(`The run did not archive and drop the month: ${JSON.stringify(outcome)}`);
    }
    const archiveBytes = outcome.months[0].bytes;
    fs.rmSync(directory, { recursive: true, force: true });
    await close();
    return { events, seconds, archiveBytes, tableBytes: Number(size!.bytes), rssGrowthMb: (peak - baseline) / 2 ** 20 };
  });
}

async function main() {
  const small = await measure(EVENTS);
  const large = await measure(EVENTS * 5);
  const row = (label: string, pick: (figures: Figures) => number, digits = 0) => {
    const [a, b] = [pick(small), pick(large)];
    return `| ${label.padEnd(34)} | ${a.toFixed(digits).padStart(9)} | ${b.toFixed(digits).padStart(9)} | ${(b / a).toFixed(2).padStart(5)} |`;
  };
  console.log(
    `\nPostgreSQL, one expired month archived (write + read back) and dropped; load average ${os
      .loadavg()
      .map((n) => n.toFixed(1))
      .join(" ")}`,
  );
  console.log(`| metric                             | ${"small".padStart(9)} | ${"large".padStart(9)} | ratio |`);
  console.log(`| ---------------------------------- | --------- | --------- | ----- |`);
  console.log(row("events in the month", (f) => f.events));
  console.log(row("time, s", (f) => f.seconds, 1));
  console.log(row("events per second", (f) => f.events / f.seconds));
  console.log(row("table size (with indexes), MB", (f) => f.tableBytes / 2 ** 20, 1));
  console.log(row("archive size, MB", (f) => f.archiveBytes / 2 ** 20, 1));
  console.log(row("peak RSS growth during the run, MB", (f) => f.rssGrowthMb, 1));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
