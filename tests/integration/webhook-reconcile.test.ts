import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reconcileAction } from "@/app/(console)/webhooks/actions";
import { db } from "@/lib/db";
import { SANDBOX_CREDENTIALS } from "@/lib/env";
import { startJobs, stopJobs } from "@/lib/jobs/jobs";
import {
  latestReconciliation,
  refreshTraveler,
  registerReconciliationJobs,
  travelersWithActivePackages,
  workReconciliationRun,
} from "@/lib/webhooks/reconcile";
import type { HubbyClient } from "@/lib/hubby/client";
import { form, signInAs } from "../support/factories";
import { testJobSchema } from "../support/jobs";
import { withConsoleSandbox } from "../support/sandbox";

// "Refresh from Hubby" against the sandbox: events the console never received are recovered from the dashboard.
const DAY = 86_400_000;

const harness = withConsoleSandbox({ webhookStatus: () => 500 }); // every webhook is lost

// Runs are worked by the "traveler-refresh-run" job.
beforeAll(async () => {
  registerReconciliationJobs();
  await startJobs({ schema: testJobSchema(), pollingIntervalSeconds: 0.5, schedules: false });
});
afterAll(() => stopJobs(1_000));

async function waitForRun() {
  for (let attempt = 0; attempt < 100; attempt++) {
    const run = await latestReconciliation();
    if (run && run.status !== "running") return run;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("the run did not finish");
}

describe("reconciliation", () => {
  it("recovers what the dashboard says that no webhook delivered (the eSIM; the sandbox's usage), recording it", async () => {
    const { HubbyClient } = await import("@/lib/hubby/client");
    const client = new HubbyClient({ baseUrl: `${harness.sandbox.url}/api`, ...SANDBOX_CREDENTIALS });
    const departure = new Date(harness.sandbox.clock.now() + DAY).toISOString();
    await client.createBooking({
      departure_date: departure,
      package_specifications: [{ external_user_id: "lost_user", destination: "GR", size: "1GB" }],
    });
    const traveler = harness.sandbox.world.travelers.lost_user!;
    traveler.behaviour = {
      ...traveler.behaviour,
      willInstall: true,
      dailyUsageShare: 0.3,
      tripDays: 10,
      autoRedeem: true,
      removesEsimAfterHours: null,
      inAppPurchaseAfterDays: null,
    };
    traveler.esim!.install_due_at = harness.sandbox.clock.now() + 3_600_000;
    await harness.sandbox.advanceBy(3 * DAY);

    await signInAs("admin");
    const single = await reconcileAction(null, form({ externalUserId: "lost_user" }));
    expect(single.ok).toBe(true);
    const run = await latestReconciliation("lost_user");
    expect(run).toMatchObject({ status: "done", total: 1, done: 1, changed: 1, failed: 0 });
    const fields = run!.changes.map((change) => change.field);
    expect(fields).toEqual(expect.arrayContaining(["iccid", "esimState"]));
    const stored = await db().traveler.findUniqueOrThrow({ where: { externalUserId: "lost_user" } });
    expect(stored).toMatchObject({ esimState: "installed", iccid: traveler.esim!.iccid });

    const all = () => reconcileAction(null, form({}));
    if (harness.sandbox.options.shapes === "documented") {
      // Hubby's documented dashboard names no package (no id, no bytes used): the eSIM is recovered, packages and
      // usage are not, so no traveler counts as having an active package.
      expect(fields).not.toContain("usagePercent");
      expect(await db().travelerPackage.count({ where: { externalUserId: "lost_user" } })).toBe(0);
      expect(await travelersWithActivePackages()).toEqual([]);
      expect((await all()).ok).toBe(true);
      expect(await waitForRun()).toMatchObject({ scope: "all_active", status: "done", total: 0, failed: 0 });
    } else {
      expect(fields).toContain("usagePercent");
      const pkg = await db().travelerPackage.findFirstOrThrow({ where: { externalUserId: "lost_user" } });
      expect(pkg.usagePercent).toBeGreaterThanOrEqual(50);
      expect(await travelersWithActivePackages()).toEqual(["lost_user"]);
      expect((await all()).ok).toBe(true);
      expect(await waitForRun()).toMatchObject({ scope: "all_active", status: "done", total: 1, failed: 0 });
    }
    expect(await db().auditEntry.count({ where: { action: "webhooks.reconcile", result: "ok" } })).toBe(2);
  });

  it("a run resumed after a crash reads only the travelers it had not read yet", async () => {
    // As a crash leaves it: one traveler read and recorded, two not.
    const run = await db().reconciliationRun.create({
      data: {
        status: "running",
        scope: "all_active",
        total: 3,
        done: 1,
        targets: {
          create: [
            { externalUserId: "read_before", doneAt: new Date() },
            { externalUserId: "b" },
            { externalUserId: "c" },
          ],
        },
      },
    });
    const asked: string[] = [];
    const hubby = {
      getUserDashboard: async (externalUserId: string) => {
        asked.push(externalUserId);
        throw new Error("Hubby answered 503");
      },
    } as unknown as HubbyClient;
    await workReconciliationRun(run.id, hubby);
    expect(asked.sort()).toEqual(["b", "c"]);
    const after = await db().reconciliationRun.findUniqueOrThrow({ where: { id: run.id } });
    expect(after).toMatchObject({ status: "done", done: 3, failed: 2 });
    expect(after.error).toContain("b: Hubby answered 503");
    expect(await db().reconciliationTarget.count({ where: { runId: run.id, doneAt: null } })).toBe(0);
  });

  it("is for admins only", async () => {
    await signInAs("support");
    expect(await reconcileAction(null, form({}))).toMatchObject({ ok: false });
  });

  it("keeps the time an eSIM was first seen installed when a refresh only confirms it (the list's Installed date)", async () => {
    const installedAt = new Date("2026-03-01T08:00:00Z");
    const removedAt = new Date("2026-03-02T09:00:00Z");
    await db().traveler.createMany({
      data: [
        {
          externalUserId: "kept_install",
          iccid: "8900000000000000001",
          esimState: "installed",
          esimStateAt: installedAt,
        },
        { externalUserId: "reinstalled", iccid: "8900000000000000002", esimState: "removed", esimStateAt: removedAt },
      ].map((row) => ({ ...row, firstSeenAt: installedAt, lastSeenAt: removedAt })),
    });
    const dashboard = (externalUserId: string, iccid: string) => ({
      user: { external_user_id: externalUserId, has_universal_esim: false },
      package_queues: [],
      current_esim: { iccid, status: "INSTALLED" },
      current_esim_packages: [],
    });
    const hubby = {
      getUserDashboard: async (externalUserId: string) =>
        externalUserId === "kept_install"
          ? dashboard("kept_install", "8900000000000000001")
          : dashboard("reinstalled", "8900000000000000002"),
    } as unknown as HubbyClient;

    const before = Date.now();
    await refreshTraveler(hubby, "kept_install");
    await refreshTraveler(hubby, "reinstalled");
    const kept = await db().traveler.findUniqueOrThrow({ where: { externalUserId: "kept_install" } });
    expect(kept).toMatchObject({ esimState: "installed", esimStateAt: installedAt });
    expect(kept.lastSeenAt.getTime()).toBeGreaterThanOrEqual(before);
    // A state the dashboard changes is news: it carries the time of the read.
    const changed = await db().traveler.findUniqueOrThrow({ where: { externalUserId: "reinstalled" } });
    expect(changed.esimState).toBe("installed");
    expect(changed.esimStateAt!.getTime()).toBeGreaterThanOrEqual(before);
  });
});
