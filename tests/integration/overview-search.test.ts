import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { GET as search } from "@/app/api/search/route";
import { signInAs } from "../support/factories";
import { setSession } from "../support/session";

// The command palette's search (GET /api/search, lib/search/search.ts): ids and their prefixes, per role.
const at = new Date("2026-06-01T00:00:00.000Z");

async function ask(q: string) {
  const response = await search(new Request(`http://console.test/api/search?q=${encodeURIComponent(q)}`));
  return {
    status: response.status,
    body: (await response.json()) as { results: { kind: string; title: string; detail: string; href: string }[] },
  };
}

let campaignId = "";
let intentId = "";
let webhookId = "";

beforeAll(async () => {
  await db().traveler.createMany({
    data: [
      { externalUserId: "pal_alice", iccid: "8931000000000000001", firstSeenAt: at, lastSeenAt: at },
      { externalUserId: "pal_bob", iccid: "8931000000000000002", firstSeenAt: at, lastSeenAt: at },
      { externalUserId: "pal%_odd", firstSeenAt: at, lastSeenAt: at },
    ],
  });
  await db().travelerBooking.create({
    data: { bookingId: "BKG-PAL-77", externalUserId: "pal_bob", firstSeenAt: at, lastSeenAt: at },
  });
  await db().travelerPackage.create({
    data: { packageId: "pkg-pal-9", externalUserId: "pal_alice", firstSeenAt: at, lastSeenAt: at },
  });
  const campaign = await db().campaign.create({
    data: {
      name: "Summer palette promo",
      fileName: "c.csv",
      checksum: "x",
      rowCount: 0,
      validCount: 0,
      errorCount: 0,
      travelers: 0,
      packages: 0,
      costCents: 0,
      priceCents: 0,
      currency: "EUR",
      perDestination: [],
      mapping: {},
      actorEmail: "someone@example.test",
    },
  });
  campaignId = campaign.id;
  const intent = await db().bookingIntent.create({
    data: {
      clientKey: "pal-key",
      reference: "hpc-pal-ref",
      kind: "top_up",
      status: "SENT",
      payload: {},
      externalUserIds: ["pal_bob"],
      destinations: ["GR"],
      actorEmail: "someone@example.test",
      hubbyBookingId: "hubby-pal-1",
    },
  });
  intentId = intent.id;
  const event = await db().webhookEvent.create({
    data: {
      eventType: "esim.installed",
      dedupeKey: "evt-pal-123",
      eventId: "evt-pal-123",
      headers: {},
      rawBody: "{}",
      status: "processed",
      // As the intake stores it: its key claimed in WebhookDedupe, where the search finds it.
      dedupe: { create: { dedupeKey: "evt-pal-123" } },
    },
  });
  webhookId = event.id.toString();
});

describe("the command palette's search", () => {
  it("refuses a signed-out request", async () => {
    setSession(null);
    expect((await ask("pal_")).status).toBe(401);
  });

  it("finds travelers by a prefix of any id, each once, with the key that matched", async () => {
    await signInAs("support");
    const byIccid = await ask("89310000000000000");
    expect(byIccid.body.results.filter((r) => r.kind === "traveler").map((r) => r.href)).toEqual([
      "/travelers/pal_alice",
      "/travelers/pal_bob",
    ]);
    expect(byIccid.body.results[0]!.detail).toBe("traveler · ICCID 8931000000000000001");
    expect((await ask("BKG-PAL")).body.results).toEqual([
      { kind: "traveler", title: "pal_bob", detail: "traveler · booking id BKG-PAL-77", href: "/travelers/pal_bob" },
    ]);
    expect((await ask("pkg-pal")).body.results.map((r) => r.title)).toEqual(["pal_alice"]);
    // % and _ are literal characters of the id, not wildcards.
    expect((await ask("pal%")).body.results.map((r) => r.title)).toEqual(["pal%_odd"]);
    expect((await ask("p")).body.results).toEqual([]);
  });

  it("finds bookings and webhook events by their ids", async () => {
    await signInAs("support");
    expect((await ask("hubby-pal-1")).body.results).toEqual([
      { kind: "booking", title: "hubby-pal-1", detail: "booking · top-up · SENT", href: `/bookings/${intentId}` },
    ]);
    expect((await ask(intentId)).body.results.map((r) => r.href)).toEqual([`/bookings/${intentId}`]);
    expect((await ask("evt-pal-123")).body.results.map((r) => r.href)).toEqual([`/webhooks/${webhookId}`]);
    expect((await ask(webhookId)).body.results.map((r) => r.kind)).toContain("webhook");
  });

  it("finds campaigns only for roles that may run them", async () => {
    await signInAs("support");
    expect((await ask("palette")).body.results).toEqual([]);
    await signInAs("campaign_manager");
    expect((await ask("palette")).body.results).toEqual([
      { kind: "campaign", title: "Summer palette promo", detail: "campaign · draft", href: `/campaigns/${campaignId}` },
    ]);
  });
});
