import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import {
  atRisk,
  campaignsWithFunnel,
  forgetNowTotals,
  hubbyHealth,
  MAX_EVENT_TYPES,
  NOW_TOTALS_MAX_AGE_MS,
  OTHER_EVENT_TYPE,
  spendAndValue,
  travelerActivity,
  webhookEventsPerDay,
} from "@/lib/overview/queries";
import { resolveOverviewRange } from "@/lib/overview/range";
import { widgetsFor } from "@/lib/overview/widgets";
import OverviewPage from "@/app/(console)/page";
import { WidgetCard } from "@/components/overview/widget-card";
import { AtRiskWidget } from "@/components/overview/widgets";
import { formatNumber } from "@/lib/format";
import { signInAs } from "../support/factories";
import { textOf } from "../support/render";

// The aggregations of the overview (lib/overview/queries.ts) on a small known data set; run on PGlite and, with
// TEST_DATABASE_URL, on PostgreSQL.
const NOW = new Date("2026-06-15T12:00:00.000Z");
const hours = (n: number) => new Date(NOW.getTime() + n * 3_600_000);
const days = (n: number) => hours(n * 24);
const range = resolveOverviewRange({ from: "2026-06-10", to: "2026-06-15" }, NOW);

let eventNumber = 0;
async function event(eventType: string, receivedAt: Date, eventAt: Date | null = receivedAt) {
  eventNumber += 1;
  await db().webhookEvent.create({
    data: {
      eventType,
      receivedAt,
      eventAt,
      dedupeKey: `overview-${eventNumber}`,
      headers: {},
      rawBody: "{}",
      status: "processed",
    },
  });
}

async function traveler(externalUserId: string, esimState: string | null = null) {
  await db().traveler.create({
    data: {
      externalUserId,
      firstSeenAt: days(-30),
      lastSeenAt: days(-1),
      esimState,
      esimStateAt: esimState ? days(-2) : null,
    },
  });
}

async function departure(bookingId: string, externalUserId: string, departsAt: Date) {
  await db().travelerBooking.create({
    data: {
      bookingId,
      externalUserId,
      departureDate: departsAt.toISOString(),
      departsAt,
      firstSeenAt: days(-10),
      lastSeenAt: days(-10),
    },
  });
}

let intentNumber = 0;
/** A booking as the console writes it: the quote of its first traveler's packages, the total over everyone. */
async function booking(
  status: "SENT" | "FAILED",
  createdAt: Date,
  travelers: string[],
  bundles: { destinationId: string; destinationName: string; b2bCents: number; b2cCents: number }[],
) {
  intentNumber += 1;
  const perTraveler = {
    costCents: bundles.reduce((sum, bundle) => sum + bundle.b2bCents, 0),
    priceCents: bundles.reduce((sum, bundle) => sum + bundle.b2cCents, 0),
  };
  const specs = bundles.map((bundle) => ({ ok: true, bundles: [bundle], ...bundle, currency: "EUR" }));
  await db().bookingIntent.create({
    data: {
      clientKey: `overview-${intentNumber}`,
      reference: `overview-ref-${intentNumber}`,
      kind: "issue",
      status,
      createdAt,
      payload: {
        package_specifications: travelers.flatMap((id) =>
          bundles.map((bundle) => ({ external_user_id: id, destination: bundle.destinationId })),
        ),
      },
      quote: {
        specs,
        perTraveler,
        total: {
          costCents: perTraveler.costCents * travelers.length,
          priceCents: perTraveler.priceCents * travelers.length,
        },
        currency: "EUR",
      },
      externalUserIds: travelers,
      destinations: bundles.map((bundle) => bundle.destinationId),
      costCents: perTraveler.costCents * travelers.length,
      priceCents: perTraveler.priceCents * travelers.length,
      currency: "EUR",
      actorEmail: "someone@example.test",
    },
  });
}

const greece = { destinationId: "GR", destinationName: "Greece", b2bCents: 500, b2cCents: 900 };
const spain = { destinationId: "ES", destinationName: "Spain", b2bCents: 300, b2cCents: 700 };

beforeAll(async () => {
  // Travelers: one departing in 10 h without an eSIM, one departing in 3 days without one (not yet at risk), one
  // departing in 10 h with the eSIM installed, one removed, one installed.
  await traveler("ov-soon");
  await traveler("ov-later");
  await traveler("ov-installed-soon", "installed");
  await traveler("ov-removed", "removed");
  await traveler("ov-fine", "installed");
  await departure("ov-b1", "ov-soon", hours(10));
  await departure("ov-b2", "ov-later", hours(72));
  await departure("ov-b3", "ov-installed-soon", hours(10));
  await db().travelerPackage.createMany({
    data: [
      // Active now; used up; expired; not activated: only the first counts as active.
      {
        packageId: "ov-p1",
        externalUserId: "ov-fine",
        activatedAt: days(-2),
        expiresAt: days(5),
        usagePercent: 40,
        firstSeenAt: days(-3),
        lastSeenAt: days(-1),
      },
      {
        packageId: "ov-p2",
        externalUserId: "ov-fine",
        activatedAt: days(-2),
        expiresAt: days(5),
        usagePercent: 100,
        firstSeenAt: days(-3),
        lastSeenAt: days(-1),
      },
      {
        packageId: "ov-p3",
        externalUserId: "ov-removed",
        activatedAt: days(-20),
        expiresAt: days(-1),
        usagePercent: 30,
        firstSeenAt: days(-21),
        lastSeenAt: days(-1),
      },
      { packageId: "ov-p4", externalUserId: "ov-soon", firstSeenAt: days(-3), lastSeenAt: days(-1) },
    ],
  });

  // Webhooks: two installs on the 12th (one at 23:59 UTC), one on the 15th, one activation on the 14th; one install
  // before the range and one after it; nine other types on the 13th so that some fold into "other".
  await event("esim.installed", new Date("2026-06-12T00:00:00.000Z"));
  await event("esim.installed", new Date("2026-06-12T23:59:59.000Z"));
  await event("esim.installed", new Date("2026-06-15T08:00:00.000Z"));
  await event("package.activated", new Date("2026-06-14T10:00:00.000Z"));
  await event("esim.installed", new Date("2026-06-09T23:59:59.999Z"));
  await event("esim.installed", new Date("2026-06-16T00:00:00.000Z"));
  for (let index = 0; index < 9; index++) {
    for (let copy = 0; copy <= index; copy++) await event(`type.${index}`, new Date("2026-06-13T12:00:00.000Z"));
  }

  // Bookings: a SENT one for two travelers to Greece and Spain on the 11th, a SENT one to Greece on the 14th, a
  // FAILED one (never paid) and a SENT one before the range.
  await booking("SENT", new Date("2026-06-11T09:00:00.000Z"), ["ov-soon", "ov-later"], [greece, spain]);
  await booking("SENT", new Date("2026-06-14T09:00:00.000Z"), ["ov-fine"], [greece]);
  await booking("FAILED", new Date("2026-06-14T10:00:00.000Z"), ["ov-fine"], [spain]);
  await booking("SENT", new Date("2026-06-01T09:00:00.000Z"), ["ov-fine"], [spain]);

  // Hubby API calls in the last 24 h: three, one failed; and an old failure outside the window.
  const call = (at: Date, ok: boolean, durationMs: number) => ({
    at,
    environment: "sandbox",
    method: "GET",
    endpoint: "GET /native/user-dashboard",
    path: "/native/user-dashboard",
    status: ok ? 200 : 503,
    ok,
    durationMs,
    requestId: `req-${at.getTime()}-${durationMs}`,
    errorMessage: ok ? null : "Service unavailable",
  });
  await db().apiCall.createMany({
    data: [
      call(hours(-1), true, 100),
      call(hours(-2), false, 900),
      call(hours(-3), true, 200),
      call(days(-3), false, 50),
    ],
  });
});

describe("the overview's aggregations", () => {
  it("counts travelers, active packages, and installs and activations per UTC day of the range", async () => {
    const activity = await travelerActivity(range, NOW);
    expect(activity.travelers).toBe(5);
    expect(activity.activePackages).toBe(1);
    expect(activity.installs).toBe(3);
    expect(activity.activations).toBe(1);
    expect(activity.series.map((point) => point.day)).toEqual([
      "2026-06-10",
      "2026-06-11",
      "2026-06-12",
      "2026-06-13",
      "2026-06-14",
      "2026-06-15",
    ]);
    expect(activity.series.find((point) => point.day === "2026-06-12")).toEqual({
      day: "2026-06-12",
      installs: 2,
      activations: 0,
    });
    expect(activity.series.find((point) => point.day === "2026-06-14")).toMatchObject({ activations: 1 });
  });

  it("counts webhook events per day by type, the busiest types by name and the rest as other", async () => {
    const events = await webhookEventsPerDay(range);
    // 4 install/activation events + 45 of the nine other types, in the range.
    expect(events.total).toBe(49);
    expect(events.types).toHaveLength(MAX_EVENT_TYPES);
    expect(events.types.at(-1)).toBe(OTHER_EVENT_TYPE);
    expect(events.types[0]).toBe("type.8");
    const day13 = events.series.find((point) => point.day === "2026-06-13")!;
    const sum = events.types.reduce((total, type) => total + Number(day13[type]), 0);
    expect(sum).toBe(45);
    // The folded ones: esim.installed (0 that day), package.activated, type.0 (1) and type.1 (2) …
    expect(day13["type.8"]).toBe(9);
    expect(
      Number(events.series.find((point) => point.day === "2026-06-12")![OTHER_EVENT_TYPE]) +
        Number(events.series.find((point) => point.day === "2026-06-12")!["esim.installed"] ?? 0),
    ).toBe(2);
  });

  it("keeps the counts of days that are over, and counts today afresh on every call", async () => {
    const before = await travelerActivity(range, NOW);
    await event("esim.installed", hours(-1));
    await event("esim.installed", new Date("2026-06-12T10:00:00.000Z"));
    const after = await travelerActivity(range, NOW);
    expect(after.series.find((point) => point.day === "2026-06-15")!.installs).toBe(
      before.series.find((point) => point.day === "2026-06-15")!.installs + 1,
    );
    // A day that is over cannot gain events in real life (receivedAt is the time of receipt): kept as read.
    expect(after.series.find((point) => point.day === "2026-06-12")!.installs).toBe(2);
    await db().webhookEvent.deleteMany({
      where: { receivedAt: { in: [hours(-1), new Date("2026-06-12T10:00:00.000Z")] } },
    });
  });

  it("sums spend and value of confirmed bookings per day and spreads them per destination", async () => {
    const { byCurrency } = await spendAndValue(range);
    expect(byCurrency).toHaveLength(1);
    const eur = byCurrency[0]!;
    expect(eur.currency).toBe("EUR");
    expect(eur.bookings).toBe(2);
    // (500 + 300) × 2 travelers + 500; (900 + 700) × 2 + 900.
    expect(eur.costCents).toBe(2_100);
    expect(eur.priceCents).toBe(4_100);
    expect(eur.series.find((point) => point.day === "2026-06-11")).toEqual({
      day: "2026-06-11",
      costCents: 1_600,
      priceCents: 3_200,
    });
    expect(eur.series.find((point) => point.day === "2026-06-14")).toMatchObject({ costCents: 500, priceCents: 900 });
    expect(eur.destinations).toEqual([
      { destination: "GR", name: "Greece", costCents: 1_500, priceCents: 2_700 },
      { destination: "ES", name: "Spain", costCents: 600, priceCents: 1_400 },
    ]);
    expect(eur.destinations.reduce((sum, row) => sum + row.costCents, 0)).toBe(eur.costCents);
  });

  it("lists the at-risk queues as the travelers list's own filters", async () => {
    const queues = await atRisk(NOW);
    const soon = queues.find((queue) => queue.id === "departing-not-installed")!;
    expect(soon).toMatchObject({ count: 1, countIsMore: false });
    expect(soon.travelers.map((row) => row.externalUserId)).toEqual(["ov-soon"]);
    expect(soon.href).toBe("/travelers?esim=not_installed&departing=48&sort=departure");
    const removed = queues.find((queue) => queue.id === "removed")!;
    expect(removed.count).toBe(1);
    expect(removed.travelers.map((row) => row.externalUserId)).toEqual(["ov-removed"]);
    expect(removed.href).toBe("/travelers?esim=removed");
  });

  it("counts travelers and active packages at most every few minutes per process, and says as of when", async () => {
    forgetNowTotals();
    const first = await travelerActivity(range, NOW);
    expect(first).toMatchObject({ travelers: 5, activePackages: 1, totalsAsOf: NOW.toISOString() });
    await traveler("ov-late");
    try {
      // Within the period: the kept figure, with the time it was counted.
      const minuteLater = await travelerActivity(range, new Date(NOW.getTime() + 60_000));
      expect(minuteLater).toMatchObject({ travelers: 5, totalsAsOf: NOW.toISOString() });
      // Past it: shown once more while the recount runs, then the new figure with its time.
      const later = new Date(NOW.getTime() + NOW_TOTALS_MAX_AGE_MS + 1_000);
      expect((await travelerActivity(range, later)).travelers).toBe(5);
      await expect.poll(async () => (await travelerActivity(range, later)).travelers).toBe(6);
      expect((await travelerActivity(range, later)).totalsAsOf).toBe(later.toISOString());
    } finally {
      await db().traveler.delete({ where: { externalUserId: "ov-late" } });
    }
    // Long unseen (an hour and more): counted before it is shown.
    const afterAnHour = await travelerActivity(range, hours(2));
    expect(afterAnHour).toMatchObject({ travelers: 5, totalsAsOf: hours(2).toISOString() });
  });

  it("counts an at-risk queue as the travelers list does: exactly up to 1 000, then more than 1 000", async () => {
    const crowd = Array.from({ length: 1_000 }, (_, i) => `ov-crowd-${String(i).padStart(4, "0")}`);
    await db().traveler.createMany({
      data: crowd.map((externalUserId) => ({
        externalUserId,
        firstSeenAt: days(-30),
        lastSeenAt: days(-1),
        esimState: "removed",
        esimStateAt: days(-2),
      })),
    });
    try {
      const removed = (await atRisk(NOW)).find((queue) => queue.id === "removed")!;
      expect(removed).toMatchObject({ count: 1_000, countIsMore: true, href: "/travelers?esim=removed" });
      expect(removed.travelers).toHaveLength(5);
      const shown = textOf(await AtRiskWidget());
      expect(shown).toContain(`more than ${formatNumber(1_000)}eSIM removed, not reinstalled`);
      expect(shown).toContain(`See them in the travelers list (more than ${formatNumber(1_000)})`);
      await db().traveler.delete({ where: { externalUserId: crowd[0]! } });
      const exactly = (await atRisk(NOW)).find((queue) => queue.id === "removed")!;
      expect(exactly).toMatchObject({ count: 1_000, countIsMore: false });
    } finally {
      await db().traveler.deleteMany({ where: { externalUserId: { in: crowd } } });
    }
  });

  it("reports Hubby API calls of the last 24 h with the latest failure, and the webhooks' health", async () => {
    const health = await hubbyHealth({ now: NOW });
    expect(health.api).toMatchObject({ total: 3, failed: 1 });
    expect(health.api.lastFailure).toMatchObject({ endpoint: "GET /native/user-dashboard", status: 503 });
    expect(health.api.p95Ms).toBeGreaterThanOrEqual(800);
    expect(health.webhooks.lastReceivedAt).toBe("2026-06-16T00:00:00.000Z");
    expect(health.webhooks.silence).toBeNull();
  });

  it("says webhooks are silent exactly when the inbox does: while the alert incident is open", async () => {
    const incident = await db().alertIncident.create({
      data: {
        ruleKey: "webhook_silence",
        scope: "",
        openScope: "",
        title: "No webhook for more than 2 hours",
        summary: "No webhook has arrived for more than 2 hours while 3 packages are active.",
        link: "/webhooks",
        lastSeenAt: NOW,
        lastNotifiedAt: NOW,
      },
    });
    try {
      expect((await hubbyHealth({ now: NOW })).webhooks.silence).toEqual({
        incidentId: incident.id.toString(),
        summary: "No webhook has arrived for more than 2 hours while 3 packages are active.",
        acknowledgedBy: null,
      });
      await db().alertIncident.update({
        where: { id: incident.id },
        data: { acknowledgedAt: NOW, acknowledgedByEmail: "ops@example.test", acknowledgedByName: "Ops" },
      });
      expect((await hubbyHealth({ now: NOW })).webhooks.silence).toMatchObject({ acknowledgedBy: "Ops" });
      // Resolved: the home says nothing more, like the inbox.
      await db().alertIncident.update({ where: { id: incident.id }, data: { openScope: null, resolvedAt: NOW } });
      expect((await hubbyHealth({ now: NOW })).webhooks.silence).toBeNull();
    } finally {
      await db().alertIncident.deleteMany();
    }
  });

  it("shows running campaigns first, each with its funnel", async () => {
    const base = {
      fileName: "c.csv",
      checksum: "x",
      rowCount: 1,
      validCount: 1,
      errorCount: 0,
      travelers: 1,
      packages: 1,
      costCents: 0,
      priceCents: 0,
      currency: "EUR",
      perDestination: [],
      mapping: {},
      actorEmail: "someone@example.test",
    };
    const running = await db().campaign.create({
      data: { ...base, name: "Running one", status: "running", createdAt: days(-10) },
    });
    for (let index = 0; index < 6; index++) {
      await db().campaign.create({
        data: { ...base, name: `Draft ${index}`, status: "draft", createdAt: days(-index) },
      });
    }
    await db().campaignRow.create({
      data: {
        campaignId: running.id,
        line: 2,
        state: "sent",
        externalUserId: "ov-fine",
        destinations: ["GR"],
        raw: {},
      },
    });
    const campaigns = await campaignsWithFunnel();
    expect(campaigns).toHaveLength(5);
    expect(campaigns[0]).toMatchObject({ name: "Running one", status: "running" });
    expect(campaigns[0]!.funnel).toEqual([
      { step: "issued", travelers: 1 },
      { step: "installed", travelers: 1 },
      { step: "activated", travelers: 0 },
      { step: "crossed80", travelers: 0 },
    ]);
    expect(campaigns.slice(1).map((campaign) => campaign.name)).toEqual(["Draft 0", "Draft 1", "Draft 2", "Draft 3"]);
  });
});

describe("the overview page", () => {
  it.each([
    ["admin", ["travelers", "at-risk", "webhook-events", "spend", "campaigns", "health"]],
    ["campaign_manager", ["travelers", "at-risk", "webhook-events", "spend", "campaigns", "health"]],
    ["support", ["travelers", "at-risk", "webhook-events", "health"]],
  ] as const)("gives %s its widgets, by the role matrix", async (role, expected) => {
    expect(widgetsFor({ role }).map((widget) => widget.id)).toEqual(expected);
    await signInAs(role);
    const page = await OverviewPage({ searchParams: Promise.resolve({ from: "2026-06-10", to: "2026-06-15" }) });
    const text = textOf(page, new Set([WidgetCard]));
    expect(text).toContain("2026-06-10 to 2026-06-15");
    expect(text.includes("Spend and value")).toBe(role !== "support");
    expect(text.includes("Campaigns")).toBe(role !== "support");
  });
});
