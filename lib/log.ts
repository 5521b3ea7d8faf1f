import pino, { type DestinationStream, type Logger } from "pino";
import pretty from "pino-pretty";
import { getEnv, type Env } from "./env";

/**
 * The console's one logger: pino, one JSON object per line on stdout (what log collectors read), pretty-printed
 * when NODE_ENV is development. The level comes from LOG_LEVEL; under tests it defaults to `warn`, so test output
 * stays readable.
 *
 * Nothing logs headers, bodies or credentials: callers pass the few fields a line needs (request id, route, status,
 * latency, staff id). The redaction list is a second line of defence for a field passed by mistake; the log test
 * (tests/e2e/production-start.test.ts) greps a whole journey's output for the secrets.
 *
 * On globalThis: scripts/server.ts and Next.js's bundled copy of this module run in one process and share one
 * logger (and one stdout stream).
 */

const REDACTED_KEYS = [
  "password",
  "passwordHash",
  "secret",
  "apiSecret",
  "apiKey",
  "token",
  "cookie",
  "authorization",
  "headers",
  "body",
];

const redactPaths = REDACTED_KEYS.flatMap((key) => [key, `*.${key}`]);

export function createLogger(env: Env = getEnv(), destination?: DestinationStream): Logger {
  const level = env.LOG_LEVEL ?? (env.NODE_ENV === "test" ? "warn" : "info");
  const options: pino.LoggerOptions = {
    level,
    base: { service: "hubby-console" },
    redact: { paths: redactPaths, censor: "[redacted]" },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  };
  if (destination) return pino(options, destination);
  if (env.NODE_ENV === "development") {
    return pino(
      options,
      pretty({ colorize: true, sync: true, translateTime: "SYS:HH:MM:ss.l", ignore: "pid,hostname,service" }),
    );
  }
  return pino(options, pino.destination({ dest: 1, sync: true }));
}

const globalForLog = globalThis as typeof globalThis & { __consoleLogger?: Logger };

/** The process's logger; `component` names the part of the console a line comes from (server, hubby, jobs, …). */
export function log(component?: string): Logger {
  globalForLog.__consoleLogger ??= createLogger();
  return component ? globalForLog.__consoleLogger.child({ component }) : globalForLog.__consoleLogger;
}

/** An error as a short loggable object: its name and message, never the objects it may hold. */
export function errorFields(error: unknown): { error: string } {
  if (error instanceof Error) return { error: `${error.name}: ${error.message}` };
  return { error: String(error) };
}
