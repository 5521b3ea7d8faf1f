import { spawnSync } from "node:child_process";
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
// of `npm test`, then the integration suite again on PostgreSQL (VALIDATE_POSTGRES_URL, by default the local server
// at postgres://postgres@127.0.0.1:5432/test; `-- --no-postgres` leaves that layer out, and the summary says so).

type Counts = { passed: number; failed: number; skipped: number };
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "console-tests-"));

function readCounts(file: string): Counts | undefined {
  try {
    const report = JSON.parse(fs.readFileSync(file, "utf8")) as {
      numPassedTests: number;
      numFailedTests: number;
      numPendingTests: number;
      numTodoTests: number;
    };
    return {
      passed: report.numPassedTests,
      failed: report.numFailedTests,
      skipped: report.numPendingTests + report.numTodoTests,
    };
  } catch {
    return undefined;
  }
}

type Result = { label: string; status: number; counts?: Counts; note?: string };

/** One layer: a command whose exit status decides it, with its Vitest JSON report when it writes one. */
function run(label: string, command: string, args: string[], reportFile?: string, env = process.env): Result {
  console.log(`\n━━ ${label} ━━`);
  const result = spawnSync(command, args, { stdio: "inherit", env });
  return { label, status: result.status ?? 1, counts: reportFile ? readCounts(reportFile) : undefined };
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
const e2eReport = path.join(tmp, "e2e.json");
const postgresReport = path.join(tmp, "integration-postgres.json");
const database = process.env.TEST_DATABASE_URL ? "PostgreSQL" : "in-memory PGlite";

async function main(): Promise<number> {
  const results: Result[] = [];
  if (validate) {
    results.push(run("Type check (tsc --noEmit)", bin("tsc"), ["--noEmit"]));
    results.push(run("Lint (eslint .)", bin("eslint"), ["."]));
    results.push(run("Format check (prettier --check .)", bin("prettier"), ["--check", "."]));
  }
  results.push(
    run(
      `Unit and integration tests (${database}; integration also with documented shapes)`,
      process.execPath,
      [
        vitest,
        "run",
        "--project",
        "unit",
        "--project",
        "integration",
        "--project",
        "integration-documented",
        ...jsonArgs(fastReport),
      ],
      fastReport,
    ),
    run(
      "End-to-end journeys (Chromium)",
      bin("tsx"),
      ["--conditions=react-server", "scripts/test-e2e.ts", ...jsonArgs(e2eReport)],
      e2eReport,
    ),
  );
  if (withPostgres) {
    const label = `Integration tests on PostgreSQL (${new URL(postgresUrl).host})`;
    if (await postgresAnswers(postgresUrl)) {
      // Without the documented-shapes project: it would add about 1.5 minutes for the same Hubby replies.
      const env = { ...process.env, TEST_DATABASE_URL: postgresUrl };
      const vitestArgs = [vitest, "run", "--project", "integration", ...jsonArgs(postgresReport)];
      results.push(run(label, process.execPath, vitestArgs, postgresReport, env));
    } else {
      const note =
        `no PostgreSQL answers at ${postgresUrl}: start it (docs/deployment.md, "Running on PostgreSQL"), point ` +
        "VALIDATE_POSTGRES_URL at one, or leave this layer out with `npm run validate -- --no-postgres`";
      console.error(`\n━━ ${label} ━━\n${note}`);
      results.push({ label, status: 1, note });
    }
  } else if (validate) {
    results.push({ label: "Integration tests on PostgreSQL", status: 0, note: "left out (--no-postgres)" });
  }

  console.log("\n━━ Summary ━━");
  const total: Counts = { passed: 0, failed: 0, skipped: 0 };
  for (const result of results) {
    const c = result.counts;
    const state = result.status === 0 ? "ok" : "FAILED";
    const detail = c ? `${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped` : (result.note ?? "");
    console.log(`${result.label}: ${detail ? `${detail} ` : ""}(${state})`);
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
