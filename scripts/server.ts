import "./satisfy-server-only";
import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import next from "next";
import { decode } from "next-auth/jwt";
import { acquireDirectoryLock, closeDatabase, getDatabase } from "../lib/db";
import { getEnv } from "../lib/env";
import { markShuttingDown, setExpectedMigrations } from "../lib/health";
import { flushApiLog } from "../lib/hubby/api-log";
import { stopForwarding } from "../lib/forwarding/delivery";
import { stopJobs } from "../lib/jobs/jobs";
import { errorFields, log } from "../lib/log";
import { readMigrationFiles } from "../lib/migrations";
const REQUEST_ID_HEADER = "x-request-id";
import { createConsoleServer } from "../lib/server/http-server";
import { handleWebhookRequest, isWebhookRequest, WEBHOOK_PATH } from "../lib/webhooks/node-handler";
import { settleProjections } from "../lib/webhooks/projector";
import { prepareDatabase, printBootstrapReport } from "./prepare-database";

/**
 * The console's HTTP server, run by scripts/run-server.ts (`npm run dev` / `npm start`) in its own process once the
 * environment is valid (and the built-in sandbox started, when no Hubby is configured): it migrates and bootstraps
 * staff itself, then serves on one port. One process, one PGlite, one Prisma client
 * (docs/decisions/0059-memory-footprint.md, 0069-one-process-start.md).
 * `POST /api/webhooks/hubby` is answered by a plain node:http handler (lib/webhooks/node-handler.ts) before Next.js
 * sees the request; everything else goes to Next.js.
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

/** The request id proxy.ts and the Hubby client carry on: the caller's when well-formed, else a fresh one. */
function assignRequestId(request: http.IncomingMessage): string {
  const given = request.headers[REQUEST_ID_HEADER];
  const valid = typeof given === "string" && /^[A-Za-z0-9-]{8,64}$/.test(given) ? given : undefined;
  const requestId = valid ?? crypto.randomUUID();
  request.headers[REQUEST_ID_HEADER] = requestId;
  return requestId;
}

/** The signed-in staff member's id for the request log, read from the session cookie; undefined when none. */
async function staffIdOf(request: http.IncomingMessage, secret: string | undefined): Promise<string | undefined> {
  const cookieHeader = request.headers.cookie;
  if (!secret || !cookieHeader || !cookieHeader.includes("next-auth.session-token")) return undefined;
  const token = cookieHeader
    .split(";")
    .map((part) => part.trim())
    .find((part) => part.startsWith("next-auth.session-token=") || part.startsWith("__Secure-next-auth.session-token="))
    ?.split("=")[1];
  if (!token) return undefined;
  try {
    const decoded = await decode({ token, secret });
    return typeof decoded?.sub === "string" ? decoded.sub : undefined;
  } catch {
    return undefined;
  }
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
  // tsx switched Node's source-map support on to load this file. Left on, Node reads and keeps the source map of
  // every chunk Next.js loads, sources included: about 60 MB of heap after a warm-up. A production start turns it
  // off, so its stack traces point into .next/server as under `next start`; development keeps them (decision 0059).
  if (!options.dev) process.setSourceMapsEnabled(false);
  const logger = log("server");
  if (!getEnv().DATABASE_URL) createPgliteDirectoryAside(getEnv().PGLITE_DATA_DIR);
  printBootstrapReport(await prepareDatabase({ bootstrap: true, close: false }));
  await getDatabase().sql.query("SELECT 1");
  setExpectedMigrations(readMigrationFiles().map((file) => file.name));

  const env = getEnv();
  let stopping = false;
  const inFlight = new Set<http.ServerResponse>();
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
      const started = performance.now();
      const requestId = assignRequestId(request);
      response.setHeader(REQUEST_ID_HEADER, requestId);
      // While stopping, every answer closes its connection: a kept-alive socket would hold the stop up.
      if (stopping) response.setHeader("connection", "close");
      const failed = (error: unknown) => {
        logger.error({ requestId, method: request.method, route: routeOf(request), ...errorFields(error) }, "failed");
        if (!response.headersSent) response.writeHead(500, { "content-type": "text/plain" });
        response.end("Internal Server Error");
      };
      if (isWebhookRequest(request)) {
        // Hubby's deliveries skip the per-response bookkeeping below (a "close" listener and the in-flight set, kept
        // for the stop's log line): it was about a tenth of the intake's cost under a burst (docs/decisions/0073).
        // The request is logged as any other once answered; the stop still waits for it through httpServer.close().
        handleWebhookRequest(request, response).then(
          // Logged when the handler returns: the answer is ended then, though perhaps not yet flushed to the socket.
          () => logRequest(request, response, requestId, started, !response.writableEnded),
          failed,
        );
        return;
      }
      inFlight.add(response);
      response.once("close", () => {
        inFlight.delete(response);
        void logRequest(request, response, requestId, started, !response.writableFinished);
      });
      nextJs.handle!(request, response).catch(failed);
    },
  );

  /**
   * One line per request: id, method, route (path without the query, which may carry tokens), status, latency, and
   * `aborted` when the answer never went out whole.
   */
  async function logRequest(
    request: http.IncomingMessage,
    response: http.ServerResponse,
    requestId: string,
    started: number,
    aborted: boolean,
  ) {
    const route = routeOf(request);
    // A webhook Hubby delivered and the console stored is counted by console_webhook_intakes_total and kept in the
    // inbox; a line each would be most of the log (and of the intake's cost) under a burst. Refusals stay at info.
    const quiet =
      route.startsWith("/_next/") ||
      route.startsWith("/api/health") ||
      (route === WEBHOOK_PATH && response.statusCode === 200);
    if (!logger.isLevelEnabled(quiet ? "debug" : "info")) return;
    const staffId = await staffIdOf(request, env.NEXTAUTH_SECRET);
    logger[quiet ? "debug" : "info"](
      {
        requestId,
        method: request.method,
        route,
        status: response.statusCode,
        latencyMs: Math.round((performance.now() - started) * 10) / 10,
        ...(staffId ? { staffId } : {}),
        ...(aborted ? { aborted: true } : {}),
      },
      "request",
    );
  }

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
    logger.fatal(
      { code: error.code },
      error.code === "EADDRINUSE"
        ? `Port ${options.port} is in use: another console is running. Stop it, or set PORT.`
        : `Could not start the server: ${error.message}`,
    );
    process.exit(1);
  });
  httpServer.listen(options.port, options.hostname, () => {
    const shown = !options.hostname || options.hostname === "0.0.0.0" ? "localhost" : options.hostname;
    logger.info(
      { port: options.port, mode: options.dev ? "development" : "production" },
      `Console ready on http://${shown}:${options.port} (${options.dev ? "development" : "production"})`,
    );
  });

  /**
   * A graceful stop, bounded by SHUTDOWN_TIMEOUT_SECONDS: answer not-ready at once (balancers route elsewhere),
   * keep serving for SHUTDOWN_DELAY_SECONDS, stop accepting connections, let requests and webhook intakes in
   * flight finish (an acknowledged webhook is committed before its 200), hand running jobs back, flush the API
   * log, checkpoint and close the database, exit.
   */
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    markShuttingDown();
    const deadline = Date.now() + env.SHUTDOWN_TIMEOUT_SECONDS * 1000;
    const remainingMs = () => Math.max(1_000, deadline - Date.now());
    logger.info({ signal, inFlight: inFlight.size }, "stopping: not ready from now on");
    if (env.SHUTDOWN_DELAY_SECONDS > 0) await sleep(env.SHUTDOWN_DELAY_SECONDS * 1000);
    const closed = new Promise<boolean>((resolve) => httpServer.close(() => resolve(true)));
    // A socket kept alive between requests would keep close() waiting; ones that go idle later are closed too.
    httpServer.closeIdleConnections();
    const idleCloser = setInterval(() => httpServer.closeIdleConnections(), 100);
    const finished = await Promise.race([closed, sleep(remainingMs()).then(() => false)]);
    clearInterval(idleCloser);
    if (!finished) {
      logger.warn({ inFlight: inFlight.size }, "requests still running at the shutdown deadline: closing them");
      httpServer.closeAllConnections();
    }
    await app.close().catch(() => undefined);
    // Projections deferred under a burst are written before the database closes; what the deadline cuts off stays
    // pending for the next start's sweep.
    await Promise.race([settleProjections(), sleep(remainingMs())]).catch((error: unknown) =>
      logger.error(errorFields(error), "deferred projections could not be written"),
    );
    // Forwarding attempts under way are recorded before the database closes; nothing new is taken.
    await stopForwarding().catch((error: unknown) => logger.error(errorFields(error), "forwarding stop failed"));
    // Running jobs finish, or are handed back to be tried again (here after a restart, or on another instance).
    await stopJobs(remainingMs()).catch((error: unknown) => logger.error(errorFields(error), "job system stop failed"));
    await flushApiLog().catch(() => undefined);
    // PGlite runs with fsync off: a checkpoint writes everything to its files before they are closed.
    if (getDatabase().kind === "pglite")
      await getDatabase()
        .sql.exec("CHECKPOINT")
        .catch(() => undefined);
    await closeDatabase().catch(() => undefined);
    logger.info({ signal }, "stopped");
    process.exit(signal === "SIGINT" ? 130 : 143);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

/**
 * Creates a new PGlite data directory in a throwaway process. PGlite runs initdb inside the process that creates a
 * directory and that process keeps most of the memory initdb used (about 500 MB) for as long as it lives; opening an
 * existing directory costs a fraction of it (decision 0059). The directory lock is held meanwhile, so a second
 * console started on the same new directory is refused as usual.
 */
function createPgliteDirectoryAside(dataDir: string) {
  if (dataDir.startsWith("memory://") || fs.existsSync(path.join(dataDir, "PG_VERSION"))) return;
  const release = acquireDirectoryLock(dataDir);
  try {
    fs.mkdirSync(dataDir, { recursive: true });
    const pglite = JSON.stringify(require.resolve("@electric-sql/pglite"));
    const script = `require(${pglite}).PGlite.create(process.argv[1]).then((db) => db.close())`;
    execFileSync(process.execPath, ["-e", script, path.resolve(dataDir)], { stdio: "inherit" });
  } finally {
    release();
  }
}

function routeOf(request: http.IncomingMessage): string {
  const url = request.url ?? "/";
  const query = url.indexOf("?");
  return (query >= 0 ? url.slice(0, query) : url).slice(0, 200);
}

function sleep(ms: number) {
  return new Promise<void>((resolve) => setTimeout(resolve, ms).unref());
}

main().catch((error: unknown) => {
  log("server").fatal(errorFields(error), "could not start");
  process.exit(1);
});
