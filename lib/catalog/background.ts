import "server-only";
import { audit } from "../audit/audit";
import { db } from "../db";
import { hubbyFor } from "../hubby";
import type { HubbyClient } from "../hubby/client";
import { queueIsBusy } from "../jobs/admin";
import { registerJobHandler, sendJob } from "../jobs/jobs";
import { catalogAsOf, refreshCatalog } from "./catalog";

/**
 * Keeps the cached catalog from being empty or old without anyone pressing Refresh: the "catalog-refresh" job
 * (lib/jobs/queues.ts) re-reads it from Hubby every 6 hours, and once at start when it was never read or is older
 * than a day. It is one job across all instances, tried again with backoff when Hubby fails; pages show "being
 * read from Hubby" while one waits or runs. Nothing waits on it, so a Hubby that is down never delays the start;
 * each failure is shown and audited, and Refresh still works.
 */

export const CATALOG_MAX_AGE_MS = 24 * 3_600_000;

type CatalogHubby = Pick<HubbyClient, "listDestinations" | "getDestination">;

/** Never read, or read longer ago than `maxAgeMs`. */
export function isCatalogStale(asOf: Date | null, now: Date, maxAgeMs: number = CATALOG_MAX_AGE_MS): boolean {
  return asOf === null || now.getTime() - asOf.getTime() >= maxAgeMs;
}

/**
 * One background read of the catalog, audited either way. Throws on failure, so the job is tried again later.
 * `hubby` is for tests.
 */
export async function refreshCatalogInBackground(
  trigger: "schedule" | "start",
  hubby?: CatalogHubby,
): Promise<{ destinations: number; bundles: number }> {
  try {
    const counts = await refreshCatalog(hubby ?? (await hubbyFor(null)).withContext({ background: true }));
    await audit({ action: "catalog.refresh", result: "ok", details: { ...counts, trigger } });
    console.log(`[catalog] read from Hubby: ${counts.destinations} destinations, ${counts.bundles} bundles`);
    return counts;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await audit({ action: "catalog.refresh", result: "error", details: { message, trigger } });
    console.log(`[catalog] could not be read from Hubby: ${message}`);
    throw error;
  }
}

/** Registers the catalog-refresh job's handler (instrumentation.ts, before the job system starts). */
export function registerCatalogJobs(): void {
  registerJobHandler("catalog-refresh", async ({ trigger }) => {
    // Instances starting together each queue a read of the empty catalog; the queue runs them one after the
    // other, so the later ones find it fresh and read nothing.
    if (trigger === "start" && !isCatalogStale(await catalogAsOf(), new Date())) return;
    await refreshCatalogInBackground(trigger);
  });
}

/** At start: queues a refresh when the catalog is empty or older than a day (two instances queue one). */
export async function refreshCatalogAtStartWhenStale(now = new Date()): Promise<boolean> {
  if (!isCatalogStale(await catalogAsOf(), now)) return false;
  await sendJob("catalog-refresh", { trigger: "start" });
  return true;
}

export type CatalogRefreshStatus = {
  running: boolean;
  lastFailure: { at: Date; message: string } | null;
};

/**
 * For the screens: whether a background refresh waits or reads Hubby now, and why the latest refresh failed
 * (none once a later one succeeded).
 */
export async function catalogRefreshStatus(): Promise<CatalogRefreshStatus> {
  const [running, latest] = await Promise.all([
    queueIsBusy("catalog-refresh"),
    db().auditEntry.findFirst({
      where: { action: "catalog.refresh" },
      orderBy: { id: "desc" },
      select: { at: true, result: true, details: true },
    }),
  ]);
  const details = latest?.details as { message?: unknown } | null | undefined;
  const lastFailure =
    latest && latest.result === "error"
      ? { at: latest.at, message: typeof details?.message === "string" ? details.message : "Hubby did not answer" }
      : null;
  return { running, lastFailure };
}
