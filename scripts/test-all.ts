import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

// `npm test`: unit + integration (Vitest, in-memory PGlite, or PostgreSQL when TEST_DATABASE_URL is set), with the
// integration files that read Hubby's replies run a second time against a sandbox answering with documented shapes
// only (the `integration-documented` project), then the Playwright journeys in Chromium against a freshly built
// server; one summary at the end.

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

function run(label: string, command: string, args: string[], reportFile: string) {
  console.log(`\n━━ ${label} ━━`);
  const result = spawnSync(command, args, { stdio: "inherit", env: process.env });
  return { label, status: result.status ?? 1, counts: readCounts(reportFile) };
}

const vitest = path.join(process.cwd(), "node_modules", "vitest", "vitest.mjs");
const jsonArgs = (file: string) => ["--reporter=default", "--reporter=json", `--outputFile.json=${file}`];
const fastReport = path.join(tmp, "unit-integration.json");
const e2eReport = path.join(tmp, "e2e.json");
const database = process.env.TEST_DATABASE_URL ? "PostgreSQL" : "in-memory PGlite";

const results = [
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
    path.join(process.cwd(), "node_modules", ".bin", "tsx"),
    ["--conditions=react-server", "scripts/test-e2e.ts", ...jsonArgs(e2eReport)],
    e2eReport,
  ),
];

console.log("\n━━ Summary ━━");
const total: Counts = { passed: 0, failed: 0, skipped: 0 };
for (const result of results) {
  const c = result.counts;
  const state = result.status === 0 ? "ok" : "FAILED";
  console.log(
    `${result.label}: ${c ? `${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped` : "no report"} (${state})`,
  );
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
process.exit(results.every((r) => r.status === 0) ? 0 : 1);
