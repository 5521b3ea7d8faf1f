import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import * as chromeLauncher from "chrome-launcher";
import type { Result } from "lighthouse";
import { startConsole } from "../scripts/e2e-console";
import { CHROMIUM_FLAGS, CHROMIUM_PATH, DEMO_ADMIN, ensureBuild, launchChromium } from "./support";
import { measurePageWeight } from "./page-weight";

/**
 * `npm run bench:lighthouse`: Lighthouse 12.2.3 (mobile preset, simulated throttling: the default config) against
 * `npm start` (the production build, a fresh embedded database with the demo data and the built-in sandbox), signed
 * in as the demo admin, on /login, /travelers, a traveler page and /webhooks; the median of RUNS runs per page.
 * Also counts the router's prefetch requests on /travelers and compares the JavaScript Chromium fetches on a first
 * load with the manifest figure of bench/page-weight.ts (decision 0055).
 *
 * Targets: performance ≥ 95 and accessibility 100 on every page. The machine's load changes timings, not the
 * simulated figures much: the load average is printed with them.
 * Environment: CHROMIUM_PATH (default /usr/bin/chromium), RUNS (default 3), BENCH_LIGHTHOUSE_PAGES,
 * BENCH_LIGHTHOUSE_REPORTS (below).
 */

const RUNS = Number(process.env.RUNS || 3);
/** BENCH_LIGHTHOUSE_PAGES: a comma-separated subset of the page names below ("/login,traveler page"). */
const ONLY_PAGES = process.env.BENCH_LIGHTHOUSE_PAGES?.split(",").map((name) => name.trim());
/** BENCH_LIGHTHOUSE_REPORTS: a directory to keep every run's full Lighthouse report (JSON) in. */
const REPORTS = process.env.BENCH_LIGHTHOUSE_REPORTS;

type Run = {
  performance: number;
  accessibility: number;
  lcpMs: number;
  cls: number;
  tbtMs: number;
  failedA11y: string[];
  /** What the main thread did (Lighthouse's "mainthread-work-breakdown" and "bootup-time" audits), for the log. */
  mainThread: string[];
};

/** The main thread's work by kind and the scripts that cost the most, in ms, from one run's report. */
function mainThreadWork(lhr: Result): string[] {
  type Item = Record<string, unknown>;
  const items = (id: string) => ((lhr.audits[id]?.details as { items?: Item[] } | undefined)?.items ?? []) as Item[];
  const ms = (value: unknown) => Math.round(Number(value) || 0);
  const short = (url: unknown) => String(url).replace(/^https?:\/\/[^/]+/, "");
  const byKind = items("mainthread-work-breakdown")
    .map((item) => `${String(item.groupLabel ?? item.group)} ${ms(item.duration)}`)
    .join(", ");
  const scripts = items("bootup-time")
    .slice(0, 6)
    .map(
      (item) =>
        `${short(item.url)} ${ms(item.total)} (script ${ms(item.scripting)}, parse ${ms(item.scriptParseCompile)})`,
    );
  return [`main thread: ${byKind}`, ...scripts.map((line) => `  ${line}`)];
}

/**
 * One Lighthouse run through its own CLI in plain Node: under tsx, Lighthouse's page-side functions would carry
 * esbuild's `__name` helper into the page ("ReferenceError: __name is not defined").
 */
function runLighthouse(url: string, port: number, cookie: string | null): Result {
  const cli = path.join(process.cwd(), "node_modules", "lighthouse", "cli", "index.js");
  const args = [
    cli,
    url,
    `--port=${port}`,
    "--output=json",
    "--output-path=stdout",
    "--quiet",
    "--only-categories=performance,accessibility",
  ];
  if (cookie) args.push(`--extra-headers=${JSON.stringify({ Cookie: cookie })}`);
  const run = spawnSync(process.execPath, args, { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`Lighthouse failed on ${url}: ${run.stderr.slice(-2000)}`);
  return JSON.parse(run.stdout) as Result;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

async function main() {
  ensureBuild();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-lighthouse-"));
  const server = await startConsole({ dir });
  const browser = await launchChromium();
  const chrome = await chromeLauncher.launch({ chromePath: CHROMIUM_PATH, chromeFlags: CHROMIUM_FLAGS });
  try {
    // Sign in through the form, as a person does; the session cookie then goes with every Lighthouse request.
    const context = await browser.newContext({ baseURL: server.url });
    const page = await context.newPage();
    await page.goto("/login");
    await page.getByLabel("Email", { exact: true }).fill(DEMO_ADMIN.email);
    await page.getByLabel("Password", { exact: true }).fill(DEMO_ADMIN.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((url) => url.pathname !== "/login", { waitUntil: "load" });
    const cookie = (await context.cookies()).map(({ name, value }) => `${name}=${value}`).join("; ");

    // A traveler with a page: the first row of the list.
    await page.goto("/travelers");
    const firstTraveler = await page.locator('[data-testid^="traveler-row-"] a').first().getAttribute("href");
    if (!firstTraveler) throw new Error("the demo data has no traveler");

    // The router's prefetches on /travelers: every link in view is fetched ahead unless told otherwise. Counted
    // from a fresh load until the network is idle, with the whole list scrolled through.
    const prefetches: string[] = [];
    const scripts = new Map<string, number>();
    const fresh = await context.newPage();
    fresh.on("request", (request) => {
      const headers = request.headers();
      if (headers["next-router-prefetch"] || headers["next-router-segment-prefetch"]) prefetches.push(request.url());
    });
    fresh.on("response", async (response) => {
      if (response.request().resourceType() !== "script") return;
      const size = Number((await response.allHeaders())["content-length"] ?? 0);
      scripts.set(new URL(response.url()).pathname, size);
    });
    await fresh.goto("/travelers", { waitUntil: "networkidle" });
    const loadedScripts = new Set(scripts.keys());
    await fresh.mouse.wheel(0, 10_000);
    await fresh.waitForLoadState("networkidle");
    // The router prefetches in idle time after the load: settled once 3 s pass without a new prefetch.
    for (let seen = -1, quietSince = Date.now(); Date.now() - quietSince < 3_000;) {
      if (prefetches.length !== seen) [seen, quietSince] = [prefetches.length, Date.now()];
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const manifest = measurePageWeight().routes.find((route) => route.route === "/travelers")!;
    const manifestChunks = new Set(manifest.chunks.map((chunk) => `/_next/${chunk}`));
    const onlyBrowser = [...loadedScripts].filter((chunk) => chunk.startsWith("/_next/") && !manifestChunks.has(chunk));
    const onlyManifest = [...manifestChunks].filter((chunk) => !loadedScripts.has(chunk));
    await fresh.close();
    console.log(`\nprefetch requests on /travelers (fresh load, list scrolled through): ${prefetches.length}`);
    console.log(
      `first-load scripts Chromium fetched on /travelers: ${loadedScripts.size}; manifest (bench/page-weight.ts): ` +
        `${manifestChunks.size}; fetched but not in the manifest: ${onlyBrowser.join(", ") || "none"}; ` +
        `in the manifest but not fetched: ${onlyManifest.join(", ") || "none"}`,
    );

    const pages = [
      { name: "/login", url: "/login", signedIn: false },
      { name: "/travelers", url: "/travelers", signedIn: true },
      { name: "traveler page", url: firstTraveler, signedIn: true },
      { name: "/webhooks", url: "/webhooks", signedIn: true },
    ];
    const results: { name: string; runs: Run[] }[] = [];
    for (const target of pages.filter((page) => !ONLY_PAGES || ONLY_PAGES.includes(page.name))) {
      const runs: Run[] = [];
      for (let run = 0; run < RUNS; run++) {
        const lhr = runLighthouse(`${server.url}${target.url}`, chrome.port, target.signedIn ? cookie : null);
        if (REPORTS)
          fs.writeFileSync(path.join(REPORTS, `${target.name.replace(/\W+/g, "_")}-${run}.json`), JSON.stringify(lhr));
        if (lhr.runtimeError) throw new Error(`${target.url}: ${lhr.runtimeError.message}`);
        const a11yFailed = Object.values(lhr.audits)
          .filter(
            (audit) =>
              audit.score === 0 &&
              lhr.categories.accessibility!.auditRefs.some((ref) => ref.id === audit.id && ref.weight > 0),
          )
          .map((audit) => audit.id);
        runs.push({
          performance: Math.round((lhr.categories.performance!.score ?? 0) * 100),
          accessibility: Math.round((lhr.categories.accessibility!.score ?? 0) * 100),
          lcpMs: lhr.audits["largest-contentful-paint"]!.numericValue ?? NaN,
          cls: lhr.audits["cumulative-layout-shift"]!.numericValue ?? NaN,
          tbtMs: lhr.audits["total-blocking-time"]!.numericValue ?? NaN,
          failedA11y: a11yFailed,
          mainThread: mainThreadWork(lhr),
        });
        if (new URL(lhr.finalDisplayedUrl).pathname === "/login" && target.signedIn) {
          throw new Error(`${target.url} showed the sign-in page: the session cookie was not taken`);
        }
      }
      results.push({ name: target.name, runs });
    }

    console.log(`\nLighthouse 12.2.3, mobile preset, simulated throttling, median of ${RUNS}; ${CHROMIUM_PATH}`);
    console.log(
      `load average: ${os
        .loadavg()
        .map((value) => value.toFixed(2))
        .join(" ")} (${os.cpus().length} cores)`,
    );
    console.log("page            perf  a11y  LCP ms  TBT ms    CLS  (runs: perf)        a11y audits failed");
    for (const { name, runs } of results) {
      const failed = [...new Set(runs.flatMap((run) => run.failedA11y))].join(", ") || "-";
      console.log(
        [
          name.padEnd(14),
          String(median(runs.map((run) => run.performance))).padStart(5),
          String(median(runs.map((run) => run.accessibility))).padStart(5),
          String(Math.round(median(runs.map((run) => run.lcpMs)))).padStart(7),
          String(Math.round(median(runs.map((run) => run.tbtMs)))).padStart(7),
          median(runs.map((run) => run.cls))
            .toFixed(3)
            .padStart(6),
          `  (${runs.map((run) => run.performance).join(", ")})`.padEnd(20),
          failed,
        ].join(" "),
      );
    }
    // The median run's main-thread work per page: what to cut for TBT.
    for (const { name, runs } of results) {
      const medianRun = runs.find((run) => run.performance === median(runs.map((r) => r.performance)))!;
      console.log(`\n${name}: ${medianRun.mainThread.join("\n")}`);
    }
    const below = results.filter(
      ({ runs }) =>
        median(runs.map((run) => run.performance)) < 95 || median(runs.map((run) => run.accessibility)) < 100,
    );
    if (below.length) {
      console.log(`below target (perf ≥ 95, a11y 100): ${below.map(({ name }) => name).join(", ")}`);
      process.exitCode = 1;
    }
  } finally {
    await browser.close();
    chrome.kill();
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
