import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { consoleStartArgs } from "./console-server";

/**
 * Starting the built console for end-to-end tests: `npm run test:e2e` starts the shared one (scripts/test-e2e.ts),
 * and a test file that needs other settings (single sign-on: tests/e2e/sso.test.ts) starts its own with
 * `startConsole({ env })`, on its own free ports and data directory, from the same production build.
 */

const HEALTH_TIMEOUT_MS = 90_000;

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => (port ? resolve(port) : reject(new Error("Could not find a free port."))));
    });
  });
}

function randomSecret(length = 48): string {
  return crypto.randomBytes(length).toString("base64url").slice(0, length);
}

export function logTail(file: string, lines = 60): string {
  try {
    return fs.readFileSync(file, "utf8").split("\n").slice(-lines).join("\n");
  } catch {
    return "(no server output)";
  }
}

export type ConsoleServer = {
  url: string;
  sandboxUrl: string;
  logFile: string;
  child: ChildProcess;
  /** SIGTERM to the server's process group, SIGKILL after 5 s. */
  stop(): Promise<void>;
};

/**
 * Starts `scripts/run-server.ts start` on `port` (default: a free one) against a fresh embedded database and sandbox
 * in `dir`, and waits for GET /api/health to answer 200. `env` adds to (or, with undefined, removes from) what the
 * shared e2e server gets.
 */
export async function startConsole(options: {
  dir: string;
  port?: number;
  env?: Record<string, string | undefined>;
  root?: string;
  /** How long to wait for GET /api/health to answer 200 (default 90 s). */
  healthTimeoutMs?: number;
  /** Called as soon as the process runs (before it is healthy), with its stop: for a signal handler. */
  onSpawn?: (stop: () => Promise<void>) => void;
}): Promise<ConsoleServer> {
  const root = options.root ?? process.cwd();
  const port = options.port ?? (await freePort());
  let sandboxPort = await freePort();
  while (sandboxPort === port) sandboxPort = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const logFile = path.join(options.dir, "server.log");
  fs.mkdirSync(options.dir, { recursive: true });

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HUBBY_SANDBOX_PORT: String(sandboxPort),
    HUBBY_SANDBOX_DATA_DIR: path.join(options.dir, "sandbox"),
    PGLITE_DATA_DIR: path.join(options.dir, "pglite"),
    NEXTAUTH_SECRET: randomSecret(48),
    NEXTAUTH_URL: url,
    NEXT_TELEMETRY_DISABLED: "1",
    // The browsers stand behind a "proxy": each test context sends its own X-Forwarded-For, so the sign-in
    // throttle counts it as its own IP (tests/e2e/support.ts).
    TRUST_PROXY: "true",
    // tests/e2e/forwarding.test.ts forwards webhooks to a receiver it starts on loopback.
    HUBBY_FORWARD_ALLOW_PRIVATE: "true",
  };
  // A fresh sandbox database: no external Postgres, no real Hubby, no configured admin, so the demo staff are seeded.
  for (const name of [
    "DATABASE_URL",
    "HUBBY_API_BASE_URL",
    "HUBBY_API_KEY",
    "HUBBY_API_SECRET",
    "ADMIN_EMAIL",
    "ADMIN_PASSWORD",
    "HUBBY_WEBHOOK_URL",
    // The test runner's own variables are not the console's.
    "E2E_URL",
    "E2E_SANDBOX_URL",
    "E2E_DATA_DIR",
  ]) {
    delete env[name];
  }
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }

  const log = fs.openSync(logFile, "a");
  const child = spawn(
    process.execPath,
    consoleStartArgs(port),
    // Its own process group, so the whole tree the console starts can be signalled at once.
    { cwd: root, env, stdio: ["ignore", log, log], detached: true },
  );
  fs.closeSync(log);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  const signal = (name: NodeJS.Signals) => {
    if (!child.pid) return;
    try {
      process.kill(-child.pid, name);
    } catch {
      try {
        child.kill(name);
      } catch {
        // already gone
      }
    }
  };
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    signal("SIGTERM");
    const killed = await Promise.race([
      exited.then(() => false),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(true), 5_000)),
    ]);
    // Whether it exited or not, nothing of its process group stays behind.
    signal("SIGKILL");
    if (killed) await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 2_000))]);
  };

  options.onSpawn?.(stop);
  const server = { url, sandboxUrl: `http://127.0.0.1:${sandboxPort}`, logFile, child, stop };
  try {
    await waitForHealth(url, child, logFile, options.healthTimeoutMs ?? HEALTH_TIMEOUT_MS);
  } catch (error) {
    await stop();
    throw error;
  }
  return server;
}

async function waitForHealth(url: string, child: ChildProcess, logFile: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  let exited = child.exitCode !== null;
  child.once("exit", () => (exited = true));
  let last = "no answer yet";
  while (Date.now() < deadline) {
    if (exited) throw new Error(`The server exited before it became healthy.\n\n${logTail(logFile)}`);
    try {
      const response = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(5_000) });
      if (response.status === 200) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(
    `The server did not answer GET /api/health with 200 within ${timeoutMs / 1000} s (last: ${last}).\n\n${logTail(logFile)}`,
  );
}
