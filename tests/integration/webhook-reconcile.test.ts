import { describe, expect, it } from "vitest";
import { reconcileAction } from "@/app/(console)/webhooks/actions";
import { db } from "@/lib/db";
import { SANDBOX_CREDENTIALS } from "@/lib/env";
import { latestReconciliation, travelersWithActivePackages } from "@/lib/webhooks/reconcile";
import { form, signInAs } from "../support/factories";
import { withConsoleSandbox } from "../support/sandbox";

// "Refresh from Hubby" against the sandbox: events the console never received are recovered from the dashboard.
const DAY = 86_400_000;

const harness = withConsoleSandbox({ webhookStatus: () => 500 }); // every webhook is lost

async function waitForRun() {
  for (let attempt = 0; attempt < 100; attempt++) {
    const run = await latestReconciliation();
    if (run && run.status !== "running") return run;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("the run did not finish");
}

describe("reconciliation", () => {
  it("recovers a traveler's eSIM and usage that no webhook delivered, and records the changes", async () => {
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
    expect(run!.changes.map((change) => change.field)).toEqual(
      expect.arrayContaining(["iccid", "esimState", "usagePercent"]),
    );
    const stored = await db().traveler.findUniqueOrThrow({ where: { externalUserId: "lost_user" } });
    expect(stored).toMatchObject({ esimState: "installed", iccid: traveler.esim!.iccid });
    const pkg = await db().travelerPackage.findFirstOrThrow({ where: { externalUserId: "lost_user" } });
    expect(pkg.usagePercent).toBeGreaterThanOrEqual(50);

    expect(await travelersWithActivePackages()).toEqual(["lost_user"]);
    const all = await reconcileAction(null, form({}));
    expect(all.ok).toBe(true);
    expect(await waitForRun()).toMatchObject({ scope: "all_active", status: "done", total: 1, failed: 0 });
    expect(await db().auditEntry.count({ where: { action: "webhooks.reconcile", result: "ok" } })).toBe(2);
  });

  it("is for admins only", async () => {
    await signInAs("support");
    expect(await reconcileAction(null, form({}))).toMatchObject({ ok: false });
  });
});
