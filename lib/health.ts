import "server-only";
import { db } from "./db";
import { appVersion } from "./env";

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
  return { status: database.reachable ? "ok" : "unavailable", version: appVersion, database } as const;
}
