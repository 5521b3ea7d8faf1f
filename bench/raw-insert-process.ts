import pg from "pg";
import { startBaseline } from "./webhooks";

/**
 * The raw-insert yardstick of bench/webhooks.ts in a process of its own, as the console runs in its own: started by
 * the bench (`BENCH_RAW_DB_URL`, `BENCH_CONCURRENCY`), it prints `listening <url>` and serves until killed. Inside the
 * bench's process the yardstick shares its code, already optimised by V8, with the load generator and the other
 * receivers, and its answers reach the load generator without waking another process (docs/decisions/0074).
 */

async function main() {
  const databaseUrl = process.env.BENCH_RAW_DB_URL;
  if (!databaseUrl) throw new Error("BENCH_RAW_DB_URL is not set: this process is started by bench/webhooks.ts.");
  // A connection per concurrent request, as the in-process raw-insert has: the most it could use.
  const pool = new pg.Pool({ connectionString: databaseUrl, max: Number(process.env.BENCH_CONCURRENCY ?? 16) });
  const receiver = await startBaseline((sql, params) => pool.query(sql, params), "raw-insert");
  console.log(`listening ${receiver.url}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
