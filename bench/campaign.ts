import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";

/**
 * `npm run bench:campaign`: a campaign of N rows (10 000) against the built-in sandbox with a fixed latency
 * injected on POST /api/bookings (50 ms). Dry-runs the file, then runs the campaign worker (lib/campaigns/worker.ts)
 * at the configured concurrency, and prints rows/s against the ideal (concurrency ÷ latency), peak RSS, RSS growth
 * and the duplicates found at the sandbox (bookings per booking_id reference, which must all be 1).
 *
 * --crash: the worker runs in a child process that is killed with SIGKILL at a random moment, then a new child
 * takes over (after the dead worker's leases run out) until the campaign is done; every row must still be issued
 * exactly once. Options: --rows N, --latency MS, --concurrency N, --database URL (PostgreSQL; default PGlite in a
 * temporary directory), --kills N (1).
 */

const { values: args } = parseArgs({
  options: {
    rows: { type: "string", default: "10000" },
    latency: { type: "string", default: "50" },
    concurrency: { type: "string", default: "4" },
    database: { type: "string" },
    crash: { type: "boolean", default: false },
    kills: { type: "string", default: "1" },
    child: { type: "string" },
  },
});
const ROWS = Number(args.rows);
const LATENCY = Number(args.latency);
const CONCURRENCY = Number(args.concurrency);
const TIMEOUT_MS = 2_000;

const dataDir = args.database || args.child ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), "bench-campaign-"));
if (args.database) process.env.DATABASE_URL = args.database;
else {
  delete process.env.DATABASE_URL;
  process.env.PGLITE_DATA_DIR = process.env.BENCH_CHILD_DATA_DIR ?? dataDir;
}
process.env.HUBBY_TIMEOUT_MS = String(TIMEOUT_MS);
process.env.NEXTAUTH_SECRET ??= "bench-campaign-secret-0123456789abcdef";

async function child(campaignId: string) {
  const { HubbyClient } = await import("../lib/hubby/client");
  const { runCampaign } = await import("../lib/campaigns/worker");
  const hubby = new HubbyClient({
    baseUrl: process.env.BENCH_SANDBOX_API!,
    apiKey: process.env.BENCH_API_KEY!,
    apiSecret: process.env.BENCH_API_SECRET!,
    timeoutMs: TIMEOUT_MS,
  });
  await runCampaign(campaignId, { hubby, concurrency: CONCURRENCY, quietMs: TIMEOUT_MS });
  process.exit(0);
}

async function main() {
  const { getDatabase, db, closeDatabase } = await import("../lib/db");
  const { migrate } = await import("../lib/migrations");
  const { startSandbox } = await import("../lib/sandbox/sandbox");
  const { HubbyClient } = await import("../lib/hubby/client");
  const { refreshCatalog } = await import("../lib/catalog/catalog");
  const { dryRunCampaign } = await import("../lib/campaigns/dry-run");
  const { runCampaign } = await import("../lib/campaigns/worker");
  const { retryFailedRows } = await import("../lib/campaigns/control");

  await migrate(getDatabase());
  const receiver = http.createServer((_req, res) => res.writeHead(200).end());
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const credentials = { apiKey: "bench_pk", apiSecret: "bench_sk_secret_value" };
  const sandbox = await startSandbox({
    credentials,
    webhook: {
      url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`,
      apiKey: "bench_whk",
      authHeader: "x-api-key",
      authPrefix: "",
      timestampHeader: "x-hubby-timestamp",
    },
    clockSpeed: 0,
    tickMs: 0,
    duplicateRate: 0,
    travelers: 0,
    deliveriesPaused: true,
  });
  const hubby = new HubbyClient({ baseUrl: `${sandbox.url}/api`, ...credentials, timeoutMs: TIMEOUT_MS });
  await refreshCatalog(hubby);
  const actor = await db().staffUser.create({
    data: { email: `bench-${Date.now()}@example.test`, name: "Bench", role: "campaign_manager", passwordHash: "x" },
  });

  const departure = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
  function* file() {
    yield "external_user_id,destination,size,departure_date\n";
    for (let i = 0; i < ROWS; i += 1000) {
      let chunk = "";
      for (let j = i; j < Math.min(ROWS, i + 1000); j++) chunk += `bench_${j},GR,1GB,${departure}T10:00:00+02:00\n`;
      yield chunk;
    }
  }
  let started = Date.now();
  const dry = await dryRunCampaign({ name: "bench", fileName: "bench.csv", source: file(), actor });
  if (dry.outcome !== "stored") throw new Error(JSON.stringify(dry));
  const dryMs = Date.now() - started;
  const campaignId = dry.campaignId;
  await db().campaign.update({
    where: { id: campaignId },
    data: { status: "running", startedAt: new Date(), startedById: actor.id, startedByEmail: actor.email },
  });

  sandbox.faults.add({ kind: "latency", method: "POST", path: "/bookings", ms: LATENCY });
  const rssBefore = process.memoryUsage().rss;
  let peakRss = rssBefore;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
  started = Date.now();
  let kills = 0;
  if (!args.crash) {
    await runCampaign(campaignId, { hubby, concurrency: CONCURRENCY, quietMs: TIMEOUT_MS });
  } else {
    // PGlite is one process's database: the parent lets go of it while a child works.
    if (!args.database) await closeDatabase();
    const env = {
      ...process.env,
      BENCH_CHILD_DATA_DIR: dataDir ?? "",
      BENCH_SANDBOX_API: `${sandbox.url}/api`,
      BENCH_API_KEY: credentials.apiKey,
      BENCH_API_SECRET: credentials.apiSecret,
    };
    const wanted = Number(args.kills);
    for (;;) {
      const worker = spawn(
        process.execPath,
        [...process.execArgv, process.argv[1]!, "--child", campaignId, "--concurrency", String(CONCURRENCY)],
        { env, stdio: "inherit" },
      );
      const exited = new Promise<number | null>((resolve) => worker.on("exit", (code) => resolve(code)));
      if (kills < wanted) {
        const after = 2_000 + Math.random() * ((ROWS / ((CONCURRENCY * 1000) / LATENCY)) * 500);
        const timer = setTimeout(() => worker.kill("SIGKILL"), after);
        const code = await exited;
        clearTimeout(timer);
        if (code === 0) break;
        kills++;
        console.log(`[bench] killed the worker with SIGKILL after ${Math.round(after)} ms; restarting`);
        continue;
      }
      if ((await exited) !== 0) throw new Error("The worker failed.");
      break;
    }
  }
  const ms = Date.now() - started;
  clearInterval(sampler);
  // A row in flight when its worker died is reconciled; if Hubby never got it, it ends FAILED and waits for the
  // explicit retry staff would click (reconcile again, then send once).
  const retried = args.crash ? await retryFailedRows(campaignId, hubby, actor) : undefined;

  const campaign = await db().campaign.findUniqueOrThrow({ where: { id: campaignId } });
  const states = await db().campaignRow.groupBy({ by: ["state"], where: { campaignId }, _count: { _all: true } });
  const perReference = new Map<string, number>();
  for (const booking of sandbox.world.bookings) {
    if (booking.booking_id?.startsWith(`hpc-campaign-${campaignId}-`)) {
      perReference.set(booking.booking_id, (perReference.get(booking.booking_id) ?? 0) + 1);
    }
  }
  const duplicates = [...perReference.values()].filter((count) => count > 1).length;
  const rate = (ROWS / ms) * 1000;
  const ideal = (CONCURRENCY * 1000) / LATENCY;
  const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
  console.log(
    [
      `database      ${args.database ? "PostgreSQL" : "PGlite"}`,
      `rows          ${ROWS} (dry run ${dryMs} ms), status ${campaign.status}, ${states.map((s) => `${s.state} ${s._count._all}`).join(", ")}`,
      `run           ${(ms / 1000).toFixed(1)} s${args.crash ? `, ${kills} SIGKILL(s)` : ""}`,
      ...(retried ? [`retry failed  ${retried.retried} retried: ${retried.sent} sent, ${retried.failed} failed`] : []),
      `rows/s        ${rate.toFixed(1)}`,
      `ideal         ${ideal.toFixed(1)} (concurrency ${CONCURRENCY} ÷ ${LATENCY} ms)`,
      `ratio         ${((rate / ideal) * 100).toFixed(0)}% (target ≥ 80%)`,
      `peak RSS      ${mb(peakRss)} (growth ${mb(peakRss - rssBefore)}, target < 200 MB${args.crash ? "; parent only" : ""})`,
      `at sandbox    ${perReference.size} references, duplicates ${duplicates} (target 0)`,
    ].join("\n"),
  );
  await sandbox.close();
  receiver.close();
  await closeDatabase();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  process.exit(duplicates === 0 && perReference.size === campaign.validCount ? 0 : 1);
}

if (args.child) void child(args.child);
else void main();
