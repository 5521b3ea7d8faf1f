import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CATALOG_MAX_AGE_MS,
  catalogRefreshStatus,
  isCatalogStale,
  refreshCatalogAtStartWhenStale,
  refreshCatalogInBackground,
  registerCatalogJobs,
} from "@/lib/catalog/background";
import { catalogAsOf } from "@/lib/catalog/catalog";
import { db, getDatabase } from "@/lib/db";
import { hubbyFor } from "@/lib/hubby";
import { sendJob, startJobs, stopJobs } from "@/lib/jobs/jobs";
import { eventually, testJobSchema } from "../support/jobs";
import { withConsoleSandbox } from "../support/sandbox";

// The catalog read by the "catalog-refresh" job: at start when empty or older than a day, then every 6 hours.
const harness = withConsoleSandbox();
const schema = testJobSchema();

beforeAll(async () => {
  registerCatalogJobs();
  await startJobs({ schema, pollingIntervalSeconds: 0.5, schedules: false });
});
afterAll(() => stopJobs(1_000));

/** The console's Hubby client, counting how often the destination list is read. */
async function countingHubby() {
  const hubby = await hubbyFor(null);
  const counter = {
    lists: 0,
    listDestinations: () => {
      counter.lists += 1;
      return hubby.listDestinations();
    },
    getDestination: (id: string) => hubby.getDestination(id),
  };
  return counter;
}

async function catalogJobs(state: string) {
  const rows = await getDatabase().sql.query<{ count: number }>(
    `SELECT count(*)::int AS count FROM ${schema}.job WHERE name = 'catalog-refresh' AND state = $1`,
    [state],
  );
  return rows[0]!.count;
}

describe("the background catalog refresh", () => {
  it("is queued once at start when the catalog is empty (a second start while it waits adds none), and audited", async () => {
    expect(await catalogAsOf()).toBeNull();
    expect(await refreshCatalogAtStartWhenStale()).toBe(true);
    // Another instance starting at the same moment queues nothing more: the queue keeps one waiting refresh.
    expect(await refreshCatalogAtStartWhenStale()).toBe(true);
    expect(await catalogJobs("created")).toBeLessThanOrEqual(1);
    await eventually("the catalog to be read", async () => ((await catalogAsOf()) ? true : undefined));
    // The idle worker is woken by the first send, so the second start may find it already running and queue one
    // more; that one finds the catalog fresh and reads nothing. Either way Hubby's list is read once.
    await eventually("the jobs to complete", async () =>
      (await catalogJobs("created")) + (await catalogJobs("active")) === 0 ? true : undefined,
    );
    expect(await catalogJobs("completed")).toBeGreaterThanOrEqual(1);
    expect(await db().catalogDestination.count()).toBe(44);
    const entries = await db().auditEntry.findMany({ where: { action: "catalog.refresh" } });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actorId: null, result: "ok", details: { trigger: "start", destinations: 44 } });
    expect(await catalogRefreshStatus()).toEqual({ running: false, lastFailure: null });
  });

  it("leaves a fresh catalog alone at start; one older than a day is stale; a scheduled read re-reads it", async () => {
    const asOf = (await catalogAsOf())!;
    expect(await refreshCatalogAtStartWhenStale()).toBe(false);
    expect(isCatalogStale(asOf, new Date(asOf.getTime() + CATALOG_MAX_AGE_MS))).toBe(true);
    expect(isCatalogStale(null, new Date())).toBe(true);
    // A "start" job queued by a second instance before the first read finished runs after it and reads nothing.
    const readsBefore = await db().auditEntry.count({ where: { action: "catalog.refresh" } });
    await sendJob("catalog-refresh", { trigger: "start" });
    await eventually("the second start job to complete", async () =>
      (await catalogJobs("completed")) === 2 ? true : undefined,
    );
    expect(await db().auditEntry.count({ where: { action: "catalog.refresh" } })).toBe(readsBefore);
    const hubby = await countingHubby();
    expect(await refreshCatalogInBackground("schedule", hubby)).toMatchObject({ destinations: 44 });
    expect(hubby.lists).toBe(1);
    expect((await catalogAsOf())!.getTime()).toBeGreaterThan(asOf.getTime());
  });

  it("a Hubby that fails leaves the cached catalog, says why, is audited, and throws so the job is tried again", async () => {
    harness.sandbox.faults.add({ kind: "status", status: 503, method: "GET", path: "/destinations", times: 10 });
    const before = await catalogAsOf();
    await expect(refreshCatalogInBackground("schedule")).rejects.toThrow();
    expect((await catalogRefreshStatus()).lastFailure).toMatchObject({ message: expect.any(String) });
    expect(await catalogAsOf()).toEqual(before);
    expect(await db().auditEntry.count({ where: { action: "catalog.refresh", result: "error" } })).toBe(1);
    harness.sandbox.faults.clear();
    await refreshCatalogInBackground("schedule");
    expect((await catalogRefreshStatus()).lastFailure).toBeNull();
  });
});
