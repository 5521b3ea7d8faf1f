import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { POST } from "@/app/api/webhooks/hubby/route";
import { db } from "@/lib/db";
import { resetEnvCache } from "@/lib/env";
import { refreshExpiredUsage } from "@/lib/travelers/current-usage";
import { searchTravelers, travelerQuerySchema } from "@/lib/travelers/queries";
import { parseWebhookBody } from "@/lib/webhooks/envelope";
import { applyEvent } from "@/lib/webhooks/intake";
import { diff } from "@/lib/webhooks/snapshot";
import { WEBHOOK_KEY, webhookRequest } from "../support/webhooks";

// The travelers list's maintained usage (Traveler.currentUsagePercent, docs/decisions/0057) against the query-time
// aggregate it replaces: after any set of webhook events, and after packages expire, sorting by usage gives the
// same rows in the same order, and every stored value that claims to hold at a time is that time's aggregate.

process.env.HUBBY_WEBHOOK_API_KEY = WEBHOOK_KEY;
resetEnvCache();

const MINUTE = 60_000;
/** Event times around the real clock: the database's triggers compute as of now(), so packages straddle it. */
const base = Math.floor(Date.now() / MINUTE) * MINUTE - 90 * MINUTE;
const at = (minute: number) => new Date(base + minute * MINUTE).toISOString();
const users = ["u_a", "u_b", "u_c", "u_d"];
const packages = ["pkg_1", "pkg_2", "pkg_3", "pkg_4", "pkg_5"];

const eventArbitrary = fc.oneof(
  fc
    .record({
      user: fc.constantFrom(...users),
      pkg: fc.constantFrom(...packages),
      percent: fc.constantFrom(20, 50, 80, 100),
      minute: fc.integer({ min: 0, max: 120 }),
    })
    .map((e) => ({
      event: `package.usage.${e.percent}_percent`,
      timestamp: at(e.minute),
      data: { external_user_id: e.user, package_id: e.pkg, usage_percent: e.percent },
    })),
  fc
    .record({
      user: fc.constantFrom(...users),
      pkg: fc.constantFrom(...packages),
      minute: fc.integer({ min: 0, max: 120 }),
      lasts: fc.constantFrom(10, 60, 180, 600),
    })
    .map((e) => ({
      event: "package.activated",
      timestamp: at(e.minute),
      data: {
        external_user_id: e.user,
        booking_id: "b1",
        package_id: e.pkg,
        activated_at: at(e.minute),
        expires_at: at(e.minute + e.lasts),
      },
    })),
  fc
    .record({ user: fc.constantFrom(...users), minute: fc.integer({ min: 0, max: 120 }) })
    .map((e) => ({ event: "esim.installed", timestamp: at(e.minute), data: { external_user_id: e.user, iccid: "1" } })),
);

/** The aggregate the column replaces: each traveler's current package at `now`, chosen at query time. */
async function aggregateOrder(now: Date, descending: boolean) {
  const direction = descending ? "DESC" : "ASC";
  return db().$queryRawUnsafe<{ externalUserId: string; usagePercent: number | null }[]>(
    `SELECT t."externalUserId", sk.v AS "usagePercent" FROM "Traveler" t LEFT JOIN (
       SELECT DISTINCT ON (p."externalUserId") p."externalUserId", p."usagePercent" AS v FROM "TravelerPackage" p
       WHERE p."expiresAt" IS NULL OR p."expiresAt" > $1::timestamptz
       ORDER BY p."externalUserId", (p."usagePercent" >= 100) ASC, p."activatedAt" DESC NULLS LAST,
         p."firstSeenAt" DESC, p."packageId" ASC) sk ON sk."externalUserId" = t."externalUserId"
     ORDER BY sk.v ${direction} NULLS LAST, t."externalUserId" ASC`,
    now.toISOString(),
  );
}

/** Stored values that claim to hold at `now` but differ from the aggregate there (should be none). */
async function wrongHoldingValues(now: Date) {
  const byId = new Map((await aggregateOrder(now, true)).map((row) => [row.externalUserId, row.usagePercent]));
  const stored = await db().$queryRawUnsafe<{ externalUserId: string; currentUsagePercent: number | null }[]>(
    `SELECT "externalUserId", "currentUsagePercent" FROM "Traveler" t
     WHERE (t."currentUsageFrom" IS NULL OR t."currentUsageFrom" <= $1::timestamptz)
       AND (t."currentUsageUntil" IS NULL OR t."currentUsageUntil" > $1::timestamptz)`,
    now.toISOString(),
  );
  return stored.filter((row) => row.currentUsagePercent !== byId.get(row.externalUserId));
}

async function staleCount(now: Date) {
  const [row] = await db().$queryRawUnsafe<{ n: number }[]>(
    `SELECT count(*)::int AS n FROM "Traveler" t
     WHERE t."currentUsageUntil" <= $1::timestamptz OR t."currentUsageFrom" > $1::timestamptz`,
    now.toISOString(),
  );
  return row!.n;
}

/** Every page of the list sorted by usage, as the list reads it. */
async function listed(now: Date, sort: "usage" | "-usage", q?: string) {
  const rows: { externalUserId: string; usagePercent: number | null }[] = [];
  for (let page = 1; ; page++) {
    const result = await searchTravelers(travelerQuerySchema.parse({ sort, page, q }), now);
    rows.push(...result.rows.map(({ externalUserId, usagePercent }) => ({ externalUserId, usagePercent })));
    if (rows.length >= result.total || result.rows.length === 0) return rows;
  }
}

async function expectListMatchesAggregate(now: Date, q?: string) {
  for (const descending of [true, false]) {
    const expected = await aggregateOrder(now, descending);
    const shown = await listed(now, descending ? "-usage" : "usage", q);
    expect(shown, `${descending ? "-usage" : "usage"} at ${now.toISOString()}`).toEqual(
      q ? expected.filter((row) => row.externalUserId.startsWith(q)) : expected,
    );
  }
}

async function reset() {
  await db().$executeRawUnsafe(
    `TRUNCATE "WebhookEvent", "Traveler", "TravelerBooking", "TravelerPackage", "UsageSample" CASCADE`,
  );
}

async function apply(events: object[], viaRoute: boolean) {
  for (const event of events) {
    if (viaRoute) {
      const response = await POST(webhookRequest(JSON.stringify(event)));
      if (response.status !== 200) throw new Error(`route answered ${response.status}`);
      continue;
    }
    const parsed = parseWebhookBody(JSON.stringify(event), null);
    if (!parsed.ok) throw new Error(parsed.error);
    await db().$transaction((tx) => applyEvent(tx, parsed.event, new Date()));
  }
}

/** Query times before, inside and after the events' packages' lives. */
const times = () => [new Date(), new Date(at(-30)), new Date(at(45)), new Date(at(150)), new Date(at(400))];

describe("maintained usage", () => {
  it("equals the query-time aggregate after any events, at any time, before and after the expiry refresh", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(eventArbitrary, { minLength: 1, maxLength: 14 }),
        fc.boolean(),
        async (events, viaRoute) => {
          await reset();
          await apply(events, viaRoute);
          // Just written by the triggers: every value holds now.
          expect(await staleCount(new Date())).toBe(0);
          for (const now of times()) {
            expect(await wrongHoldingValues(now)).toEqual([]);
            await expectListMatchesAggregate(now);
          }
          // The expiry path: after it, every value holds at its time and is that time's aggregate.
          for (const now of times()) {
            await refreshExpiredUsage(now);
            expect(await staleCount(now)).toBe(0);
            expect(await wrongHoldingValues(now)).toEqual([]);
            await expectListMatchesAggregate(now);
            await expectListMatchesAggregate(now, "u_");
          }
        },
      ),
      { numRuns: 15 },
    );
  }, 180_000);

  it("sorts several pages the same way, merging travelers whose value went stale", async () => {
    await reset();
    // 130 travelers (three pages), packages written in one statement (one trigger run), a third expiring in an hour.
    await db().$executeRawUnsafe(
      `INSERT INTO "Traveler" ("externalUserId", "firstSeenAt", "lastSeenAt")
       SELECT 'p_' || lpad(i::text, 3, '0'), now(), now() FROM generate_series(1, 130) i`,
    );
    await db().$executeRawUnsafe(
      `INSERT INTO "TravelerPackage" ("packageId", "externalUserId", "usagePercent", "activatedAt", "expiresAt",
         "firstSeenAt", "lastSeenAt")
       SELECT 'k_' || i || '_' || j, 'p_' || lpad(i::text, 3, '0'), (i * 7 + j * 13) % 101,
         now() - interval '1 day', CASE WHEN (i + j) % 3 = 0 THEN now() + interval '1 hour' END, now(), now()
       FROM generate_series(1, 125) i, generate_series(1, 2) j`,
    );
    const later = new Date(Date.now() + 2 * 3_600_000);
    expect(await staleCount(later)).toBeGreaterThan(50);
    await expectListMatchesAggregate(new Date());
    await expectListMatchesAggregate(later);
    expect(await refreshExpiredUsage(later)).toBeGreaterThan(0);
    expect(await staleCount(later)).toBe(0);
    await expectListMatchesAggregate(later);
    // A deleted package counts too.
    await db().$executeRawUnsafe(`DELETE FROM "TravelerPackage" WHERE "externalUserId" = 'p_001'`);
    expect(await wrongHoldingValues(new Date())).toEqual([]);
    await expectListMatchesAggregate(new Date());
  }, 60_000);

  it("is not reported as a field change by a refresh from Hubby or a replay dry run", () => {
    const row = { externalUserId: "u", esimState: "installed", currentUsagePercent: 20, currentUsageFrom: null };
    const moved = { ...row, currentUsagePercent: 80, currentUsageFrom: new Date(), currentUsageUntil: new Date() };
    expect(diff(new Map([["Traveler u", row]]), new Map([["Traveler u", moved]]))).toEqual([]);
    expect(diff(new Map([["Traveler u", row]]), new Map([["Traveler u", { ...moved, esimState: "removed" }]]))).toEqual(
      [{ table: "Traveler", key: "u", field: "esimState", before: "installed", after: "removed" }],
    );
  });
});
