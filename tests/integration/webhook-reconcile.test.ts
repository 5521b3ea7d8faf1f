import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reconcileAction } from "@/app/(console)/webhooks/actions";
import { db } from "@/lib/db";
import { SANDBOX_CREDENTIALS, resetEnvCache } from "@/lib/env";
import { resetHubbyClient } from "@/lib/hubby";
import { latestReconciliation, travelersWithActivePackages } from "@/lib/webhooks/reconcile";
import type { Sandbox } from "@/lib/sandbox/sandbox";
import { form, signInAs } from "../support/factories";
import { startReceiver, startTestSandbox } from "../support/sandbox";

// "Refresh from Hubby" against the sandbox: events the console never received are recovered from the dashboard.
let sandbox: Sandbox;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
const DAY = 86_400_000;

beforeAll(async () => {
  receiver = await startReceiver(() => 500); // every webhook is lost
  sandbox = await startTestSandbox({
    webhookUrl: receiver.url,
    credentials: { apiKey: SANDBOX_CREDENTIALS.apiKey, apiSecret: SANDBOX_CREDENTIALS.apiSecret },
  });
  process.env.HUBBY_SANDBOX_PORT = new URL(sandbox.url).port;
  resetEnvCache();
  resetHubbyClient();
});
afterAll(async () => {
  await sandbox.close();
  await receiver.close();
  delete process.env.HUBBY_SANDBOX_PORT;
  resetEnvCache();
  resetHubbyClient();
});

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
    const client = new HubbyClient({ baseUrl: `${sandbox.url}/api`, ...SANDBOX_CREDENTIALS });
    const departure = new Date(sandbox.clock.now() + DAY).toISOString();
    await client.createBooking({
      departure_date: departure,
      package_specifications: [{ external_user_id: "lost_user", destination: "GR", size: "1GB" }],
    });
    const traveler = sandbox.world.travelers.lost_user!;
    traveler.behaviour = {
      ...traveler.behaviour,
      willInstall: true,
      dailyUsageShare: 0.3,
      tripDays: 10,
      autoRedeem: true,
      removesEsimAfterHours: null,
      inAppPurchaseAfterDays: null,
    };
    traveler.esim!.install_due_at = sandbox.clock.now() + 3_600_000;
    await sandbox.advanceBy(3 * DAY);

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
