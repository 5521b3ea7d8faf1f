import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { positionText, type TimelinePosition } from "@/lib/travelers/timeline";
import { travelerTimeline, type TimelinePageResult } from "@/lib/travelers/traveler";

// The traveler timeline pages through everything stored about a traveler, whatever its size and mix: staff reading
// the page or previewing instructions no longer pushes the traveler's own webhooks out of view.
const TRAVELER = "timeline_many";
const BASE = Date.parse("2026-05-01T00:00:00.000Z");
const minute = (n: number) => new Date(BASE + n * 60_000);

async function webhook(n: number, at: Date, eventAt: Date | null = at) {
  await db().webhookEvent.create({
    data: {
      eventType: n % 2 ? "esim.installed" : "package.usage.20_percent",
      receivedAt: at,
      eventAt,
      dedupeKey: `timeline-${n}`,
      headers: {},
      rawBody: "{}",
      status: "processed",
      externalUserId: TRAVELER,
    },
  });
}

beforeAll(async () => {
  // 200 webhooks, a minute apart; four of them at one shared time with staff actions and calls (ties across pages).
  for (let n = 0; n < 200; n++) await webhook(n, minute(n));
  for (let n = 200; n < 204; n++) await webhook(n, minute(500), minute(120));
  // One received late: it sits at its own event time.
  await webhook(204, minute(900), minute(5));
  await db().auditEntry.createMany({
    data: [
      ...Array.from({ length: 30 }, (_, n) => ({
        at: minute(300 + n),
        action: "travelers.view",
        externalUserId: TRAVELER,
        result: "ok",
        actorEmail: "support@example.test",
      })),
      ...Array.from({ length: 3 }, () => ({
        at: minute(120),
        action: "travelers.redeem",
        externalUserId: TRAVELER,
        result: "ok",
        actorEmail: "support@example.test",
      })),
    ],
  });
  await db().apiCall.createMany({
    data: Array.from({ length: 3 }, (_, n) => ({
      at: minute(120),
      environment: "sandbox",
      method: "GET",
      endpoint: "GET /native/user-dashboard",
      path: "/native/user-dashboard",
      status: 200,
      ok: true,
      durationMs: 10,
      requestId: `req-${n}`,
      externalUserId: TRAVELER,
    })),
  });
  await db().travelerBooking.create({
    data: {
      bookingId: "bk_timeline",
      externalUserId: TRAVELER,
      departureDate: "2026-05-01",
      departsAt: minute(120),
      withinCutoffAt: minute(60),
      firstSeenAt: minute(0),
      lastSeenAt: minute(0),
    },
  });
});

async function everyPage(options: Parameters<typeof travelerTimeline>[1] = {}) {
  const pages: TimelinePageResult[] = [];
  let before: TimelinePosition | null = null;
  do {
    const page: TimelinePageResult = await travelerTimeline(TRAVELER, { ...options, before });
    pages.push(page);
    before = page.next;
  } while (before && pages.length < 100);
  return pages;
}

describe("traveler timeline pages", () => {
  it("shows every entry exactly once across pages, newest first, and none for merely viewing the page", async () => {
    const pages = await everyPage({ limit: 50 });
    const entries = pages.flatMap((page) => page.entries);
    // 205 webhooks, 3 staff actions, 3 calls, 2 milestones; the 30 page views are in the audit log only.
    expect(entries).toHaveLength(213);
    expect(pages[0]!.total).toBe(213);
    expect(pages).toHaveLength(5);
    expect(pages.at(-1)!.next).toBeNull();
    expect(entries.filter((entry) => entry.kind === "webhook")).toHaveLength(205);
    expect(entries.some((entry) => entry.title === "travelers.view")).toBe(false);
    const keys = entries.map((entry) => positionText(entry.position!));
    expect(new Set(keys).size).toBe(keys.length);
    const times = entries.map((entry) => Date.parse(entry.at));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    // The late delivery sits at its event time.
    expect(entries.filter((entry) => entry.at === minute(5).toISOString())).toHaveLength(2);
  });

  it("a page boundary inside entries of one time neither repeats nor skips one", async () => {
    // Pages of 4 cut through the 12 entries at minute 120 (5 webhooks, 3 staff actions, 3 calls, the departure).
    const pages = await everyPage({ limit: 4 });
    const keys = pages.flatMap((page) => page.entries.map((entry) => positionText(entry.position!)));
    expect(keys).toHaveLength(213);
    expect(new Set(keys).size).toBe(213);
  });

  it("filters by kind: webhooks alone page through all 205, milestones alone are both", async () => {
    const webhooks = (await everyPage({ kinds: ["webhook"], limit: 60 })).flatMap((page) => page.entries);
    expect(webhooks).toHaveLength(205);
    expect(webhooks.every((entry) => entry.kind === "webhook")).toBe(true);
    const milestones = await travelerTimeline(TRAVELER, { kinds: ["milestone"] });
    expect(milestones.entries.map((entry) => entry.title)).toEqual(["Departure", "Within cutoff"]);
    expect(milestones).toMatchObject({ total: 2, next: null });
    const staff = await travelerTimeline(TRAVELER, { kinds: ["staff"] });
    expect(staff.entries.map((entry) => entry.title)).toEqual(Array(3).fill("travelers.redeem"));
  });
});
