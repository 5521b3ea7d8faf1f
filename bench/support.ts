import { execFileSync, spawn, spawnSync, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { buildConsoleServer, CONSOLE_SERVER_BUNDLE, consoleStartArgs } from "../scripts/console-server";

/** What the benches that start the real console (a production build) share. */

export const root = process.cwd();

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const port = (probe.address() as net.AddressInfo).port;
      probe.close(() => resolve(port));
    });
  });
}

/** The newest modification time under the paths that go into the build. */
function newestSource(): number {
  let newest = 0;
  const walk = (entry: string) => {
    const stat = fs.statSync(entry, { throwIfNoEntry: false });
    if (!stat) return;
    if (stat.isDirectory()) for (const name of fs.readdirSync(entry)) walk(path.join(entry, name));
    else newest = Math.max(newest, stat.mtimeMs);
  };
  for (const entry of [
    "app",
    "components",
    "lib",
    "instrumentation.ts",
    "proxy.ts",
    "next.config.js",
    "package.json",
  ]) {
    walk(path.join(root, entry));
  }
  return newest;
}

/**
 * Builds the console unless .next holds a build newer than every source file: a bench must never measure code
 * older than the tree it runs in. BENCH_BUILD=1 forces a build.
 */
export function ensureBuild() {
  const buildId = path.join(root, ".next", "BUILD_ID");
  const built = fs.statSync(buildId, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  if (process.env.BENCH_BUILD === "1" || built <= newestSource()) {
    console.log("[bench] next build …");
    const next = path.join(root, "node_modules", "next", "dist", "bin", "next");
    const build = spawnSync(process.execPath, [next, "build"], {
      stdio: "inherit",
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
    });
    if (build.status !== 0) throw new Error("next build failed");
  }
  // The server's bundle takes a fifth of a second: made at every run, it is never older than its sources.
  buildConsoleServer(root);
}

/**
 * One unlabelled gauge (the default `service` label aside) from a console's `/api/metrics`, read with its
 * METRICS_TOKEN. Throws when the metric is missing, so a bench never waits on a name that does not exist.
 */
export async function readGauge(metricsUrl: string, token: string, name: string): Promise<number> {
  const response = await fetch(metricsUrl, { headers: { authorization: `Bearer ${token}` } });
  const text = await response.text();
  const value = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\d+)`, "m").exec(text)?.[1];
  if (value === undefined) throw new Error(`no ${name} in the console's metrics (${response.status})`);
  return Number(value);
}

export async function waitForHealth(url: string, child?: ChildProcess, attempts = 240) {
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (child && child.exitCode !== null) throw new Error("the console exited during start-up");
    try {
      if ((await fetch(`${url}/api/health`)).ok) return;
    } catch {
      // starting
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error("the console did not become healthy");
}

/** Resident memory of every process in a process group (a detached child and what it started), in bytes. */
export function groupRss(pgid: number): number {
  try {
    const out = execFileSync("ps", ["-o", "rss=", "-g", String(pgid)], { encoding: "utf8" });
    return out
      .split("\n")
      .map((line) => Number(line.trim()) || 0)
      .reduce((sum, kb) => sum + kb * 1024, 0);
  } catch {
    return 0;
  }
}

/** package.json's `start` script, word by word: the console's production command. */
export function startCommand(): string[] {
  if (!startWords) {
    const packageJson = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as {
      scripts: Record<string, string>;
    };
    startWords = packageJson.scripts.start!.split(/\s+/);
  }
  return [...startWords];
}
/** package.json's start script, read once: a bench may start dozens of consoles. */
let startWords: string[] | undefined;

/**
 * The Node flags of package.json's `start` script (`node <flags> .next/console-server/run-server.cjs start`): the one
 * place they are written. The Dockerfile's CMD repeats the command, and tests/integration/start-command.test.ts keeps
 * the two equal.
 */
export function startNodeFlags(): string[] {
  const words = startCommand();
  const script = words.findIndex((word, index) => index > 0 && !word.startsWith("--"));
  if (words[0] !== "node" || script < 0 || words[script] !== CONSOLE_SERVER_BUNDLE) {
    throw new Error(
      `package.json's start script is not \`node <flags> ${CONSOLE_SERVER_BUNDLE} start\`: ${words.join(" ")}`,
    );
  }
  return words.slice(1, script);
}

/**
 * The console as `npm start` starts it (scripts/run-server.ts start, production build) on `port`, in its own
 * process group so stopConsole reaches everything it started. It calls no Hubby (an unreachable base URL); `env`
 * adds the bench's settings (database, webhook key). BENCH_NODE_FLAGS replaces `npm start`'s Node flags
 * (startNodeFlags), to compare others side by side (for example `BENCH_NODE_FLAGS="--max-semi-space-size=8 --maglev"`).
 * BENCH_CONSOLE_NODE runs the console on another Node binary than the bench's own (decision 0075 compared 20 and 24).
 */
export function spawnConsole(port: number, env: Record<string, string>, stderr: "inherit" | "ignore"): ChildProcess {
  return spawn(
    process.env.BENCH_CONSOLE_NODE || process.execPath,
    [...(process.env.BENCH_NODE_FLAGS?.split(" ").filter(Boolean) ?? startNodeFlags()), ...consoleStartArgs(port)],
    {
      cwd: root,
      detached: true,
      stdio: ["ignore", "ignore", stderr],
      env: {
        ...process.env,
        PORT: String(port),
        NEXTAUTH_SECRET: crypto.randomBytes(32).toString("hex"),
        HUBBY_API_BASE_URL: "http://127.0.0.1:9/api",
        HUBBY_API_KEY: "bench",
        HUBBY_API_SECRET: "bench",
        NEXT_TELEMETRY_DISABLED: "1",
        ...env,
      },
    },
  );
}

/**
 * SIGTERM to the process group, then SIGKILL after 10 s: a stop that always ends. Prints the group's memory first
 * (one line, from /proc), so every long bench ends with the console's footprint under its load.
 */
export async function stopConsole(child: ChildProcess) {
  if (child.exitCode !== null) return;
  console.log(`[bench] console footprint at its stop: ${describeGroupMemory(child.pid!)}`);
  const exited = new Promise((resolve) => child.once("exit", resolve));
  process.kill(-child.pid!, "SIGTERM");
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
  await killGroup(child);
}

/**
 * SIGKILL to the process group of a child started detached (everything it started dies with it), resolving once the
 * child has exited; at once if it already had.
 */
export async function killGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  try {
    process.kill(-child.pid!, "SIGKILL");
  } catch {
    return; // the group is gone already
  }
  await exited;
}

/**
 * Points lib/ at a bench database (PostgreSQL at `databaseUrl`, else a PGlite in memory) and migrates it. lib/env.ts
 * reads the environment once, so this runs before any other lib/ import.
 */
export async function openBenchDatabase(databaseUrl?: string) {
  if (databaseUrl) process.env.DATABASE_URL = databaseUrl;
  else {
    delete process.env.DATABASE_URL;
    process.env.PGLITE_DATA_DIR = "memory://";
  }
  // The environment's rules ask for a session secret even though a bench signs nobody in.
  process.env.NEXTAUTH_SECRET ??= crypto.randomBytes(32).toString("base64url");
  const { resetEnvCache } = await import("../lib/env");
  resetEnvCache();
  const { closeDatabase, db, getDatabase } = await import("../lib/db");
  const { migrate } = await import("../lib/migrations");
  const database = getDatabase();
  await migrate(database);
  return { kind: databaseUrl ? "PostgreSQL" : "in-memory PGlite", database, db, close: closeDatabase };
}

/**
 * A sandbox for measuring bookings alone: no simulated clock, no seeded travelers, no duplicate deliveries, and
 * webhooks addressed to a port nothing listens on (dropped after their retries).
 */
export function quietSandboxOptions(credentials: { apiKey: string; apiSecret: string }, webhookKey: string) {
  return {
    credentials,
    webhook: {
      url: "http://127.0.0.1:9/hook",
      apiKey: webhookKey,
      authHeader: "x-api-key",
      authPrefix: "",
      timestampHeader: "x-hubby-timestamp",
    },
    clockSpeed: 0,
    tickMs: 0,
    duplicateRate: 0,
    travelers: 0,
  };
}

/** One process of a process group, with its resident (RSS) and proportional (PSS: shared pages split) memory. */
export type ProcessMemory = { pid: number; ppid: number; command: string; rssBytes: number; pssBytes: number };

/**
 * Every process whose process group is `pgid` (a detached child and everything it started), read from /proc:
 * VmRSS from /proc/<pid>/status and Pss from /proc/<pid>/smaps_rollup. RSS counts a shared page (the node binary,
 * shared libraries) in every process that maps it; PSS splits it between them, so the PSS sum is the group's honest
 * total. Linux only; an empty list elsewhere.
 */
export function processGroupMemory(pgid: number): ProcessMemory[] {
  let pids: string[];
  try {
    pids = fs.readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  const found: ProcessMemory[] = [];
  for (const pid of pids) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
      // pid (comm) state ppid pgrp …: comm may hold spaces and parentheses, so read after the last ")".
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[2]) !== pgid) continue;
      const kb = (text: string, key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(text)?.[1] ?? 0);
      const rss = kb(fs.readFileSync(`/proc/${pid}/status`, "utf8"), "VmRSS");
      const pss = kb(fs.readFileSync(`/proc/${pid}/smaps_rollup`, "utf8"), "Pss");
      const command = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean).join(" ");
      found.push({ pid: Number(pid), ppid: Number(fields[1]), command, rssBytes: rss * 1024, pssBytes: pss * 1024 });
    } catch {
      // The process ended while it was being read.
    }
  }
  return found.sort((a, b) => a.pid - b.pid);
}

/** "412 MB RSS / 305 MB PSS in 4 processes": a long bench's closing line about the console it started. */
export function describeGroupMemory(pgid: number): string {
  const processes = processGroupMemory(pgid);
  const mb = (bytes: number) => Math.round(bytes / 1048576);
  const rss = processes.reduce((sum, p) => sum + p.rssBytes, 0);
  const pss = processes.reduce((sum, p) => sum + p.pssBytes, 0);
  return `${mb(rss)} MB RSS / ${mb(pss)} MB PSS in ${processes.length} processes (load ${loadAverage()})`;
}

// ── Starting consoles, signing in, a browser ──────────────────────────────────────────────────────────────────

/** Settings a bench must not inherit from the shell: with none of them, `npm start` runs the built-in sandbox and
 * seeds the demo staff on its own embedded database. */
const INHERITED_CONSOLE_SETTINGS = [
  "DATABASE_URL",
  "HUBBY_API_BASE_URL",
  "HUBBY_API_KEY",
  "HUBBY_API_SECRET",
  "ADMIN_EMAIL",
  "ADMIN_PASSWORD",
];

/**
 * The environment for `npm start` under a bench: the shell's, without the settings above, with a fresh session
 * secret; `settings` come last (an undefined value removes the variable).
 */
export function consoleEnvironment(settings: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: Record<string, string | undefined> = {
    ...process.env,
    NEXTAUTH_SECRET: crypto.randomBytes(32).toString("hex"),
    NEXT_TELEMETRY_DISABLED: "1",
  };
  for (const name of INHERITED_CONSOLE_SETTINGS) delete env[name];
  Object.assign(env, settings);
  for (const name of Object.keys(env)) if (env[name] === undefined) delete env[name];
  return env as NodeJS.ProcessEnv;
}

/**
 * `npm start -- -p <port>` exactly as a person types it, in its own process group (npm, its shell, run-server.ts
 * and the console: groupRss and stopConsole reach all of them). A person's shell does not have the project's
 * node_modules/.bin on its PATH, where this bench (itself an npm script) has it: npm itself then runs on the host's
 * Node, and the start script on the Node that npm install brought (decision 0082), as they would.
 */
export function spawnNpmStart(port: number, env: NodeJS.ProcessEnv, stderr: "inherit" | "ignore"): ChildProcess {
  const projectBin = path.join(root, "node_modules", ".bin");
  const shellPath = (env.PATH ?? "")
    .split(path.delimiter)
    .filter((entry) => path.resolve(entry) !== projectBin)
    .join(path.delimiter);
  return spawn("npm", ["start", "--", "-p", String(port)], {
    cwd: root,
    detached: true,
    stdio: ["ignore", "ignore", stderr],
    env: { ...env, PATH: shellPath, PORT: String(port) },
  });
}

export type Credentials = { email: string; password: string };

/** The demo admin `npm start` seeds on a fresh embedded database with the built-in sandbox. */
export const DEMO_ADMIN: Credentials = { email: "admin@demo.hubby.test", password: "demo-admin-pass" };

const cookiesOf = (response: Response) => response.headers.getSetCookie().map((cookie) => cookie.split(";")[0]!);

/** Signs in through next-auth's credentials callback, as the login form does; returns the Cookie header. */
export async function signIn(base: string, credentials: Credentials): Promise<string> {
  const csrf = await fetch(`${base}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const jar = cookiesOf(csrf);
  const response = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar.join("; ") },
    body: new URLSearchParams({ csrfToken, email: credentials.email, password: credentials.password, json: "true" }),
  });
  const cookies = [...jar, ...cookiesOf(response)];
  if (!cookies.some((cookie) => cookie.startsWith("next-auth.session-token="))) {
    throw new Error(`sign-in as ${credentials.email} failed (HTTP ${response.status})`);
  }
  return cookies.join("; ");
}

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

/** Debian's Chromium without the background traffic this network refuses (docs: stack notes). */
export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-quic",
  "--no-first-run",
];

export async function launchChromium() {
  const { chromium } = await import("playwright-core");
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS });
}

// ── A PostgreSQL database of the bench's own ──────────────────────────────────────────────────────────────────

/**
 * Creates database `name` on the server at `adminUrl`; `drop()` removes it (WITH (FORCE): connections a killed
 * console left open do not keep it).
 */
export async function createBenchDatabase(name: string, adminUrl: string) {
  const { default: pg } = await import("pg");
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    name,
    url: url.toString(),
    async drop() {
      if (dropped) return;
      dropped = true;
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** Runs `fn` with the URL of a fresh database `name` on the server at `adminUrl`, dropped afterwards whatever happens. */
export async function withBenchDatabase<T>(
  name: string,
  adminUrl: string,
  fn: (url: string) => Promise<T>,
): Promise<T> {
  const scratch = await createBenchDatabase(name, adminUrl);
  try {
    return await fn(scratch.url);
  } finally {
    await scratch.drop();
  }
}

// ── A round-robin proxy in front of several consoles ──────────────────────────────────────────────────────────

export type Backend = { name: string; port: number; ready: boolean; slowProbes: number; requests: number };

export function backend(name: string, port: number): Backend {
  return { name, port, ready: false, slowProbes: 0, requests: 0 };
}

/** Whether a request may be sent again after a reset: GETs, and webhooks (the console stores one per event id). */
function idempotent(request: http.IncomingMessage): boolean {
  return request.method === "GET" || request.url === "/api/webhooks/hubby";
}

/**
 * A small load balancer written for the benches (not the product): round-robin over backends whose GET
 * /api/health/ready answers 200 (polled every 200 ms per backend), a refused connection tried on the next one, a
 * reset before any answer retried only where a repeat is harmless. `observe` sees every request's body and the
 * status it was answered with (0: no answer).
 */
export async function startRoundRobinProxy(
  backends: Backend[],
  observe?: (request: http.IncomingMessage, body: Buffer, status: number) => void,
) {
  let next = 0;
  const stats = { retriedAfterRefusal: 0, retriedAfterReset: 0, noBackend: 0 };
  const forward = (
    request: http.IncomingMessage,
    body: Buffer,
    response: http.ServerResponse,
    triesLeft: number,
  ): void => {
    const ready = backends.filter((candidate) => candidate.ready);
    if (ready.length === 0 || triesLeft === 0) {
      stats.noBackend += 1;
      observe?.(request, body, 503);
      response.writeHead(503).end("no ready backend");
      return;
    }
    const chosen = ready[next++ % ready.length]!;
    chosen.requests += 1;
    const upstream = http.request(
      {
        host: "127.0.0.1",
        port: chosen.port,
        method: request.method,
        path: request.url,
        headers: { ...request.headers, connection: "close" },
        agent: false,
      },
      (reply) => {
        observe?.(request, body, reply.statusCode ?? 502);
        response.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(response);
      },
    );
    upstream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "ECONNREFUSED" && !response.headersSent) {
        // Nothing reached the instance: it stopped listening before the readiness poll saw it go.
        if (chosen.ready) console.log(`[proxy] ${chosen.name}: not ready (connection refused)`);
        chosen.ready = false;
        stats.retriedAfterRefusal += 1;
        forward(request, body, response, triesLeft - 1);
        return;
      }
      if (error.code === "ECONNRESET" && !response.headersSent && idempotent(request)) {
        // A connection still in the listen queue when the instance closed its listener is reset. Retried only
        // where a repeat is harmless (as a balancer's "retry on reset" for idempotent routes).
        stats.retriedAfterReset += 1;
        forward(request, body, response, triesLeft - 1);
        return;
      }
      if (!response.headersSent) {
        observe?.(request, body, 502);
        response.writeHead(502).end(`proxy: ${error.code ?? error.message}`);
      } else response.destroy();
    });
    upstream.end(body);
  };
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => forward(request, Buffer.concat(chunks), response, backends.length + 1));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  let polling = true;
  // One probe loop per backend, so a slow or starting instance never delays noticing that another one stops.
  const probe = async (target: Backend) => {
    while (polling) {
      let answer: string;
      try {
        const reply = await fetch(`http://127.0.0.1:${target.port}/api/health/ready`, {
          signal: AbortSignal.timeout(2_000),
        });
        answer = reply.status === 200 ? "ready" : `${reply.status} ${await reply.text()}`;
      } catch (error) {
        answer = (error as Error).name === "TimeoutError" ? "timeout" : "refused";
      }
      // As balancers do: an explicit "not ready" or a refused connection counts at once; a slow answer on a
      // busy machine only after three in a row.
      target.slowProbes = answer === "timeout" ? target.slowProbes + 1 : 0;
      const ready = answer === "ready" || (answer === "timeout" && target.ready && target.slowProbes < 3);
      if (ready !== target.ready) console.log(`[proxy] ${target.name}: ${ready ? "ready" : `not ready (${answer})`}`);
      target.ready = ready;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };
  const polled = Promise.all(backends.map(probe));
  return {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    stats,
    async close() {
      polling = false;
      await polled;
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Waits until GET /api/health/ready on `port` answers 200 (migrations done, jobs started). */
export async function waitReady(name: string, port: number, child: ChildProcess) {
  let last = "no answer";
  for (let attempt = 0; attempt < 1_200; attempt++) {
    if (child.exitCode !== null) throw new Error(`${name} exited during start-up`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/api/health/ready`);
      if (response.status === 200) return;
      last = `${response.status} ${await response.text()}`;
    } catch {
      // starting
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${name} did not become ready (last answer: ${last})`);
}

// ── Printing ──────────────────────────────────────────────────────────────────────────────────────────────────

/** A table with the first column left-aligned and the others right-aligned. */
export function printTable(header: string[], rows: string[][]) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join("  ");
  console.log(line(header));
  for (const row of rows) console.log(line(row));
}

export function loadAverage() {
  return os
    .loadavg()
    .map((value) => value.toFixed(1))
    .join(" ");
}
