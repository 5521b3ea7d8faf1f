import { execFileSync, spawn, spawnSync, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

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
  if (process.env.BENCH_BUILD !== "1" && built > newestSource()) return;
  console.log("[bench] next build …");
  const build = spawnSync(process.execPath, [path.join(root, "node_modules", "next", "dist", "bin", "next"), "build"], {
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (build.status !== 0) throw new Error("next build failed");
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

/**
 * The console as `npm start` starts it (scripts/run-server.ts start, production build) on `port`, in its own
 * process group so stopConsole reaches everything it started. It calls no Hubby (an unreachable base URL); `env`
 * adds the bench's settings (database, webhook key).
 */
export function spawnConsole(port: number, env: Record<string, string>, stderr: "inherit" | "ignore"): ChildProcess {
  return spawn(
    process.execPath,
    ["--conditions=react-server", "--import", "tsx", "scripts/run-server.ts", "start", "-p", String(port)],
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
  try {
    process.kill(-child.pid!, "SIGKILL");
  } catch {
    // gone
  }
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
  return `${mb(rss)} MB RSS / ${mb(pss)} MB PSS in ${processes.length} processes (load ${os
    .loadavg()
    .map((value) => value.toFixed(1))
    .join(" ")})`;
}
