import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { handledEvents } from "../lib/webhooks/envelope";
import { deliveryHeaders, sampleEvent } from "../lib/webhooks/samples";
import {
  consoleEnvironment,
  DEMO_ADMIN,
  ensureBuild,
  freePort,
  loadAverage,
  printTable,
  processGroupMemory,
  signIn,
  spawnNpmStart,
  stopConsole,
  waitForHealth,
  type ProcessMemory,
} from "./support";

/**
 * `npm run bench:footprint [-- --database URL] [--webhooks N]`: the memory of the whole `npm start` process group
 * after a warm-up, on PGlite and (with --database or BENCH_DATABASE_URL) on PostgreSQL.
 *
 * Starts `npm start` exactly as a person would (a production build, the built-in sandbox with its demo travelers,
 * the demo staff) in its own process group, then warms it up: signs in as the demo admin, opens every console screen
 * once and one detail page of each kind it links to, sends N (1,000) signed webhooks, runs a search. Prints each
 * process of the group with its RSS (VmRSS) and PSS (Pss of smaps_rollup: shared pages split between the processes
 * that map them), the sums, the peak seen while warming up, the targets (PGlite ≤ 500 MB, PostgreSQL ≤ 350 MB) and a
 * verdict per line, and the warm-up's own timings so a memory setting's cost in latency shows in the same run.
 */

const { values } = parseArgs({
  options: {
    database: { type: "string" },
    webhooks: { type: "string" },
    settle: { type: "string" },
  },
});
const DATABASE_URL = values.database ?? process.env.BENCH_DATABASE_URL;
const WEBHOOKS = Number(values.webhooks ?? 1000);
const SETTLE_MS = Number(values.settle ?? 5000);
const WEBHOOK_KEY = "whk_bench_footprint";
const TARGET_MB = { PGlite: 500, PostgreSQL: 350 } as const;
const MB = 1048576;

/** Every console screen without a parameter in its path (app/(console)/…/page.tsx), plus the sign-in page. */
const SCREENS = [
  "/",
  "/account",
  "/alerts",
  "/alerts/rules",
  "/api-log",
  "/audit",
  "/bookings",
  "/bookings/hubby",
  "/bookings/new",
  "/campaigns",
  "/campaigns/new",
  "/catalog",
  "/forwarding",
  "/forwarding/log",
  "/instructions",
  "/jobs",
  "/promo-codes",
  "/staff",
  "/travelers",
  "/webhooks",
];
/** Detail screens, opened once each through the first link a screen shows to one. */
const DETAIL_LINK =
  /href="(\/(?:travelers|webhooks|audit|api-log|bookings|campaigns|forwarding\/endpoints|instructions\/snapshots)\/(?!new"|hubby"|log")[^"?#/]+)"/g;

type Warmup = {
  startMs: number;
  signInMs: number;
  pages: { path: string; status: number; ms: number }[];
  webhooks: { perSecond: number; p50: number; p99: number; errors: number };
  searchMs: number;
};
type Run = {
  label: keyof typeof TARGET_MB;
  processes: ProcessMemory[];
  peak: { rss: number; pss: number };
  warmup: Warmup;
};

const sum = (processes: ProcessMemory[], key: "rssBytes" | "pssBytes") =>
  processes.reduce((total, p) => total + p[key], 0);
const mb = (bytes: number) => Math.round(bytes / MB);
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

/** What a process of the group is, from its command line. */
function role(command: string): string {
  if (/^(\/bin\/)?sh\b/.test(command)) return "sh -c (npm's script shell)";
  if (/^hubby-console|scripts\/server\.ts/.test(command))
    return "console: Next.js, webhooks, database, built-in sandbox (run-server.ts → server.ts)";
  if (/esbuild.*--service/.test(command)) return "esbuild service (tsx's compiler)";
  if (/scripts\/run-server\.ts/.test(command))
    return /tsx\/dist\/cli|\.bin\/tsx/.test(command)
      ? "tsx CLI (relaunches node with its loader)"
      : "parent: sandbox, supervise (run-server.ts)";
  if (/^npm\b|npm-cli/.test(command)) return "npm";
  return command.slice(0, 60);
}

async function main() {
  ensureBuild();
  const runs: Run[] = [];
  runs.push(await measure("PGlite", undefined));
  if (DATABASE_URL) runs.push(await measure("PostgreSQL", DATABASE_URL));
  else console.log("\n(PostgreSQL skipped: give --database postgres://… or BENCH_DATABASE_URL)");

  console.log(`\n=== npm start footprint after warm-up (load average ${loadAverage()}) ===`);
  const header = ["database", "RSS sum", "PSS sum", "peak RSS", "peak PSS", "target", "RSS verdict", "PSS verdict"];
  const rows = runs.map((run) => {
    const target = TARGET_MB[run.label];
    const rss = mb(sum(run.processes, "rssBytes"));
    const pss = mb(sum(run.processes, "pssBytes"));
    return [
      run.label,
      `${rss} MB`,
      `${pss} MB`,
      `${mb(run.peak.rss)} MB`,
      `${mb(run.peak.pss)} MB`,
      `≤ ${target} MB`,
      `${rss <= target ? "PASS" : "FAIL"} (${(rss / target).toFixed(2)})`,
      `${pss <= target ? "PASS" : "FAIL"} (${(pss / target).toFixed(2)})`,
    ];
  });
  printTable(header, rows);
  if (runs.some((run) => mb(sum(run.processes, "pssBytes")) > TARGET_MB[run.label])) process.exitCode = 1;
}

async function measure(label: Run["label"], databaseUrl: string | undefined): Promise<Run> {
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), "hubby-bench-footprint-"));
  const [port, sandboxPort] = [await freePort(), await freePort()];
  const base = `http://127.0.0.1:${port}`;
  // The built-in sandbox and the demo staff: what `npm start` runs with no configuration.
  const env = consoleEnvironment({
    NEXTAUTH_URL: base,
    PGLITE_DATA_DIR: path.join(temp, "pglite"),
    HUBBY_SANDBOX_PORT: String(sandboxPort),
    HUBBY_SANDBOX_DATA_DIR: path.join(temp, "sandbox"),
    HUBBY_WEBHOOK_API_KEY: WEBHOOK_KEY,
    LOG_LEVEL: "warn",
    DATABASE_URL: databaseUrl,
  });
  console.log(`\n=== ${label}: npm start -- -p ${port} ===`);
  const started = performance.now();
  const child = spawnNpmStart(port, env, "inherit");
  const peak = { rss: 0, pss: 0 };
  const sample = () => {
    const processes = processGroupMemory(child.pid!);
    peak.rss = Math.max(peak.rss, sum(processes, "rssBytes"));
    peak.pss = Math.max(peak.pss, sum(processes, "pssBytes"));
    return processes;
  };
  const sampler = setInterval(sample, 1000);
  try {
    await waitForHealth(base, child);
    const startMs = performance.now() - started;
    const warmup = await warmUp(base, startMs);
    console.log(`[bench] warmed up; letting it settle for ${SETTLE_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    clearInterval(sampler);
    const processes = sample();
    report(label, processes, peak, warmup, child);
    return { label, processes, peak, warmup };
  } finally {
    clearInterval(sampler);
    await stopConsole(child);
    fs.rmSync(temp, { recursive: true, force: true });
  }
}

async function warmUp(base: string, startMs: number): Promise<Warmup> {
  let t0 = performance.now();
  const cookie = await signIn(base, DEMO_ADMIN);
  const signInMs = performance.now() - t0;

  const pages: Warmup["pages"] = [];
  const visit = async (pagePath: string) => {
    const began = performance.now();
    const response = await fetch(`${base}${pagePath}`, { headers: { cookie }, redirect: "manual" });
    const html = await response.text();
    pages.push({ path: pagePath, status: response.status, ms: performance.now() - began });
    if (response.status !== 200) throw new Error(`GET ${pagePath} answered ${response.status}`);
    return html;
  };
  const details = new Map<string, string>();
  for (const screen of SCREENS) {
    const html = await visit(screen);
    for (const match of html.matchAll(DETAIL_LINK)) {
      const kind = match[1]!.split("/").slice(0, -1).join("/");
      if (!details.has(kind)) details.set(kind, match[1]!);
    }
  }
  for (const detail of details.values()) await visit(detail);

  const webhooks = await sendWebhooks(`${base}/api/webhooks/hubby`, WEBHOOKS);

  t0 = performance.now();
  const search = await fetch(`${base}/api/search?q=bench_1`, { headers: { cookie } });
  const found = (await search.json()) as { results?: unknown[] };
  await visit("/travelers?q=bench_1");
  const searchMs = performance.now() - t0;
  if (search.status !== 200 || !Array.isArray(found.results)) throw new Error(`search answered ${search.status}`);
  return { startMs, signInMs, pages, webhooks, searchMs };
}

/** N signed sample events for 200 travelers (bench_0 … bench_199), 8 at a time, as Hubby would send them. */
async function sendWebhooks(url: string, count: number): Promise<Warmup["webhooks"]> {
  const settings = {
    apiKey: WEBHOOK_KEY,
    authHeader: "x-api-key",
    authPrefix: "",
    timestampHeader: "x-hubby-timestamp",
  };
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
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
    Array.from({ length: 8 }, async () => {
      while (next < count) {
        const index = next++;
        const body = JSON.stringify(
          sampleEvent(handledEvents[index % handledEvents.length]!, {
            externalUserId: `bench_${index % 200}`,
            bookingId: `booking_${index % 400}`,
            packageId: `pkg_${index % 600}`,
          }),
        );
        const t0 = performance.now();
        const status = await post(body);
        latencies.push(performance.now() - t0);
        if (status !== 200) errors += 1;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return { perSecond: count / seconds, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), errors };
}

function report(
  label: Run["label"],
  processes: ProcessMemory[],
  peak: Run["peak"],
  warmup: Warmup,
  child: ChildProcess,
) {
  const target = TARGET_MB[label];
  const depth = (p: ProcessMemory): number => {
    const parent = processes.find((other) => other.pid === p.ppid);
    return parent ? depth(parent) + 1 : 0;
  };
  console.log(
    `\n${label}: the npm start process group (pgid ${child.pid}) after warm-up, load average ${loadAverage()}`,
  );
  printTable(
    ["process", "pid", "RSS", "PSS"],
    [
      ...processes.map((p) => [
        `${"  ".repeat(depth(p))}${role(p.command)}`,
        String(p.pid),
        `${mb(p.rssBytes)} MB`,
        `${mb(p.pssBytes)} MB`,
      ]),
      [
        "total (target ≤ " + target + " MB)",
        "",
        `${mb(sum(processes, "rssBytes"))} MB`,
        `${mb(sum(processes, "pssBytes"))} MB`,
      ],
      ["peak during warm-up", "", `${mb(peak.rss)} MB`, `${mb(peak.pss)} MB`],
    ],
  );
  const pageTimes = warmup.pages.map((page) => page.ms).sort((a, b) => a - b);
  console.log(
    `warm-up: start to healthy ${(warmup.startMs / 1000).toFixed(1)} s; sign-in ${warmup.signInMs.toFixed(0)} ms; ` +
      `${warmup.pages.length} pages p50 ${percentile(pageTimes, 0.5).toFixed(0)} ms, max ${pageTimes.at(-1)!.toFixed(0)} ms ` +
      `(${warmup.pages.reduce((total, page) => total + page.ms, 0).toFixed(0)} ms in all); ` +
      `${WEBHOOKS} webhooks ${warmup.webhooks.perSecond.toFixed(0)}/s p50 ${warmup.webhooks.p50.toFixed(1)} ms ` +
      `p99 ${warmup.webhooks.p99.toFixed(1)} ms, ${warmup.webhooks.errors} errors; search ${warmup.searchMs.toFixed(0)} ms`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
