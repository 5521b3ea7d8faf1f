import "server-only";
import { db } from "./db";
import { appVersion } from "./env";
import { jobSystemStatus } from "./jobs/jobs";

/**
 * What GET /api/health answers: "ok" when the database answers and this instance's job system runs; "degraded"
 * (still 200: the instance serves requests, and other instances may do the background work) when the job system
 * does not run; "unavailable" (503) when the database does not answer.
 */
export async function checkHealth(timeoutMs = 3_000) {
  const started = Date.now();
  let database: { reachable: boolean; latencyMs?: number; error?: string };
  try {
    await Promise.race([
      db().$queryRaw`SELECT 1`,
      new Promise((_, reject) => setTimeout(() => reject(new Error("timed out")), timeoutMs)),
    ]);
    database = { reachable: true, latencyMs: Date.now() - started };
  } catch (error) {
    console.error("[health] database check failed:", error);
    database = { reachable: false, error: "database unreachable" };
  }
  const jobs = { running: jobSystemStatus().running };
  const status = !database.reachable ? "unavailable" : jobs.running ? "ok" : "degraded";
  return { status, version: appVersion, database, jobs } as const;
}
