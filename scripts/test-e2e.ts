import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

/**
 * `npm run test:e2e`: builds the app, starts it on a free port against a fresh embedded database (so the demo staff
 * are seeded), runs the e2e vitest project against it with system Chromium, then stops the server and cleans up.
 *
 * Environment: CHROMIUM_PATH (default /usr/bin/chromium), E2E_SKIP_BUILD=1 to reuse the last `next build`.
 * (vitest sets process.env.BASE_URL itself, so the server address is passed as E2E_URL.)
 */

const root = process.cwd();
const chromiumPath = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const HEALTH_TIMEOUT_MS = 90_000;

let server: ChildProcess | undefined;
let serverExited: Promise<void> = Promise.resolve();
let tempDir: string | undefined;
let vitest: ChildProcess | undefined;
let cleanupRun: Promise<void> | undefined;
let interruptedBy: NodeJS.Signals | undefined;

function checkChromium() {
  let executable = false;
  try {
    fs.accessSync(chromiumPath, fs.constants.X_OK);
    executable = fs.statSync(chromiumPath).isFile();
  } catch {
    executable = false;
  }
  if (!executable) {
    console.error(
      `\nChromium was not found at ${chromiumPath}.\n` +
        `The end-to-end tests drive the system Chromium. Install it with:\n\n` +
        `    apt-get update && apt-get install -y chromium\n\n` +
        `or point CHROMIUM_PATH at an existing Chromium or Chrome binary.\n`,
    );
    process.exit(1);
  }
}

function build() {
  if (process.env.E2E_SKIP_BUILD === "1") {
    if (!fs.existsSync(path.join(root, ".next", "BUILD_ID"))) {
      console.error("\nE2E_SKIP_BUILD=1 but there is no production build in .next: run without it once.\n");
      process.exit(1);
    }
    console.log("[e2e] E2E_SKIP_BUILD=1: reusing the existing production build.");
    return;
  }
  console.log("[e2e] next build …");
  const result = spawnSync(
    process.execPath,
    [path.join(root, "node_modules", "next", "dist", "bin", "next"), "build"],
    {
      stdio: "inherit",
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
    },
  );
  if (result.status !== 0) {
    console.error(`\n[e2e] next build failed (exit ${result.status ?? result.signal}).\n`);
    process.exit(result.status || 1);
  }
}

function freePort(): Promise<number> {
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

function logTail(file: string, lines = 60): string {
  try {
    return fs.readFileSync(file, "utf8").split("\n").slice(-lines).join("\n");
  } catch {
    return "(no server output)";
  }
}

function startServer(port: number, sandboxPort: number, dir: string, logFile: string) {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HUBBY_SANDBOX_PORT: String(sandboxPort),
    HUBBY_SANDBOX_DATA_DIR: path.join(dir, "sandbox"),
    PGLITE_DATA_DIR: path.join(dir, "pglite"),
    NEXTAUTH_SECRET: randomSecret(48),
    NEXTAUTH_URL: `http://127.0.0.1:${port}`,
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
  ]) {
    delete env[name];
  }
  const log = fs.openSync(logFile, "a");
  const child = spawn(
    path.join(root, "node_modules", ".bin", "tsx"),
    ["--conditions=react-server", "scripts/run-server.ts", "start", "-p", String(port)],
    // Its own process group, so the whole tree (tsx → run-server → next) can be signalled at once.
    { cwd: root, env, stdio: ["ignore", log, log], detached: true },
  );
  fs.closeSync(log);
  serverExited = new Promise((resolve) => child.once("exit", () => resolve()));
  server = child;
  return child;
}

async function waitForHealth(url: string, child: ChildProcess, logFile: string) {
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  let exited = false;
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
    `The server did not answer GET /api/health with 200 within ${HEALTH_TIMEOUT_MS / 1000} s (last: ${last}).\n\n${logTail(logFile)}`,
  );
}

function signalServer(signal: NodeJS.Signals) {
  if (!server?.pid) return;
  try {
    process.kill(-server.pid, signal);
  } catch {
    try {
      server.kill(signal);
    } catch {
      // already gone
    }
  }
}

async function stopServer() {
  if (!server || server.exitCode !== null || server.signalCode !== null) return;
  signalServer("SIGTERM");
  const killed = await Promise.race([
    serverExited.then(() => false),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(true), 5_000)),
  ]);
  if (killed) {
    signalServer("SIGKILL");
    await Promise.race([serverExited, new Promise((resolve) => setTimeout(resolve, 2_000))]);
  } else {
    // The child exited; make sure nothing else in its group is left behind.
    signalServer("SIGKILL");
  }
}

/** Stops the server and removes the temp dir; every caller (normal end, error, signal) awaits the same run. */
function cleanup(): Promise<void> {
  cleanupRun ??= (async () => {
    await stopServer();
    if (tempDir) {
      fs.rmSync(tempDir, { recursive: true, force: true });
      tempDir = undefined;
    }
  })();
  return cleanupRun;
}

function runVitest(url: string, dataDir: string, sandboxUrl: string): Promise<number> {
  return new Promise((resolve) => {
    vitest = spawn(
      process.execPath,
      [path.join(root, "node_modules", "vitest", "vitest.mjs"), "run", "--project", "e2e", ...process.argv.slice(2)],
      {
        cwd: root,
        stdio: "inherit",
        env: {
          ...process.env,
          E2E_URL: url,
          E2E_SANDBOX_URL: sandboxUrl,
          CHROMIUM_PATH: chromiumPath,
          E2E_DATA_DIR: dataDir,
        },
      },
    );
    vitest.once("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    vitest.once("error", (error) => {
      console.error(`[e2e] could not start vitest: ${error.message}`);
      resolve(1);
    });
  });
}

/** Passes the signal on to vitest and waits (at most 10 s, then SIGKILL) for it to finish its own cleanup. */
async function stopVitest(signal: NodeJS.Signals) {
  const child = vitest;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill(signal);
  const timedOut = await Promise.race([
    exited.then(() => false),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(true), 10_000)),
  ]);
  if (timedOut) child.kill("SIGKILL");
}

async function main() {
  checkChromium();
  build();

  const port = await freePort();
  tempDir = fs.mkdtempSync(path.join(os.tmpdir(), "hubby-e2e-"));
  const logFile = path.join(tempDir, "server.log");
  const url = `http://127.0.0.1:${port}`;

  console.log(`[e2e] starting the server on ${url} (data in ${tempDir}, log in ${logFile}) …`);
  let sandboxPort = await freePort();
  while (sandboxPort === port) sandboxPort = await freePort();
  const child = startServer(port, sandboxPort, tempDir, logFile);
  await waitForHealth(url, child, logFile);
  console.log("[e2e] server is healthy; running the e2e tests.");

  const code = await runVitest(url, tempDir, `http://127.0.0.1:${sandboxPort}`);
  if (code !== 0 && !interruptedBy) console.error(`\n[e2e] server log tail:\n${logTail(logFile, 40)}\n`);
  await cleanup();
  process.exit(interruptedBy ? 128 + os.constants.signals[interruptedBy] : code);
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    console.error(`\n[e2e] ${signal}: stopping …`);
    interruptedBy = signal;
    void stopVitest(signal)
      .then(cleanup)
      .finally(() => process.exit(128 + os.constants.signals[signal]));
  });
}

main().catch(async (error: unknown) => {
  console.error(`\n[e2e] ${error instanceof Error ? error.message : String(error)}\n`);
  await cleanup();
  process.exit(1);
});
