import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST } from "@/app/api/webhooks/hubby/route";
import { replayEventAction, replayMatchingAction } from "@/app/(console)/webhooks/actions";
import { db } from "@/lib/db";
import { resetEnvCache } from "@/lib/env";
import { listWebhookEvents, webhookHealth, webhookQuerySchema } from "@/lib/webhooks/queries";
import { replayEvent } from "@/lib/webhooks/replay";
import { sampleEvent } from "@/lib/webhooks/samples";
import { form, signInAs } from "../support/factories";
import { WEBHOOK_KEY, webhookRequest } from "../support/webhooks";

// The inbox's data functions, replay (dry run and real) and the health figures, on stored events.
const ids = { externalUserId: "inbox_user", bookingId: "booking_inbox", packageId: "pkg_inbox" };

async function deliver(body: object) {
  const response = await POST(webhookRequest(JSON.stringify(body)));
  return (await response.json()) as { id: string; status: string };
}

beforeAll(async () => {
  process.env.HUBBY_WEBHOOK_API_KEY = WEBHOOK_KEY;
  resetEnvCache();
  const now = Date.now();
  await deliver(sampleEvent("esim.installed", ids, new Date(now - 3_600_000)));
  await deliver(sampleEvent("package.activated", ids, new Date(now - 3_000_000)));
  await deliver(sampleEvent("package.usage.20_percent", ids, new Date(now - 2_000_000)));
  await deliver(
    sampleEvent("package.usage.50_percent", { ...ids, externalUserId: "other_user", packageId: "pkg_other" }),
  );
  await deliver({ event: "esim.teleported", timestamp: new Date().toISOString(), data: {} });
  await deliver(sampleEvent("esim.installed", ids, new Date(now - 3_600_000)));
});
afterAll(() => {
  delete process.env.HUBBY_WEBHOOK_API_KEY;
  resetEnvCache();
});

describe("inbox queries", () => {
  it("filters by type, status, traveler, booking and package, newest first", async () => {
    const all = await listWebhookEvents(webhookQuerySchema.parse({}));
    expect(all.total).toBe(6);
    expect(all.rows[0]!.eventType).toBe("esim.installed");
    const mine = await listWebhookEvents(webhookQuerySchema.parse({ user: "inbox_user" }));
    expect(mine.total).toBe(4);
    expect((await listWebhookEvents(webhookQuerySchema.parse({ package: "pkg_inbox" }))).total).toBe(2);
    expect((await listWebhookEvents(webhookQuerySchema.parse({ status: "unhandled" }))).rows[0]!.eventType).toBe(
      "esim.teleported",
    );
    const byEventTime = await listWebhookEvents(webhookQuerySchema.parse({ sort: "eventAt", type: "esim.installed" }));
    expect(byEventTime.rows.map((row) => row.externalUserId)).toEqual(["inbox_user", "inbox_user"]);
  });

  it("falls back to defaults for a hand-edited URL", () => {
    expect(webhookQuerySchema.parse({ status: "bogus", page: "-3", sort: "x", from: "yesterday" })).toMatchObject({
      status: "all",
      page: 1,
      sort: "-receivedAt",
      from: undefined,
    });
  });

  // Silence is the "webhooks silent" alert rule's: its incident is what the panel shows (tests/integration/alerts*).
  it("reports health figures per hour and status", async () => {
    const health = await webhookHealth({ hours: 24 });
    expect(health.counts).toMatchObject({ processed: 5, unhandled: 1 });
    expect(health.series).toHaveLength(24);
    expect(health.types).toContain("esim.installed");
  });
});

describe("replay", () => {
  it("dry-runs without writing, and shows what a replay would change", async () => {
    const event = await db().webhookEvent.findFirstOrThrow({ where: { eventType: "package.usage.20_percent" } });
    await db().travelerPackage.update({
      where: { packageId: "pkg_inbox" },
      data: { usagePercent: 0, usedBytes: null },
    });
    const dry = await replayEvent(event.id, { dryRun: true });
    expect(dry!.status).toBe("processed");
    expect(dry!.changes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ table: "TravelerPackage", field: "usagePercent", before: "0", after: "20" }),
      ]),
    );
    expect((await db().travelerPackage.findUniqueOrThrow({ where: { packageId: "pkg_inbox" } })).usagePercent).toBe(0);

    await signInAs("admin");
    const applied = await replayEventAction(null, form({ id: String(event.id), mode: "apply" }));
    expect(applied).toMatchObject({ ok: true, data: { status: "processed" } });
    expect((await db().travelerPackage.findUniqueOrThrow({ where: { packageId: "pkg_inbox" } })).usagePercent).toBe(20);
    expect((await db().webhookEvent.findFirstOrThrow({ where: { id: event.id } })).attempts).toBe(2);
    expect(await db().auditEntry.count({ where: { action: "webhooks.replay", result: "ok" } })).toBe(1);
  });

  it("replays everything matching a filter, admin only, with confirmation", async () => {
    await signInAs("support");
    expect(await replayMatchingAction(null, form({ user: "inbox_user", confirm: "replay" }))).toMatchObject({
      ok: false,
    });
    expect(await db().auditEntry.count({ where: { action: "webhooks.replay_matching", result: "refused" } })).toBe(1);

    await signInAs("admin");
    expect(await replayMatchingAction(null, form({ user: "inbox_user" }))).toMatchObject({ ok: false });
    const result = await replayMatchingAction(null, form({ user: "inbox_user", confirm: "replay" }));
    expect(result).toMatchObject({ ok: true, data: { total: 4, replayed: 4, processed: 4, failed: 0 } });
  });
});
