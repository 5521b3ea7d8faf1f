import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { logTail, startConsole } from "./e2e-console";

/**
 * `npm run test:e2e`: builds the app, starts it on a free port against a fresh embedded database (so the demo staff
 * are seeded), runs the e2e vitest project against it with system Chromium, then stops the server and cleans up.
 *
 * Environment: CHROMIUM_PATH (default /usr/bin/chromium), E2E_SKIP_BUILD=1 to reuse the last `next build`.
 * (vitest sets process.env.BASE_URL itself, so the server address is passed as E2E_URL.)
 */

const root = process.cwd();
const chromiumPath = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
let stopServer: (() => Promise<void>) | undefined;
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

/** Stops the server and removes the temp dir; every caller (normal end, error, signal) awaits the same run. */
function cleanup(): Promise<void> {
  cleanupRun ??= (async () => {
    await stopServer?.();
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

  tempDir = fs.mkdtempSync(path.join(os.tmpdir(), "hubby-e2e-"));
  const logFile = path.join(tempDir, "server.log");

  console.log(`[e2e] starting the server (data in ${tempDir}, log in ${logFile}) …`);
  const server = await startConsole({ dir: tempDir, root, onSpawn: (stop) => (stopServer = stop) });
  const url = server.url;
  console.log(`[e2e] server is healthy on ${url}; running the e2e tests.`);

  const code = await runVitest(url, tempDir, server.sandboxUrl);
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
