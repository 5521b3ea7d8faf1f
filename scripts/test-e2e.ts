import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { buildConsoleServer } from "./console-server";
import { logTail, startConsole } from "./e2e-console";
import { mergeReports, shardFiles, type VitestJsonReport } from "./e2e-shards";

/**
 * `npm run test:e2e`: builds the app, starts it on a free port against a fresh embedded database (so the demo staff
 * are seeded), runs the e2e vitest project against it with system Chromium, then stops the server and cleans up.
 *
 * The journeys run one file at a time against their server, and wait on the browser and the server much of the time.
 * So the files are split into shards (E2E_SHARDS, by default 2 where there are 2 cores), each with its own server,
 * sandbox and database and its own Vitest, side by side (docs/decisions/0078-e2e-shards.md). Given test files or
 * other Vitest filters, they all run in one shard, as before.
 *
 * Environment: CHROMIUM_PATH (default: browserPath() below), E2E_SKIP_BUILD=1 to reuse the last `next build`,
 * E2E_SHARDS (1 runs every file against one server). (vitest sets process.env.BASE_URL itself, so the server
 * address is passed as E2E_URL.)
 */

const root = process.cwd();
const chromiumPath = process.env.CHROMIUM_PATH || browserPath();
const stopServers: (() => Promise<void>)[] = [];
let stopping = false;
let tempDir: string | undefined;
const vitests: ChildProcess[] = [];
let cleanupRun: Promise<void> | undefined;
let interruptedBy: NodeJS.Signals | undefined;

/**
 * Debian's headless shell (package chromium-headless-shell) when it is installed, else Debian's Chromium. The shell is
 * the same Chromium without the browser's user interface: the journeys took about a fifth less CPU with it, on a
 * machine where they keep both cores busy (docs/decisions/0081-e2e-headless-shell.md).
 */
function browserPath(): string {
  const shell = "/usr/bin/chromium-headless-shell";
  return isExecutableFile(shell) ? shell : "/usr/bin/chromium";
}

function isExecutableFile(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function checkChromium() {
  if (!isExecutableFile(chromiumPath)) {
    console.error(
      `\nChromium was not found at ${chromiumPath}.\n` +
        `The end-to-end tests drive the system Chromium. Install it with:\n\n` +
        `    apt-get update && apt-get install -y chromium chromium-headless-shell\n\n` +
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
  } else {
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
  // The console server's bundle takes a fifth of a second: made at every run, it is never older than scripts/ and lib/.
  buildConsoleServer(root);
}

/**
 * Stops the servers and removes the temp dir; every caller (normal end, error, signal) awaits the same run. A server
 * that spawns once it has begun (its shard was still starting) is stopped as it spawns (onServerSpawn).
 */
function cleanup(): Promise<void> {
  cleanupRun ??= (async () => {
    stopping = true;
    await Promise.all(stopServers.map((stop) => stop()));
    if (tempDir) {
      fs.rmSync(tempDir, { recursive: true, force: true });
      tempDir = undefined;
    }
  })();
  return cleanupRun;
}

/** How test-all.ts asks for the JSON report it reads. */
const JSON_OUTPUT = "--outputFile.json=";

/** A server's stop, registered as soon as it spawns; stopped at once if the run is already stopping. */
function onServerSpawn(stop: () => Promise<void>) {
  stopServers.push(stop);
  if (stopping) void stop();
}

/**
 * The reporter options test-all.ts passes, the only arguments that still allow shards: reporters, and a JSON report
 * as `--outputFile.json=<file>` (each shard writes its own, merged into that file). Any other output file would be
 * written by both shards at once.
 */
const isReporterArgument = (arg: string) => arg.startsWith("--reporter=") || arg.startsWith(JSON_OUTPUT);

/** Every e2e test file, in subfolders too, as the e2e project includes them (vitest.config.mts). */
function e2eFiles(): { file: string; size: number }[] {
  const dir = path.join(root, "tests", "e2e");
  return fs
    .readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((name) => name.endsWith(".test.ts"))
    .map((name) => ({
      file: `tests/e2e/${name.split(path.sep).join("/")}`,
      size: fs.statSync(path.join(dir, name)).size,
    }));
}

/** The shard count: E2E_SHARDS, else 2 on a machine with 2 cores or more; 1 when filters pick the tests. */
function shardCount(args: string[]): number {
  if (!args.every(isReporterArgument)) return 1;
  const given = process.env.E2E_SHARDS;
  if (given !== undefined && given !== "") {
    const count = Number(given);
    if (!Number.isInteger(count) || count < 1 || count > 8) {
      console.error(`\nE2E_SHARDS must be a whole number from 1 to 8 (got "${given}").\n`);
      process.exit(2);
    }
    return count;
  }
  return Math.min(2, os.availableParallelism());
}

/** The arguments with the JSON report's path replaced by one shard's. */
function withReportFor(args: string[], shard: number): string[] {
  return args.map((arg) => (arg.startsWith(JSON_OUTPUT) ? `${arg}.shard-${shard}.json` : arg));
}

type Shard = { index: number; files: string[]; url: string; sandboxUrl: string; dataDir: string; logFile: string };

function runVitest(shard: Shard, args: string[], label: string | null): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [path.join(root, "node_modules", "vitest", "vitest.mjs"), "run", "--project", "e2e", ...args, ...shard.files],
      {
        cwd: root,
        // Its own process group, so that a stop reaches its test worker too (stopOneVitest).
        detached: true,
        // One shard prints as before; several prefix each line with their shard, as their output interleaves.
        stdio: label ? ["ignore", "pipe", "pipe"] : "inherit",
        env: {
          ...process.env,
          E2E_URL: shard.url,
          E2E_SANDBOX_URL: shard.sandboxUrl,
          CHROMIUM_PATH: chromiumPath,
          E2E_DATA_DIR: shard.dataDir,
        },
      },
    );
    vitests.push(child);
    if (label) {
      for (const [stream, out] of [
        [child.stdout!, process.stdout],
        [child.stderr!, process.stderr],
      ] as const) {
        readline.createInterface({ input: stream }).on("line", (line) => out.write(`${label} ${line}\n`));
      }
    }
    // "close", not "exit": a shard's last lines are still in its pipes when it exits.
    child.once("close", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    child.once("error", (error) => {
      console.error(`[e2e] could not start vitest: ${error.message}`);
      resolve(1);
    });
  });
}

/**
 * The shards' JSON reports as one, at the path test-all.ts asked for. A shard that wrote no report (it failed to
 * start) leaves its counts out; its exit status still fails the run.
 */
function mergeReportFiles(target: string, shards: number) {
  const reports: VitestJsonReport[] = [];
  for (let shard = 1; shard <= shards; shard++) {
    const file = `${target}.shard-${shard}.json`;
    try {
      reports.push(JSON.parse(fs.readFileSync(file, "utf8")) as VitestJsonReport);
    } catch {
      console.error(`[e2e] shard ${shard} wrote no report: its tests are not counted in the summary.`);
      continue;
    }
    fs.rmSync(file, { force: true });
  }
  const merged = mergeReports(reports, shards);
  if (merged) fs.writeFileSync(target, JSON.stringify(merged));
}

/** Passes the signal on to vitest and waits (at most 10 s, then SIGKILL) for it to finish its own cleanup. */
async function stopVitest(signal: NodeJS.Signals) {
  await Promise.all(vitests.map((child) => stopOneVitest(child, signal)));
}

/**
 * Signals the Vitest's whole process group, waits for its main process, then kills what is left of the group: a
 * signal to the main process alone left its test worker (and the worker's Chromium) running after it exited.
 */
async function stopOneVitest(child: ChildProcess, signal: NodeJS.Signals) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  signalGroup(child, signal);
  await Promise.race([exited, new Promise<void>((resolve) => setTimeout(resolve, 10_000))]);
  signalGroup(child, "SIGKILL");
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals) {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // The group is gone already.
  }
}

async function main() {
  checkChromium();
  console.log(`[e2e] browser: ${chromiumPath}`);
  const args = process.argv.slice(2);
  const count = shardCount(args);
  build();

  tempDir = fs.mkdtempSync(path.join(os.tmpdir(), "hubby-e2e-"));
  const files = count > 1 ? shardFiles(e2eFiles(), count) : [[]];
  const shards = await Promise.all(
    files.map(async (shardOfFiles, index): Promise<Shard> => {
      const dataDir = files.length > 1 ? path.join(tempDir!, `shard-${index + 1}`) : tempDir!;
      const logFile = path.join(dataDir, "server.log");
      console.log(`[e2e] starting a server (data in ${dataDir}, log in ${logFile}) …`);
      const server = await startConsole({ dir: dataDir, root, onSpawn: onServerSpawn });
      return {
        index: index + 1,
        files: shardOfFiles,
        url: server.url,
        sandboxUrl: server.sandboxUrl,
        dataDir,
        logFile,
      };
    }),
  );
  console.log(
    shards.length > 1
      ? `[e2e] ${shards.length} servers are healthy; running the e2e tests in ${shards.length} shards side by side.`
      : `[e2e] server is healthy on ${shards[0]!.url}; running the e2e tests.`,
  );
  const codes = await Promise.all(
    shards.map((shard) =>
      runVitest(
        shard,
        shards.length > 1 ? withReportFor(args, shard.index) : args,
        shards.length > 1 ? `[e2e ${shard.index}/${shards.length}]` : null,
      ),
    ),
  );
  const report = args.find((arg) => arg.startsWith(JSON_OUTPUT))?.slice(JSON_OUTPUT.length);
  if (report && shards.length > 1) mergeReportFiles(report, shards.length);
  for (const [index, code] of codes.entries()) {
    if (code !== 0 && !interruptedBy) {
      console.error(
        `\n[e2e] server log tail (shard ${shards[index]!.index}):\n${logTail(shards[index]!.logFile, 40)}\n`,
      );
    }
  }
  await cleanup();
  const code = codes.find((value) => value !== 0) ?? 0;
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
