import { fork, spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import type { z } from "zod";
import type { faultRuleSchema } from "../lib/hubby-sandbox/faults";
import { consoleStartArgs } from "../scripts/console-server";
import { ensureBuild, freePort, groupRss, quietSandboxOptions, root, waitForHealth } from "./support";

/**
 * `npm run bench:campaign`: a campaign of N rows (10 000) against the built-in sandbox with a fixed latency
 * injected on POST /api/bookings (50 ms). Dry-runs the file, then queues the campaign on the job system
 * (lib/campaigns/jobs.ts: `campaign-run` jobs, one slice after another) with the configured concurrency, and prints rows/s against the ideal (concurrency ÷ latency), peak RSS, RSS growth
 * and the duplicates found at the sandbox (bookings per booking_id reference, which must all be 1). The sandbox
 * runs in its own process, as Hubby would: the measured process holds only the worker and the database.
 *
 * --crash (`npm run bench:campaign:crash`): the campaign runs inside the real console (`npm start`, production
 * build), which is killed with SIGKILL (the whole process group) at a random moment and started again; the
 * console resumes the campaign on start. When the sandbox stops receiving bookings the console is stopped and the
 * database read: every row must be issued exactly once at the sandbox. The campaign's job, left active by the killed
 * process, is handed back when the console starts again (PGlite) or once it expires (PostgreSQL). A row whose request never left the killed
 * process ends FAILED after reconciliation; the bench then clicks "retry failed rows" as staff would, which
 * reconciles again and sends once.
 *
 * Options: --rows N, --latency MS, --concurrency N, --database URL (PostgreSQL; default PGlite in a temporary
 * directory), --kills N (1), --dry-run-only (stores the file and prints how long its dry run took, issuing nothing:
 * `npm run bench:campaign -- --rows 50000 --dry-run-only` times the largest file a campaign takes).
 */

const { values: args } = parseArgs({
  options: {
    rows: { type: "string", default: "10000" },
    latency: { type: "string", default: "50" },
    concurrency: { type: "string", default: "4" },
    database: { type: "string" },
    crash: { type: "boolean", default: false },
    kills: { type: "string", default: "1" },
    "sandbox-process": { type: "boolean", default: false },
    "dry-run-only": { type: "boolean", default: false },
  },
});
const ROWS = Number(args.rows);
const LATENCY = Number(args.latency);
const CONCURRENCY = Number(args.concurrency);
const TIMEOUT_MS = 2_000;
const CREDENTIALS = { apiKey: "bench_pk", apiSecret: "bench_sk_secret_value" };

// ── The sandbox's process ─────────────────────────────────────────────────────────────────────────────────────

type FaultInput = z.input<typeof faultRuleSchema>;
type SandboxRequest =
  | { id: number; op: "fault"; rule: FaultInput }
  | { id: number; op: "references"; prefix: string }
  | { id: number; op: "cpu" }
  | { id: number; op: "close" };

async function sandboxProcess() {
  const { startSandbox } = await import("../lib/hubby-sandbox/sandbox");
  const sandbox = await startSandbox({ ...quietSandboxOptions(CREDENTIALS, "bench_whk"), deliveriesPaused: true });
  process.on("message", (message: SandboxRequest) => {
    const reply = (result: unknown) => process.send!({ id: message.id, result });
    if (message.op === "fault") reply(sandbox.faults.add(message.rule));
    else if (message.op === "references") {
      const counts: Record<string, number> = {};
      for (const booking of sandbox.world.bookings) {
        if (booking.booking_id?.startsWith(message.prefix)) {
          counts[booking.booking_id] = (counts[booking.booking_id] ?? 0) + 1;
        }
      }
      reply(counts);
    } else if (message.op === "cpu") {
      const used = process.cpuUsage();
      reply(used.user + used.system);
    } else void sandbox.close().then(() => process.exit(0));
  });
  process.send!({ id: 0, result: sandbox.url });
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Starts the sandbox in a child process and talks to it over IPC. */
async function startSandboxProcess() {
  const child = fork(process.argv[1]!, ["--sandbox-process"], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const waiting = new Map<number, (result: unknown) => void>();
  let next = 1;
  const url = await new Promise<string>((resolve, reject) => {
    child.once("exit", () => reject(new Error("the sandbox process exited")));
    child.on("message", (message: { id: number; result: unknown }) => {
      if (message.id === 0) resolve(message.result as string);
      waiting.get(message.id)?.(message.result);
      waiting.delete(message.id);
    });
  });
  const ask = <T>(request: DistributiveOmit<SandboxRequest, "id">) =>
    new Promise<T>((resolve) => {
      const id = next++;
      waiting.set(id, resolve as (result: unknown) => void);
      child.send({ ...request, id });
    });
  return {
    url,
    addFault: (rule: FaultInput) => ask({ op: "fault", rule }),
    /** Bookings at the sandbox per booking_id that starts with the prefix. */
    references: (prefix: string) => ask<Record<string, number>>({ op: "references", prefix }),
    /** The sandbox process's CPU time so far, in µs. */
    cpu: () => ask<number>({ op: "cpu" }),
    close: () =>
      new Promise<void>((resolve) => (child.once("exit", () => resolve()), child.send({ id: -1, op: "close" }))),
  };
}

// ── The measured process ──────────────────────────────────────────────────────────────────────────────────────

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

async function main() {
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), "bench-campaign-"));
  const dataDir = path.join(temp, "pglite");
  if (args.database) process.env.DATABASE_URL = args.database;
  else {
    delete process.env.DATABASE_URL;
    process.env.PGLITE_DATA_DIR = dataDir;
  }
  process.env.HUBBY_TIMEOUT_MS = String(TIMEOUT_MS);
  // The worker is measured, not the terminal: one pretty log line per Hubby call (lib/log.ts, development) would
  // share its CPU (`LOG_LEVEL=info npm run bench:campaign` shows it).
  process.env.LOG_LEVEL ??= "warn";
  process.env.NEXTAUTH_SECRET ??= "bench-campaign-secret-0123456789abcdef";
  if (args.crash) ensureBuild();

  const { getDatabase, db, closeDatabase } = await import("../lib/db");
  const { migrate } = await import("../lib/migrations");
  const { HubbyClient } = await import("../lib/hubby/client");
  const { refreshCatalog } = await import("../lib/catalog/catalog");
  const { dryRunCampaign } = await import("../lib/campaigns/dry-run");
  const { registerCampaignJobs, queueCampaignRun } = await import("../lib/campaigns/jobs");
  const { startJobs, stopJobs } = await import("../lib/jobs/jobs");
  const { retryFailedRows } = await import("../lib/campaigns/control");

  const sandbox = await startSandboxProcess();
  await migrate(getDatabase());
  const { recordApiCall } = await import("../lib/hubby/api-log");
  // As in the console: every call goes to the API log; the worker's calls are background calls (batched log).
  const hubby = new HubbyClient({
    baseUrl: `${sandbox.url}/api`,
    ...CREDENTIALS,
    timeoutMs: TIMEOUT_MS,
    recorder: (record) => recordApiCall(record, "SANDBOX"),
  });
  await refreshCatalog(hubby);
  const actor = await db().staffUser.create({
    data: { email: `bench-${Date.now()}@example.test`, name: "Bench", role: "campaign_manager", passwordHash: "x" },
  });

  const departure = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
  // Travelers of this run only: a database reused from an earlier run would refuse them as "already got it".
  const run = crypto.randomBytes(4).toString("hex");
  function* file() {
    yield "external_user_id,destination,size,departure_date\n";
    for (let i = 0; i < ROWS; i += 1000) {
      let chunk = "";
      for (let j = i; j < Math.min(ROWS, i + 1000); j++)
        chunk += `bench_${run}_${j},GR,1GB,${departure}T10:00:00+02:00\n`;
      yield chunk;
    }
  }
  let started = Date.now();
  const dry = await dryRunCampaign({ name: "bench", fileName: "bench.csv", source: file(), actor });
  if (dry.outcome !== "stored") throw new Error(JSON.stringify(dry));
  const dryMs = Date.now() - started;
  const campaignId = dry.campaignId;
  if (args["dry-run-only"]) {
    const stored = await db().campaignRow.count({ where: { campaignId } });
    console.log(
      `database      ${args.database ? "PostgreSQL" : "PGlite"}\n` +
        `dry run       ${ROWS} rows in ${dryMs} ms (${((ROWS / dryMs) * 1000).toFixed(0)} rows/s), ${stored} rows stored`,
    );
    await sandbox.close();
    await closeDatabase();
    fs.rmSync(temp, { recursive: true, force: true });
    process.exit(stored === ROWS ? 0 : 1);
  }
  await db().campaign.update({
    where: { id: campaignId },
    data: { status: "running", startedAt: new Date(), startedById: actor.id, startedByEmail: actor.email },
  });
  const prefix = `hpc-campaign-${campaignId}-`;
  const runStarted = new Date();
  await sandbox.addFault({ kind: "latency", method: "POST", path: "/bookings", ms: LATENCY });

  const lines: string[] = [];
  let ms: number;
  let rssBefore: number;
  let peakRss: number;
  if (!args.crash) {
    registerCampaignJobs({
      hubby: hubby.withContext({ background: true }),
      concurrency: CONCURRENCY,
      quietMs: TIMEOUT_MS,
    });
    await startJobs({ schedules: false, pollingIntervalSeconds: 0.5 });
    const memoryBefore = process.memoryUsage();
    rssBefore = memoryBefore.rss;
    peakRss = rssBefore;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
    started = Date.now();
    const cpu = process.cpuUsage();
    const sandboxCpu = await sandbox.cpu();
    // As in the console: Run queues the campaign on the job system, whose slices work it to the end.
    await queueCampaignRun(campaignId);
    for (;;) {
      const { status } = await db().campaign.findUniqueOrThrow({ where: { id: campaignId }, select: { status: true } });
      if (status !== "running") break;
      await sleep(50);
    }
    ms = Date.now() - started;
    await stopJobs();
    clearInterval(sampler);
    const used = process.cpuUsage(cpu);
    if (process.env.BENCH_MEMORY) console.log({ before: memoryBefore, after: process.memoryUsage() });
    const sandboxUsed = (await sandbox.cpu()) - sandboxCpu;
    const perRow = (micros: number) => `${(micros / 1000 / ROWS).toFixed(2)} ms`;
    lines.push(
      `CPU per row   ${perRow(used.user + used.system)} in the worker's process (worker${args.database ? "" : " + PGlite"}), ${perRow(sandboxUsed)} in the sandbox's`,
    );
  } else {
    // PGlite is one process's database: the bench lets go of it while the console runs.
    await closeDatabase();
    const crash = await runInConsole({
      dataDir,
      sandboxUrl: sandbox.url,
      references: () => sandbox.references(prefix),
    });
    ({ ms, rssBefore, peakRss } = crash);
    lines.push(`console       ${crash.starts} start(s), ${crash.kills} SIGKILL(s) at ${crash.killedAt.join(", ")}`);
    const retried = await retryFailedRows(campaignId, hubby, actor);
    lines.push(`retry failed  ${retried.retried} row(s) failed after reconciliation: ${retried.sent} sent on retry`);
  }

  const { flushApiLog } = await import("../lib/hubby/api-log");
  await flushApiLog();
  const logged = await db().apiCall.aggregate({
    where: { endpoint: "POST /bookings", at: { gte: runStarted } },
    _count: { _all: true },
    _avg: { durationMs: true },
  });
  lines.push(
    `API log       ${logged._count._all} POST /bookings entries (one per call), ${logged._avg.durationMs?.toFixed(1)} ms each on average as the client saw it`,
  );
  const campaign = await db().campaign.findUniqueOrThrow({ where: { id: campaignId } });
  const states = await db().campaignRow.groupBy({ by: ["state"], where: { campaignId }, _count: { _all: true } });
  const perReference = await sandbox.references(prefix);
  const counts = Object.values(perReference);
  const duplicates = counts.filter((count) => count > 1).length;
  const rate = (ROWS / ms) * 1000;
  const ideal = (CONCURRENCY * 1000) / LATENCY;
  console.log(
    [
      `database      ${args.database ? "PostgreSQL" : "PGlite"}${args.crash ? ", worker inside the console (npm start)" : ""}`,
      `rows          ${ROWS} (dry run ${dryMs} ms), status ${campaign.status}, ${states.map((s) => `${s.state} ${s._count._all}`).join(", ")}`,
      `run           ${(ms / 1000).toFixed(1)} s`,
      ...lines,
      `rows/s        ${rate.toFixed(1)}`,
      `ideal         ${ideal.toFixed(1)} (concurrency ${CONCURRENCY} ÷ ${LATENCY} ms)`,
      `ratio         ${((rate / ideal) * 100).toFixed(0)}% (target ≥ 80%${args.crash ? "; includes restarts" : ""})`,
      `peak RSS      ${mb(peakRss)} (growth ${mb(peakRss - rssBefore)}, target < 200 MB${args.crash ? "; the console's processes" : ""})`,
      `at sandbox    ${counts.length} references, duplicates ${duplicates} (target 0)`,
    ].join("\n"),
  );
  await sandbox.close();
  await closeDatabase();
  fs.rmSync(temp, { recursive: true, force: true });
  const exact = duplicates === 0 && counts.length === campaign.validCount;
  if (!exact) console.log("FAILED: not every row was issued exactly once.");
  process.exit(exact ? 0 : 1);
}

/**
 * Runs the campaign inside `npm start` against the bench's database, killing the console's process group with
 * SIGKILL `--kills` times at random moments. Once the sandbox has stopped receiving bookings for longer than a
 * lease and a quiet period, the console is stopped (SIGTERM); if the campaign is not done yet it is started again.
 */
async function runInConsole(options: {
  dataDir: string;
  sandboxUrl: string;
  references: () => Promise<Record<string, number>>;
}) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const logFile = path.join(path.dirname(options.dataDir), "console.log");
  const env = {
    ...process.env,
    PORT: String(port),
    PGLITE_DATA_DIR: options.dataDir,
    DATABASE_URL: args.database ?? "",
    NEXTAUTH_SECRET: crypto.randomBytes(32).toString("hex"),
    HUBBY_API_BASE_URL: `${options.sandboxUrl}/api`,
    HUBBY_API_KEY: CREDENTIALS.apiKey,
    HUBBY_API_SECRET: CREDENTIALS.apiSecret,
    HUBBY_WEBHOOK_API_KEY: "bench_whk",
    HUBBY_TIMEOUT_MS: String(TIMEOUT_MS),
    NEXT_TELEMETRY_DISABLED: "1",
  };
  const start = (): ChildProcess => {
    const log = fs.openSync(logFile, "a");
    return spawn(process.execPath, consoleStartArgs(port), {
      cwd: root,
      detached: true,
      stdio: ["ignore", log, log],
      env,
    });
  };
  const exited = (child: ChildProcess) =>
    child.exitCode !== null || child.signalCode !== null
      ? Promise.resolve()
      : new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const issued = async () => Object.keys(await options.references()).length;

  const wanted = Number(args.kills);
  const expectedMs = (ROWS / ((CONCURRENCY * 1000) / LATENCY)) * 1000;
  const settleMs = TIMEOUT_MS * 4 + 4_000; // a dead worker's lease (3 timeouts) + the quiet period + margin
  const killedAt: string[] = [];
  let starts = 0;
  let rssBefore = 0;
  let peakRss = 0;
  const began = Date.now();
  let lastBookingAt = began;

  for (;;) {
    const child = start();
    starts++;
    try {
      await waitForHealth(url, child);
    } catch (error) {
      console.error(fs.readFileSync(logFile, "utf8").slice(-4000));
      throw error;
    }
    if (!rssBefore) rssBefore = groupRss(child.pid!);
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, groupRss(child.pid!))), 1_000);
    try {
      if (killedAt.length < wanted) {
        const after = 1_000 + Math.random() * expectedMs * 0.6;
        await sleep(after);
        process.kill(-child.pid!, "SIGKILL");
        await exited(child);
        killedAt.push(`${(after / 1000).toFixed(1)} s (${await issued()} issued)`);
        continue;
      }
      // Let the console finish: wait until the sandbox stops receiving bookings.
      let last = -1;
      let quietSince = Date.now();
      for (;;) {
        const count = await issued();
        if (count !== last) {
          last = count;
          quietSince = Date.now();
          lastBookingAt = Date.now();
        }
        if (count >= ROWS || Date.now() - quietSince > settleMs) break;
        await sleep(250);
      }
      // Give the worker a moment to mark the campaign done, then stop the console gracefully.
      await sleep(IDLE_MS);
      process.kill(-child.pid!, "SIGTERM");
      const stopped = exited(child);
      const forced = setTimeout(() => process.kill(-child.pid!, "SIGKILL"), 20_000);
      await stopped;
      clearTimeout(forced);
    } finally {
      clearInterval(sampler);
    }
    const { db, closeDatabase } = await import("../lib/db");
    const open = await db().campaign.count({ where: { status: "running" } });
    if (open === 0) break;
    await closeDatabase();
  }
  return { ms: lastBookingAt - began, rssBefore, peakRss, starts, kills: killedAt.length, killedAt };
}

/** A little more than the worker's idle poll (lib/campaigns/worker.ts). */
const IDLE_MS = 1_500;

if (args["sandbox-process"]) void sandboxProcess();
else
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
