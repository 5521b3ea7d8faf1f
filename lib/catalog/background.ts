import "server-only";
import { audit } from "../audit/audit";
import { hubbyFor } from "../hubby";
import type { HubbyClient } from "../hubby/client";
import { catalogAsOf, refreshCatalog } from "./catalog";

/**
 * Keeps the cached catalog from being empty or old without anyone pressing Refresh: at server start (instrumentation
 * .ts) and then every hour, the catalog is re-read from Hubby in the background when it was never read or is older
 * than a day. Pages show "being read from Hubby" meanwhile instead of "as of never". Nothing waits on it, so a
 * Hubby that is down never delays the start; the failure is shown and audited, and Refresh still works.
 */

export const CATALOG_MAX_AGE_MS = 24 * 3_600_000;
const CHECK_EVERY_MS = 3_600_000;

type CatalogHubby = Pick<HubbyClient, "listDestinations" | "getDestination">;

export type CatalogRefreshOutcome =
  | { outcome: "fresh"; asOf: Date }
  | { outcome: "refreshed"; destinations: number; bundles: number }
  | { outcome: "failed"; message: string };

type RefreshState = {
  running: Promise<CatalogRefreshOutcome> | null;
  startedAt: Date | null;
  lastFailure: { at: Date; message: string } | null;
  timer: NodeJS.Timeout | null;
};

// On globalThis: instrumentation.ts and the pages are bundled separately but run in one process, and both must see
// the same refresh.
const globalForRefresh = globalThis as typeof globalThis & { __consoleCatalogRefresh?: RefreshState };

function refreshState(): RefreshState {
  globalForRefresh.__consoleCatalogRefresh ??= { running: null, startedAt: null, lastFailure: null, timer: null };
  return globalForRefresh.__consoleCatalogRefresh;
}

/** Never read, or read longer ago than `maxAgeMs`. */
export function isCatalogStale(asOf: Date | null, now: Date, maxAgeMs: number = CATALOG_MAX_AGE_MS): boolean {
  return asOf === null || now.getTime() - asOf.getTime() >= maxAgeMs;
}

async function runRefresh(hubby: CatalogHubby | undefined): Promise<CatalogRefreshOutcome> {
  try {
    const counts = await refreshCatalog(hubby ?? (await hubbyFor(null)).withContext({ background: true }));
    await audit({ action: "catalog.refresh", result: "ok", details: { ...counts, trigger: "background" } });
    return { outcome: "refreshed", ...counts };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await audit({ action: "catalog.refresh", result: "error", details: { message, trigger: "background" } });
    return { outcome: "failed", message };
  }
}

/**
 * Re-reads the catalog when it is stale; a call while one refresh runs joins it. Never throws: a failure is the
 * outcome (and is shown on the catalog and booking screens until a refresh succeeds).
 */
export async function refreshCatalogWhenStale(
  options: { hubby?: CatalogHubby; now?: Date; maxAgeMs?: number } = {},
): Promise<CatalogRefreshOutcome> {
  const state = refreshState();
  if (state.running) return state.running;
  const asOf = await catalogAsOf();
  if (!isCatalogStale(asOf, options.now ?? new Date(), options.maxAgeMs)) return { outcome: "fresh", asOf: asOf! };
  if (state.running) return state.running;
  state.startedAt = new Date();
  state.running = runRefresh(options.hubby).then((outcome) => {
    state.lastFailure = outcome.outcome === "failed" ? { at: new Date(), message: outcome.message } : null;
    state.running = null;
    return outcome;
  });
  return state.running;
}

/** Started once per process from instrumentation.ts: a refresh now if needed, then an hourly check. */
export function keepCatalogFresh(log: (line: string) => void = console.log): void {
  const state = refreshState();
  const check = () =>
    void refreshCatalogWhenStale().then((result) => {
      if (result.outcome === "refreshed") {
        log(`[catalog] read from Hubby: ${result.destinations} destinations, ${result.bundles} bundles`);
      } else if (result.outcome === "failed") {
        log(`[catalog] could not be read from Hubby: ${result.message}`);
      }
    });
  check();
  state.timer ??= setInterval(check, CHECK_EVERY_MS).unref();
}

export type CatalogRefreshStatus = {
  running: boolean;
  startedAt: Date | null;
  lastFailure: { at: Date; message: string } | null;
};

/** For the screens: whether a background refresh is reading Hubby now, and why the last one failed. */
export function catalogRefreshStatus(): CatalogRefreshStatus {
  const state = refreshState();
  return { running: state.running !== null, startedAt: state.startedAt, lastFailure: state.lastFailure };
}
