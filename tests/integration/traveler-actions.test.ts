import { describe, expect, it } from "vitest";
import {
  checkDeviceAction,
  openWebViewAction,
  redeemPackageAction,
} from "@/app/(console)/travelers/[externalUserId]/actions";
import { db } from "@/lib/db";
import { form, signInAs } from "../support/factories";
import { withConsoleSandbox } from "../support/sandbox";

// The traveler page's actions against the sandbox: redeem, the traveler's WebView link, the device check.
const harness = withConsoleSandbox({
  setup: async (client) => {
    await client.createBooking({
      departure_date: new Date(Date.now() + 3 * 86_400_000).toISOString(),
      package_specifications: [{ external_user_id: "action_user", destination: "IT", size: "3GB" }],
    });
  },
});

describe("traveler actions", () => {
  it("support redeems a queued package once; a second try is refused with Hubby's reason; both audited", async () => {
    await signInAs("support");
    const queueId = harness.sandbox.world.travelers.action_user!.package_queues[0]!.id;
    const input = form({ externalUserId: "action_user", packageQueueId: queueId });
    expect(await redeemPackageAction(null, input)).toEqual({
      ok: true,
      data: { message: "Package queue redeemed successfully" },
    });
    const again = await redeemPackageAction(null, input);
    expect(again).toMatchObject({ ok: false, message: expect.stringContaining("already redeemed") });
    const audits = await db().auditEntry.findMany({
      where: { action: "travelers.redeem", externalUserId: "action_user" },
    });
    expect(audits.map((entry) => entry.result).sort()).toEqual(["error", "ok"]);
    // One entry per attempt: the refusal is not audited a second time without the traveler.
    expect(await db().auditEntry.count({ where: { action: "travelers.redeem" } })).toBe(2);
  });

  it("creates a single-use WebView link valid five minutes", async () => {
    await signInAs("support");
    const result = await openWebViewAction(null, form({ externalUserId: "action_user" }));
    if (!result.ok) throw new Error(result.message);
    expect(result.data.url).toMatch(new RegExp(`^${harness.sandbox.url}/webview\\?t=[0-9a-f-]{36}$`));
    expect(Date.parse(result.data.expiresAt) - Date.now()).toBeGreaterThan(290_000);
    expect((await fetch(result.data.url)).status).toBe(200);
    expect((await fetch(result.data.url)).status).toBe(401);
    expect(await db().auditEntry.count({ where: { action: "travelers.open_webview" } })).toBe(1);
  });

  it("checks a device against Hubby's list", async () => {
    await signInAs("campaign_manager");
    expect(
      await checkDeviceAction(
        null,
        form({ externalUserId: "action_user", phoneBrand: "Samsung", phoneModel: "Galaxy S24" }),
      ),
    ).toMatchObject({
      ok: true,
      data: { compatible: true },
    });
    expect(
      await checkDeviceAction(
        null,
        form({ externalUserId: "action_user", phoneBrand: "Apple", phoneModel: "iPhone 8" }),
      ),
    ).toMatchObject({
      ok: true,
      data: { compatible: false },
    });
    const empty = await checkDeviceAction(
      null,
      form({ externalUserId: "action_user", phoneBrand: "", phoneModel: "" }),
    );
    expect(empty).toMatchObject({ ok: false, fieldErrors: { phoneBrand: ["Enter the brand."] } });
  });
});
