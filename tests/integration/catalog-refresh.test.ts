import { describe, expect, it } from "vitest";
import {
  CATALOG_MAX_AGE_MS,
  catalogRefreshStatus,
  isCatalogStale,
  refreshCatalogWhenStale,
} from "@/lib/catalog/background";
import { catalogAsOf } from "@/lib/catalog/catalog";
import { db } from "@/lib/db";
import { hubbyFor } from "@/lib/hubby";
import { withConsoleSandbox } from "../support/sandbox";

// The catalog read in the background at start (instrumentation.ts) when it is empty or older than a day.
const harness = withConsoleSandbox();

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

describe("the background catalog refresh", () => {
  it("reads an empty catalog once, even when asked twice at once, and audits it", async () => {
    expect(await catalogAsOf()).toBeNull();
    const hubby = await countingHubby();
    const [first, second] = await Promise.all([refreshCatalogWhenStale({ hubby }), refreshCatalogWhenStale({ hubby })]);
    expect(first).toEqual({ outcome: "refreshed", destinations: 44, bundles: expect.any(Number) });
    expect(second).toBe(first);
    expect(hubby.lists).toBe(1);
    expect(catalogRefreshStatus()).toMatchObject({ running: false, lastFailure: null });
    expect(await db().catalogDestination.count()).toBe(44);
    const entry = await db().auditEntry.findFirstOrThrow({ where: { action: "catalog.refresh" } });
    expect(entry).toMatchObject({ actorId: null, result: "ok", details: { trigger: "background", destinations: 44 } });
  });

  it("leaves a fresh catalog alone and re-reads one older than a day", async () => {
    const hubby = await countingHubby();
    const asOf = (await catalogAsOf())!;
    expect(await refreshCatalogWhenStale({ hubby })).toEqual({ outcome: "fresh", asOf });
    expect(hubby.lists).toBe(0);
    const tomorrow = new Date(asOf.getTime() + CATALOG_MAX_AGE_MS);
    expect(await refreshCatalogWhenStale({ hubby, now: tomorrow })).toMatchObject({ outcome: "refreshed" });
    expect(hubby.lists).toBe(1);
    expect((await catalogAsOf())!.getTime()).toBeGreaterThan(asOf.getTime());
    expect(isCatalogStale(null, new Date())).toBe(true);
  });

  it("a Hubby that fails leaves the cached catalog, says why, and is audited", async () => {
    harness.sandbox.faults.add({ kind: "status", status: 503, method: "GET", path: "/destinations", times: 10 });
    const before = await catalogAsOf();
    const result = await refreshCatalogWhenStale({ maxAgeMs: 0 });
    expect(result).toMatchObject({ outcome: "failed", message: expect.any(String) });
    expect(catalogRefreshStatus().lastFailure).toMatchObject({ message: expect.any(String) });
    expect(await catalogAsOf()).toEqual(before);
    expect(await db().auditEntry.count({ where: { action: "catalog.refresh", result: "error" } })).toBe(1);
    harness.sandbox.faults.clear();
    expect(await refreshCatalogWhenStale({ maxAgeMs: 0 })).toMatchObject({ outcome: "refreshed" });
    expect(catalogRefreshStatus().lastFailure).toBeNull();
  });
});
