import { execFileSync, spawn, spawnSync, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
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
    path.join(root, "node_modules", ".bin", "tsx"),
    ["--conditions=react-server", "scripts/run-server.ts", "start", "-p", String(port)],
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

/** SIGTERM to the process group, then SIGKILL after 10 s: a stop that always ends. */
export async function stopConsole(child: ChildProcess) {
  if (child.exitCode !== null) return;
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
