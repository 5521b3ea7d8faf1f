import "./satisfy-server-only";
import http from "node:http";
import next from "next";
import { closeDatabase, getDatabase } from "../lib/db";
import { getEnv } from "../lib/env";
import { flushApiLog } from "../lib/hubby/api-log";
import { stopJobs } from "../lib/jobs/jobs";
import { createConsoleServer } from "../lib/server/http-server";
import { handleWebhookRequest, isWebhookRequest, WEBHOOK_PATH } from "../lib/webhooks/node-handler";

/**
 * The console's HTTP server, started by scripts/run-server.ts (`npm run dev` / `npm start`) after it has
 * migrated and bootstrapped: one process, one port. `POST /api/webhooks/hubby` is answered by a plain node:http
 * handler (lib/webhooks/node-handler.ts) before Next.js sees the request; everything else goes to Next.js.
 *
 * The process opens the database before Next.js loads: lib/db.ts keeps its instance on globalThis, so Next.js's
 * bundled copy of lib/db.ts finds and uses the same one (PGlite is one database per process, with one lock).
 *
 * Usage: server.ts dev|start [-p|--port PORT] [-H|--hostname HOST]
 */

type Options = { dev: boolean; port: number; hostname?: string };

function parseArguments(argv: string[]): Options {
  const [mode, ...rest] = argv;
  if (mode !== "dev" && mode !== "start") throw new Error(`Unknown mode "${mode ?? ""}": use dev or start.`);
  const options: Options = { dev: mode === "dev", port: getEnv().PORT };
  for (let index = 0; index < rest.length; index++) {
    const flag = rest[index]!;
    const value = rest[index + 1];
    if ((flag === "-p" || flag === "--port") && value && /^\d{1,5}$/.test(value) && Number(value) <= 65_535) {
      options.port = Number(value);
    } else if ((flag === "-H" || flag === "--hostname") && value) {
      options.hostname = value;
    } else {
      throw new Error(`Unsupported argument "${flag}": the console accepts -p/--port PORT and -H/--hostname HOST.`);
    }
    index += 1;
  }
  return options;
}

async function main() {
  let options: Options;
  try {
    options = parseArguments(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
  process.title = `hubby-console (${options.dev ? "dev" : "start"})`;
  await getDatabase().sql.query("SELECT 1");

  const env = getEnv();
  // Filled in once Next.js is prepared; the server listens only after that, so no request arrives before.
  const nextJs: { handle?: ReturnType<ReturnType<typeof next>["getRequestHandler"]> } = {};
  const httpServer = createConsoleServer(
    {
      trustProxy: env.TRUST_PROXY,
      publicUrl: env.NEXTAUTH_URL,
      uploadPaths: ["/api/campaigns/upload"],
      originExemptPaths: [WEBHOOK_PATH],
      ownBodyLimitPaths: ["/api/campaigns/upload", WEBHOOK_PATH],
    },
    (request: http.IncomingMessage, response: http.ServerResponse) => {
      const handled = isWebhookRequest(request)
        ? handleWebhookRequest(request, response)
        : nextJs.handle!(request, response);
      handled.catch((error: unknown) => {
        console.error(`[server] ${request.method} ${request.url} failed:`, error);
        if (!response.headersSent) response.writeHead(500, { "content-type": "text/plain" });
        response.end("Internal Server Error");
      });
    },
  );
  const app = next({
    dev: options.dev,
    dir: process.cwd(),
    hostname: options.hostname ?? "localhost",
    port: options.port,
    httpServer,
  });
  await app.prepare();
  nextJs.handle = app.getRequestHandler();
  httpServer.on("error", (error: NodeJS.ErrnoException) => {
    console.error(
      error.code === "EADDRINUSE"
        ? `Port ${options.port} is in use: another console is running. Stop it, or set PORT.`
        : `Could not start the server: ${error.message}`,
    );
    process.exit(1);
  });
  httpServer.listen(options.port, options.hostname, () => {
    const shown = !options.hostname || options.hostname === "0.0.0.0" ? "localhost" : options.hostname;
    console.log(`Console ready on http://${shown}:${options.port} (${options.dev ? "development" : "production"})`);
  });

  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    // Finish requests in flight (an acknowledged webhook is already committed) and running jobs, then close the
    // database cleanly.
    const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
    httpServer.closeIdleConnections();
    await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
    await app.close().catch(() => undefined);
    // Running jobs finish, or are handed back to be tried again (here after a restart, or on another instance).
    await stopJobs().catch((error: unknown) => console.error("[jobs] stop failed:", error));
    await flushApiLog().catch(() => undefined);
    await closeDatabase().catch(() => undefined);
    process.exit(signal === "SIGINT" ? 130 : 143);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
