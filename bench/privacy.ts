import { parseArgs } from "node:util";
import os from "node:os";
import { openBenchDatabase, withBenchDatabase } from "./support";

/**
 * `npm run bench:privacy`: what one erasure and one export cost as the database grows (lib/privacy/, decision 0062:
 * both read every table once, so their time should grow with the data, about linearly). On PostgreSQL, creates
 * test_bench_privacy_<size>_<pid> for two sizes (--travelers N and 4 × N; the large seed writes 20 webhook events per
 * traveler), seeds each with `db:seed:large`, then exports and erases --samples travelers one at a time and prints
 * the median and worst time per size and the ratio large / small side by side. Drops the databases.
 *
 * Options: --travelers N (5000), --samples N (5). BENCH_PG_URL (postgres://postgres@127.0.0.1:5432/postgres).
 */
const PG_ADMIN_URL = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const { values: args } = parseArgs({
  options: { travelers: { type: "string", default: "5000" }, samples: { type: "string", default: "5" } },
});
const TRAVELERS = Number(args.travelers);
const SAMPLES = Number(args.samples);
if (!Number.isInteger(TRAVELERS) || TRAVELERS < 100 || !Number.isInteger(SAMPLES) || SAMPLES < 1) {
  console.error("--travelers must be a whole number ≥ 100 and --samples ≥ 1.");
  process.exit(1);
}

type Figures = { travelers: number; events: number; seedS: number; exportMs: number[]; eraseMs: number[] };

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const worst = (values: number[]) => Math.max(...values);

async function measureSize(travelers: number): Promise<Figures> {
  return withBenchDatabase(`test_bench_privacy_${travelers}_${process.pid}`, PG_ADMIN_URL, async (url) => {
    const { database, close } = await openBenchDatabase(url);
    const { seedLarge, analyzeSeededTables } = await import("../lib/travelers/seed-large");
    const { exportPersonalData } = await import("../lib/privacy/export");
    const { eraseTraveler } = await import("../lib/privacy/erasure");
    const seeded = performance.now();
    const counts = await database.transaction((sql) => seedLarge(sql, { travelers, postgres: true }));
    await analyzeSeededTables(database.sql);
    const seedS = (performance.now() - seeded) / 1000;
    const ids = (
      await database.sql.query<{ id: string }>(
        `SELECT "externalUserId" AS id FROM "Traveler" ORDER BY md5("externalUserId") LIMIT ${SAMPLES}`,
      )
    ).map((row) => row.id);
    const exportMs: number[] = [];
    const eraseMs: number[] = [];
    for (const id of ids) {
      let started = performance.now();
      const data = await exportPersonalData(id, "bench@console.test");
      exportMs.push(performance.now() - started);
      if (!data.tables.Traveler?.length) throw new Error(`The export of ${id} holds no traveler row.`);
      started = performance.now();
      const outcome = await eraseTraveler(id, { trigger: "staff" });
      eraseMs.push(performance.now() - started);
      if (!outcome.rewritten.WebhookEvent) throw new Error(`The erasure of ${id} rewrote no webhook event.`);
    }
    await close();
    return { travelers, events: counts.webhookEvents, seedS, exportMs, eraseMs };
  });
}

async function main() {
  const small = await measureSize(TRAVELERS);
  const large = await measureSize(TRAVELERS * 4);
  const row = (label: string, pick: (figures: Figures) => number) => {
    const [a, b] = [pick(small), pick(large)];
    return `| ${label.padEnd(28)} | ${a.toFixed(0).padStart(8)} | ${b.toFixed(0).padStart(8)} | ${(b / a).toFixed(2).padStart(5)} |`;
  };
  console.log(
    `\nPostgreSQL, ${SAMPLES} travelers per size, load average ${os
      .loadavg()
      .map((n) => n.toFixed(1))
      .join(" ")}`,
  );
  console.log(
    `| metric                       | ${String(small.events).padStart(8)} | ${String(large.events).padStart(8)} | ratio |`,
  );
  console.log(`| ---------------------------- | -------- | -------- | ----- |`);
  console.log(row("webhook events (rows)", (f) => f.events));
  console.log(row("export, median ms", (f) => median(f.exportMs)));
  console.log(row("export, worst ms", (f) => worst(f.exportMs)));
  console.log(row("erasure, median ms", (f) => median(f.eraseMs)));
  console.log(row("erasure, worst ms", (f) => worst(f.eraseMs)));
  console.log(`(seeding took ${small.seedS.toFixed(0)} s and ${large.seedS.toFixed(0)} s; not measured above)`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
