import { parseArgs } from "node:util";
import { closeDatabase, databaseLabel, getDatabase } from "../lib/db";
import { resetEnvCache } from "../lib/env";
import { migrate } from "../lib/migrations";
import { analyzeSeededTables, EVENTS_PER_TRAVELER, SeedLargeRefused, seedLarge } from "../lib/travelers/seed-large";
import { fail, loadProjectEnv, validateEnvOrExit } from "./lib";

// npm run db:seed:large -- [--travelers N] [--url postgres://…] [--force]
// Fills an empty database with N travelers (default 100 000) and 20 × N webhook events for benchmarks.

const usage = `Usage: npm run db:seed:large -- [--travelers N] [--url postgres://…] [--force]

  --travelers N   travelers to create (default 100000); webhook events are ${EVENTS_PER_TRAVELER} × N
  --url URL       the PostgreSQL database to fill (default: DATABASE_URL)
  --force         allow the embedded PGlite database (slow at this scale; meant for small --travelers)`;

let args: ReturnType<typeof parseArgs<{ options: typeof options }>>["values"];
const options = {
  travelers: { type: "string", default: "100000" },
  url: { type: "string" },
  force: { type: "boolean", default: false },
  help: { type: "boolean", default: false },
} as const;
try {
  args = parseArgs({ options, allowPositionals: false }).values;
} catch (error) {
  console.error(`${(error as Error).message}\n\n${usage}`);
  process.exit(1);
}
if (args.help) {
  console.log(usage);
  process.exit(0);
}
const travelers = Number(args.travelers);
if (!Number.isInteger(travelers) || travelers < 1 || travelers > 5_000_000) {
  console.error(`--travelers must be a whole number from 1 to 5000000, got "${args.travelers}".\n\n${usage}`);
  process.exit(1);
}

loadProjectEnv(true);
if (args.url) {
  if (!/^postgres(ql)?:\/\//.test(args.url)) {
    console.error(`--url must be a postgres:// or postgresql:// URL.\n\n${usage}`);
    process.exit(1);
  }
  // The script's own flag stands in for the variable lib/env.ts validates.
  process.env.DATABASE_URL = args.url;
  resetEnvCache();
}
const env = validateEnvOrExit();
if (!env.DATABASE_URL && !args.force) {
  console.error(
    `No PostgreSQL database: DATABASE_URL is unset (or pass --url), so this would fill the embedded PGlite database ` +
      `in ${env.PGLITE_DATA_DIR}.\nThe large seed exists for PostgreSQL-scale benchmarks (bench/travelers.ts): ` +
      `PGlite runs in one process and is not what production runs on, so its timings say little, and ` +
      `it would mix ${travelers} synthetic travelers into the demo database.\n` +
      `Pass --force (with a small --travelers) if you really want it in PGlite.`,
  );
  process.exit(1);
}

async function main() {
  const database = getDatabase();
  try {
    const applied = await migrate(database);
    if (applied.length) console.log(`Applied ${applied.length} migration(s).`);
    console.log(
      `Seeding ${databaseLabel()}: ${travelers} travelers, ${travelers * EVENTS_PER_TRAVELER} webhook events …`,
    );
    const started = performance.now();
    const counts = await database.transaction((sql) =>
      seedLarge(sql, {
        travelers,
        postgres: database.kind === "postgres",
        onStep: ({ step, ms, rows }) =>
          console.log(`  ${step.padEnd(16)} ${String(rows).padStart(9)} rows  ${(ms / 1000).toFixed(1).padStart(6)} s`),
      }),
    );
    const analyzeStarted = performance.now();
    await analyzeSeededTables(database.sql);
    console.log(
      `  ${"VACUUM ANALYZE".padEnd(16)} ${"".padStart(9)}       ${((performance.now() - analyzeStarted) / 1000).toFixed(1).padStart(6)} s`,
    );
    console.log(
      `Done in ${((performance.now() - started) / 1000).toFixed(1)} s: ${counts.travelers} travelers, ` +
        `${counts.bookings} bookings, ${counts.packages} packages, ${counts.usageSamples} usage samples, ` +
        `${counts.promoRedemptions} promo redemptions, ${counts.webhookEvents} webhook events.`,
    );
  } catch (error) {
    if (error instanceof SeedLargeRefused) {
      console.error(`\n${error.message}\n`);
      process.exitCode = 1;
      return;
    }
    throw error;
  } finally {
    await closeDatabase();
  }
}

main().catch(fail);
