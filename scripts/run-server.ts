import { spawn } from "node:child_process";
import path from "node:path";
import { usesBuiltInSandbox, type Env } from "../lib/env";
import { ensureDevAuthSecret, fail, loadProjectEnv, validateEnvOrExit } from "./lib";

// `npm run dev` / `npm start`: validate the environment, start the built-in sandbox if no Hubby is configured, then
// start the console's server (scripts/server.ts: migrations, staff bootstrap, the webhook receiver and Next.js) and
// supervise it. This process never opens the database: a PGlite or Prisma client loaded here would stay resident
// beside the console's own for as long as it runs (docs/decisions/0059-memory-footprint.md).
const mode = process.argv[2] === "start" ? "start" : "dev";
const serverArgs = process.argv.slice(3);

async function main() {
  if (mode === "start") (process.env as Record<string, string>).NODE_ENV = "production";
  if (mode === "dev") ensureDevAuthSecret();
  // `-p` wins over PORT, so the sandbox delivers webhooks to the port the console really listens on.
  const port = portArgument(serverArgs);
  if (port !== undefined) (process.env as Record<string, string>).PORT = String(port);
  loadProjectEnv(mode === "dev");
  const env = validateEnvOrExit();
  const sandbox = usesBuiltInSandbox(env) ? await startBuiltInSandbox(env) : undefined;

  // A fresh node without the react-server condition this script runs under: Next.js renders with plain React.
  // A production start caps V8's young generation at 2 × 8 MB instead of 2 × 16 MB: resident from the first busy
  // minute, traded for more frequent, shorter scavenges (decision 0059).
  const v8Flags = mode === "start" ? ["--max-semi-space-size=8"] : [];
  const child = spawn(
    process.execPath,
    [...v8Flags, "--import", "tsx", path.join(__dirname, "server.ts"), mode, ...serverArgs],
    {
      stdio: "inherit",
      // This network reaches no telemetry host; do not try.
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
    },
  );
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => child.kill(signal));
  }
  child.on("exit", async (code, signal) => {
    await sandbox?.close();
    process.exit(code ?? (signal ? 1 : 0));
  });
  if (sandbox) void resumeDeliveriesWhenConsoleAnswers(sandbox, env.PORT);
}

/** The port given as `-p`/`--port`; scripts/server.ts validates it. */
function portArgument(args: string[]): number | undefined {
  const index = args.findIndex((arg) => arg === "-p" || arg === "--port");
  const port = index >= 0 ? Number(args[index + 1]) : Number.NaN;
  return Number.isInteger(port) ? port : undefined;
}

/** The sandbox stands in for Hubby; it is imported only here, so it never enters the Next.js build. */
async function startBuiltInSandbox(env: Env) {
  const { startSandbox } = await import("../lib/hubby-sandbox/sandbox");
  const { sandboxOptionsFromEnv } = await import("../lib/hubby-sandbox/from-env");
  try {
    const sandbox = await startSandbox(sandboxOptionsFromEnv(env, { deliveriesPaused: true }));
    console.log(
      `Hubby sandbox: ${sandbox.url}/api (clock ${sandbox.clock.getSpeed()}× real time, webhooks to ${sandbox.options.webhook.url}` +
        `${sandbox.options.shapes === "documented" ? ", documented reply shapes only" : ""})`,
    );
    return sandbox;
  } catch (error) {
    const inUse = (error as NodeJS.ErrnoException).code === "EADDRINUSE";
    return fail(
      inUse
        ? `Port ${env.HUBBY_SANDBOX_PORT} is in use: another console or sandbox is running. Stop it, or set HUBBY_SANDBOX_PORT.`
        : error,
    );
  }
}

/** Webhooks (including the demo history) wait until the console answers, so none are spent on a cold start. */
async function resumeDeliveriesWhenConsoleAnswers(sandbox: { resumeDeliveries(): void }, port: number) {
  for (let attempt = 0; attempt < 600; attempt++) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/api/health`, { signal: AbortSignal.timeout(30_000) });
      if (response.ok) break;
    } catch {
      // Not up yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  sandbox.resumeDeliveries();
}

main().catch(fail);
