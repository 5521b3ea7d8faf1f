import "./malloc-arenas";
import "./satisfy-server-only";
import { usesBuiltInSandbox, type Env } from "../lib/env";
import { ensureDevAuthSecret, fail, loadProjectEnv, validateEnvOrExit } from "./lib";

// `npm run dev` / `npm start`: validate the environment, start the built-in sandbox if no Hubby is configured, then
// run the console's server (scripts/server.ts: migrations, staff bootstrap, the webhook receiver and Next.js) in this
// same process. One process, not a supervising parent and a child: each Node process of the group is resident on
// its own (docs/decisions/0069-one-process-start.md). Next.js must not run under the `react-server` condition, so
// neither does this script; `server-only` is satisfied by scripts/satisfy-server-only.ts, imported first.
const mode = process.argv[2] === "start" ? "start" : "dev";
const serverArgs = process.argv.slice(3);

async function main() {
  if (underReactServerCondition()) {
    return fail(
      "scripts/run-server.ts runs without --conditions=react-server (Next.js renders with plain React): " +
        "start it with `npm start`, `npm run dev` or `node --import tsx scripts/run-server.ts start|dev`.",
    );
  }
  if (mode === "start") (process.env as Record<string, string>).NODE_ENV = "production";
  if (mode === "dev") ensureDevAuthSecret();
  // `-p` wins over PORT, so the sandbox delivers webhooks to the port the console really listens on.
  const port = portArgument(serverArgs);
  if (port !== undefined) (process.env as Record<string, string>).PORT = String(port);
  loadProjectEnv(mode === "dev");
  const env = validateEnvOrExit();
  // This network reaches no telemetry host; do not try.
  (process.env as Record<string, string>).NEXT_TELEMETRY_DISABLED = "1";
  const sandbox = usesBuiltInSandbox(env) ? await startBuiltInSandbox(env) : undefined;
  if (sandbox) void resumeDeliveriesWhenConsoleAnswers(sandbox, env.PORT);
  // The server reads `dev|start [-p PORT] [-H HOST]` from process.argv, as this script was given it, and stops the
  // process itself (SIGINT, SIGTERM, a failed start); the sandbox stops with it.
  await import("./server");
}

/** True when this process resolves packages under the `react-server` condition (an old command line). */
function underReactServerCondition(): boolean {
  const options = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? "").split(/\s+/)];
  return options.some((option, index) =>
    /^(--conditions|-C)=react-server$/.test(option)
      ? true
      : (option === "--conditions" || option === "-C") && options[index + 1] === "react-server",
  );
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
