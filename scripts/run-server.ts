import { spawn } from "node:child_process";
import path from "node:path";
import { ensureDevAuthSecret, fail, loadProjectEnv, validateEnvOrExit } from "./lib";
import { prepareDatabase, printBootstrapReport } from "./prepare-database";

// `npm run dev` / `npm start`: validate the environment, migrate, bootstrap staff, then hand over to Next.js.
const mode = process.argv[2] === "start" ? "start" : "dev";
const nextArgs = process.argv.slice(3);

async function main() {
  if (mode === "start") (process.env as Record<string, string>).NODE_ENV = "production";
  if (mode === "dev") ensureDevAuthSecret();
  loadProjectEnv(mode === "dev");
  validateEnvOrExit();
  const report = await prepareDatabase({ bootstrap: true });
  printBootstrapReport(report);

  const nextBin = path.join(process.cwd(), "node_modules", "next", "dist", "bin", "next");
  const child = spawn(process.execPath, [nextBin, mode, ...nextArgs], {
    stdio: "inherit",
    // This network reaches no telemetry host; do not try.
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => child.kill(signal));
  }
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

main().catch(fail);
