import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";

// `npm test`: unit + integration (Vitest, in-memory PGlite, or PostgreSQL when TEST_DATABASE_URL is set), with the
// integration files that read Hubby's replies run a second time against a sandbox answering with documented shapes
// only (the `integration-documented` project), then the Playwright journeys in Chromium against a freshly built
// server; one summary at the end.
//
// `npm run validate` (--validate) is what CI runs (.ci/run): type check, lint and format check first, then the layers
// of `npm test` (the documented-shapes project apart, after the PostgreSQL layer), with the integration suite again on
// PostgreSQL beside the e2e layer (VALIDATE_POSTGRES_URL, by default the local server at
// postgres://postgres@127.0.0.1:5432/test; `-- --no-postgres` leaves that layer out, and the summary says so).
// Every layer runs on the Node that runs this script: under npm, on Linux, the Node 24 that package.json pins for the
// npm scripts, the production image's (docs/decisions/0082). The summary names it.
// In --validate an e2e test that fails runs once more (E2E_RETRY=1); one that passed only then is listed as flaky in
// the summary, and one that fails twice fails the run (docs/decisions/0052-e2e-retry-once-in-ci.md).

type Counts = { passed: number; failed: number; skipped: number; flaky: string[] };
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "console-tests-"));

type JsonReport = {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  testResults?: {
    name: string;
    assertionResults: { fullName: string; status: string; failureMessages?: string[]; meta?: { attempt?: number } }[];
  }[];
};

/**
 * The tests that passed only on a retry (E2E_RETRY, decision 0052), as "file › name". Vitest 4.1's JSON report has
 * no retry count: the e2e set-up file records the attempt in the test's meta (tests/e2e/attempts.ts), and a passed
 * test also keeps the errors of its failed attempts in `failureMessages`; either marks it.
 */
function flakyTests(report: JsonReport): string[] {
  return (report.testResults ?? []).flatMap((file) =>
    file.assertionResults
      .filter((test) => test.status === "passed" && ((test.meta?.attempt ?? 1) > 1 || !!test.failureMessages?.length))
      .map((test) => `${path.relative(process.cwd(), file.name)} › ${test.fullName}`),
  );
}

function readCounts(file: string): Counts | undefined {
  try {
    const report = JSON.parse(fs.readFileSync(file, "utf8")) as JsonReport;
    return {
      passed: report.numPassedTests,
      failed: report.numFailedTests,
      skipped: report.numPendingTests + report.numTodoTests,
      flaky: flakyTests(report),
    };
  } catch {
    return undefined;
  }
}

type Result = { label: string; status: number; counts?: Counts; note?: string };

/** A child's exit status: 1 when it could not start or was killed by a signal. */
function exitStatus(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    child.on("exit", (code) => resolve(code ?? 1));
    child.on("error", () => resolve(1));
  });
}

/**
 * One layer: a command whose exit status decides it, with its Vitest JSON report when it writes one. Spawned, not
 * spawnSync'd, so that background layers (and one waiting for another to end) go on while it runs.
 */
async function run(
  label: string,
  command: string,
  args: string[],
  reportFile?: string,
  env = process.env,
): Promise<Result> {
  console.log(`\n━━ ${label} ━━`);
  const status = await exitStatus(spawn(command, args, { stdio: "inherit", env }));
  return { label, status, counts: reportFile ? readCounts(reportFile) : undefined };
}

/** A layer running in the background: `exited` settles when it ends; `result` prints its output and reports it. */
type Background = { exited: Promise<number>; result: () => Promise<Result> };

/**
 * A layer started in the background, its output kept in a file and printed whole by `result`, so it can run beside
 * a layer that prints as it goes. `reportFile` names the log; it is read as a Vitest JSON report if one was written.
 * It starts once `after` has settled: queued behind another background layer rather than beside it.
 */
function runInBackground(
  label: string,
  command: string,
  args: string[],
  reportFile: string,
  env: NodeJS.ProcessEnv,
  after?: Promise<unknown>,
): Background {
  const logFile = path.join(tmp, `${path.basename(reportFile, ".json")}.log`);
  const log = fs.openSync(logFile, "w");
  const start = () => exitStatus(spawn(command, args, { stdio: ["ignore", log, log], env }));
  const exited = after ? after.then(start) : start();
  const result = async () => {
    const status = await exited;
    fs.closeSync(log);
    console.log(`\n━━ ${label} ━━ (ran beside another layer; its output:)`);
    process.stdout.write(fs.readFileSync(logFile, "utf8"));
    return { label, status, counts: readCounts(reportFile) };
  };
  return { exited, result };
}

async function postgresAnswers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const args = process.argv.slice(2);
const validate = args.includes("--validate");
const withPostgres = validate && !args.includes("--no-postgres");
const postgresUrl = process.env.VALIDATE_POSTGRES_URL || "postgres://postgres@127.0.0.1:5432/test";
const bin = (name: string) => path.join(process.cwd(), "node_modules", ".bin", name);
const vitest = path.join(process.cwd(), "node_modules", "vitest", "vitest.mjs");
const jsonArgs = (file: string) => ["--reporter=default", "--reporter=json", `--outputFile.json=${file}`];
const fastReport = path.join(tmp, "unit-integration.json");
const documentedReport = path.join(tmp, "integration-documented.json");
const e2eReport = path.join(tmp, "e2e.json");
const postgresReport = path.join(tmp, "integration-postgres.json");
const database = process.env.TEST_DATABASE_URL ? "PostgreSQL" : "in-memory PGlite";

async function main(): Promise<number> {
  const results: Result[] = [];
  /** Whether this run's `tsc --noEmit` passed: the e2e layer's build then leaves out Next.js's own type check. */
  let typesChecked = false;
  if (validate) {
    // The type check and the lint each keep one core busy: side by side, not one after the other.
    // `next typegen` first writes .next/types (the route and page checks `next build` would type-check), so that
    // tsc covers what the build's own check does, and the e2e layer's build can leave that check out.
    const typeCheck = runInBackground(
      "Type check (next typegen, tsc --noEmit)",
      "sh",
      ["-c", `"${bin("next")}" typegen > /dev/null && "${bin("tsc")}" --noEmit`],
      path.join(tmp, "type-check.json"),
      process.env,
    );
    const lint = await run("Lint (eslint .)", bin("eslint"), ["."]);
    const typeChecked = await typeCheck.result();
    typesChecked = typeChecked.status === 0;
    results.push(typeChecked, lint);
    results.push(await run("Format check (prettier --check .)", bin("prettier"), ["--check", "."]));
  }
  // The integration suite on PostgreSQL runs beside the e2e layer: each shard of the journeys runs one file at a time
  // and waits on the browser and the server much of the time, so on a 2-core machine the two together take little
  // more than the e2e layer alone (CI time, issue 24's checklist). Its output is printed whole after the journeys'.
  let postgresLayer: Background | undefined;
  let postgresMissing: Result | undefined;
  const startPostgresLayer = async () => {
    if (!withPostgres) return;
    const label = `Integration tests on PostgreSQL (${new URL(postgresUrl).host})`;
    if (await postgresAnswers(postgresUrl)) {
      // Without the documented-shapes project: it would add about 1.5 minutes for the same Hubby replies.
      const env = { ...process.env, TEST_DATABASE_URL: postgresUrl };
      const vitestArgs = [vitest, "run", "--project", "integration", ...jsonArgs(postgresReport)];
      postgresLayer = runInBackground(label, process.execPath, vitestArgs, postgresReport, env);
    } else {
      const note =
        `no PostgreSQL answers at ${postgresUrl}: start it (docs/deployment.md, "Running on PostgreSQL"), point ` +
        "VALIDATE_POSTGRES_URL at one, or leave this layer out with `npm run validate -- --no-postgres`";
      console.error(`\n━━ ${label} ━━\n${note}`);
      postgresMissing = { label, status: 1, note };
    }
  };
  // Every test file has its own in-memory database, so files run side by side on every core: Vitest's default leaves
  // one core to itself (2 cores: one worker), which kept this layer on one core for 7–8 minutes.
  const everyCore = `--maxWorkers=${os.availableParallelism()}`;
  // In validate the documented-shapes project runs beside the journeys once the PostgreSQL layer has finished, when
  // the journeys leave a core mostly idle; in `npm test` it runs with the rest, before them.
  const documentedApart = validate;
  results.push(
    await run(
      `Unit and integration tests (${database}${documentedApart ? "" : "; integration also with documented shapes"})`,
      process.execPath,
      [
        vitest,
        "run",
        "--project",
        "unit",
        "--project",
        "integration",
        ...(documentedApart ? [] : ["--project", "integration-documented"]),
        everyCore,
        ...jsonArgs(fastReport),
      ],
      fastReport,
    ),
  );
  await startPostgresLayer();
  const documentedLayer = documentedApart
    ? runInBackground(
        `Integration tests with documented shapes (${database})`,
        process.execPath,
        // One worker: the journeys beside it are the run's longest layer, and slower on a busier machine.
        [vitest, "run", "--project", "integration-documented", "--maxWorkers=1", ...jsonArgs(documentedReport)],
        documentedReport,
        process.env,
        postgresLayer?.exited,
      )
    : undefined;
  results.push(
    await run(
      "End-to-end journeys (Chromium)",
      // node --import tsx rather than the tsx command, whose script runs on the first node on PATH: the build, the
      // consoles and the journeys' runner are then all started by this binary (they start process.execPath).
      process.execPath,
      ["--conditions=react-server", "--import", "tsx", "scripts/test-e2e.ts", ...jsonArgs(e2eReport)],
      e2eReport,
      // CI runs a failed journey once more: one browser journey failing once under load must not turn the whole run
      // red; a journey failing twice still does, and one that passed only on its retry is named below (0052).
      // Its build leaves out Next.js's type check when this run's type check passed (next.config.js).
      validate
        ? {
            ...process.env,
            E2E_RETRY: process.env.E2E_RETRY ?? "1",
            ...(typesChecked ? { CONSOLE_TYPES_CHECKED: "1" } : {}),
          }
        : process.env,
    ),
  );
  if (documentedLayer) results.push(await documentedLayer.result());
  if (postgresLayer) results.push(await postgresLayer.result());
  else if (postgresMissing) results.push(postgresMissing);
  else if (validate) {
    results.push({ label: "Integration tests on PostgreSQL", status: 0, note: "left out (--no-postgres)" });
  }

  console.log(`\n━━ Summary ━━ (every layer on Node ${process.version}, ${process.execPath})`);
  const total: Counts = { passed: 0, failed: 0, skipped: 0, flaky: [] };
  for (const result of results) {
    const c = result.counts;
    const state = result.status === 0 ? "ok" : "FAILED";
    const flaky = c?.flaky.length ? `, ${c.flaky.length} flaky` : "";
    const detail = c ? `${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped${flaky}` : (result.note ?? "");
    console.log(`${result.label}: ${detail ? `${detail} ` : ""}(${state})`);
    for (const name of c?.flaky ?? []) console.log(`  flaky (passed only on retry): ${name}`);
    if (c) {
      total.passed += c.passed;
      total.failed += c.failed;
      total.skipped += c.skipped;
    }
    // A layer that failed before reporting (e.g. the build) still counts as a failure.
    if (result.status !== 0 && (!c || c.failed === 0)) total.failed += 1;
  }
  fs.rmSync(tmp, { recursive: true, force: true });
  console.log(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
  return results.every((r) => r.status === 0) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
