import "server-only";
import { db } from "./db";
import { appVersion } from "./env";
import { jobSystemStatus } from "./jobs/jobs";
import { errorFields, log } from "./log";

/**
 * The instance's health, three ways:
 * - GET /api/health (kept for existing probes and the sandbox's start-up wait): "ok" when the database answers and
 *   this instance's job system runs; "degraded" (still 200) when the job system does not run; "unavailable" (503)
 *   when the database does not answer.
 * - GET /api/health/live: the process answers HTTP. A liveness probe that fails gets the container restarted, so
 *   it depends on nothing outside the process (a database outage must not restart every replica).
 * - GET /api/health/ready: this instance should get traffic: it is not shutting down, the database answers, every
 *   migration of this build is applied, and the job system runs. 503 otherwise, with the reasons.
 */

const globalForHealth = globalThis as typeof globalThis & { __consoleDraining?: boolean };

/** Called on SIGTERM (scripts/server.ts): from now on /api/health/ready answers 503 so balancers stop sending. */
export function markShuttingDown() {
  globalForHealth.__consoleDraining = true;
}

export function isShuttingDown(): boolean {
  return globalForHealth.__consoleDraining === true;
}

function withTimeout<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    work,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("timed out")), timeoutMs);
    }),
  ]).finally(() => clearTimeout(timer));
}

export async function checkHealth(timeoutMs = 3_000) {
  const started = Date.now();
  let database: { reachable: boolean; latencyMs?: number; error?: string };
  try {
    await withTimeout(db().$queryRaw`SELECT 1`, timeoutMs);
    database = { reachable: true, latencyMs: Date.now() - started };
  } catch (error) {
    log("health").error(errorFields(error), "database check failed");
    database = { reachable: false, error: "database unreachable" };
  }
  const jobs = { running: jobSystemStatus().running };
  const status = !database.reachable ? "unavailable" : jobs.running ? "ok" : "degraded";
  return { status, version: appVersion, database, jobs } as const;
}

const globalForMigrations = globalThis as typeof globalThis & { __consoleExpectedMigrations?: string[] };

/**
 * The migrations this build ships, set by scripts/server.ts at start (it reads prisma/migrations); kept on
 * globalThis so the Next.js bundle never reads the migrations folder itself.
 */
export function setExpectedMigrations(names: string[]) {
  globalForMigrations.__consoleExpectedMigrations = names;
}

export type Readiness = { ready: boolean; version: string; reasons: string[] };

export async function checkReadiness(timeoutMs = 3_000): Promise<Readiness> {
  // Stopping is answered at once, without the database: balancers must see it while the instance still serves.
  if (isShuttingDown()) return { ready: false, version: appVersion, reasons: ["shutting down"] };
  const reasons: string[] = [];
  try {
    const expected = globalForMigrations.__consoleExpectedMigrations ?? [];
    if (!globalForMigrations.__consoleExpectedMigrations)
      reasons.push("migrations not known (not started by npm start)");
    const applied = await withTimeout(
      db().$queryRawUnsafe<{ name: string }[]>(`SELECT name FROM "_console_migrations"`),
      timeoutMs,
    );
    const appliedNames = new Set(applied.map((row) => row.name));
    const pending = expected.filter((name) => !appliedNames.has(name));
    if (pending.length) reasons.push(`${pending.length} migration(s) not applied`);
  } catch (error) {
    log("health").error(errorFields(error), "readiness: database check failed");
    reasons.push("database unreachable");
  }
  if (!jobSystemStatus().running) reasons.push("job system not running");
  return { ready: reasons.length === 0, version: appVersion, reasons };
}
