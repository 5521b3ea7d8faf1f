import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { refreshExpiredUsage } from "@/lib/travelers/current-usage";
import { searchTravelers, travelerQuerySchema } from "@/lib/travelers/queries";

// The travelers list's maintained next departure (Traveler.nextDepartureAt, migration
// 20261205000400_maintained_next_departure, docs/decisions/0067) against the query-time aggregate it replaces:
// sorting the unfiltered list by next departure gives the same rows in the same order at any time, before and after
// the maintenance refresh, and every stored value that claims to hold at a time is that time's aggregate.

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// The triggers compute as of now(): departures straddle the real clock, some date-only (upcoming all that day).
const today = new Date(Math.floor(Date.now() / DAY) * DAY);

/**
 * A booking `b` of traveler `t` that is upcoming at $1 (the list's `upcoming`, lib/travelers/queries.ts): departing
 * after $1, or on $1's date when only a date is known. Both aggregates below read it.
 */
const UPCOMING = `b."externalUserId" = t."externalUserId" AND b."departsAt" > $1::timestamptz - interval '1 day'
  AND (b."departsAt" > $1::timestamptz OR char_length(b."departureDate") = 10)`;

/** The aggregate the column replaces: each traveler's earliest upcoming departure at `now`. */
async function aggregateOrder(now: Date, descending: boolean) {
  const direction = descending ? "DESC" : "ASC";
  return db().$queryRawUnsafe<{ externalUserId: string; v: Date | null }[]>(
    `SELECT t."externalUserId", (SELECT MIN(b."departsAt") FROM "TravelerBooking" b WHERE ${UPCOMING}) AS v
     FROM "Traveler" t ORDER BY v ${direction} NULLS LAST, t."externalUserId" ASC`,
    now.toISOString(),
  );
}

/** Stored values that claim to hold at `now` but differ from the aggregate there (should be none). */
async function wrongHoldingValues(now: Date) {
  const byId = new Map((await aggregateOrder(now, false)).map((row) => [row.externalUserId, row.v?.getTime() ?? null]));
  const stored = await db().$queryRawUnsafe<{ externalUserId: string; nextDepartureAt: Date | null }[]>(
    `SELECT "externalUserId", "nextDepartureAt" FROM "Traveler" t
     WHERE (t."nextDepartureFrom" IS NULL OR t."nextDepartureFrom" <= $1::timestamptz)
       AND (t."nextDepartureUntil" IS NULL OR t."nextDepartureUntil" > $1::timestamptz)`,
    now.toISOString(),
  );
  return stored.filter((row) => (row.nextDepartureAt?.getTime() ?? null) !== byId.get(row.externalUserId));
}

async function staleCount(now: Date) {
  const [row] = await db().$queryRawUnsafe<{ n: number }[]>(
    `SELECT count(*)::int AS n FROM "Traveler" t
     WHERE t."nextDepartureUntil" <= $1::timestamptz OR t."nextDepartureFrom" > $1::timestamptz`,
    now.toISOString(),
  );
  return row!.n;
}

/** Every page of the unfiltered list sorted by next departure, as the list reads it. */
async function listed(now: Date, sort: "departure" | "-departure") {
  const ids: string[] = [];
  for (let page = 1; ; page++) {
    const result = await searchTravelers(travelerQuerySchema.parse({ sort, page }), now);
    ids.push(...result.rows.map((row) => row.externalUserId));
    if (ids.length >= result.total || result.rows.length === 0) return ids;
  }
}

/** Travelers with an upcoming booking departing within `hours` of `now`, by the aggregate, as the filter means. */
async function departingByAggregate(now: Date, hours: number, notInstalled: boolean) {
  const rows = await db().$queryRawUnsafe<{ externalUserId: string }[]>(
    `SELECT t."externalUserId" FROM "Traveler" t
     WHERE ($3::boolean = false OR t."esimState" IS NULL) AND EXISTS (SELECT 1 FROM "TravelerBooking" b
       WHERE ${UPCOMING} AND b."departsAt" <= $1::timestamptz + make_interval(hours => $2::int))
     ORDER BY t."externalUserId"`,
    now.toISOString(),
    hours,
    notInstalled,
  );
  return rows.map((row) => row.externalUserId);
}

/** The list filtered by "departing within `hours`" (and "not installed"), every page, by external_user_id. */
async function listedDeparting(now: Date, hours: number, notInstalled: boolean) {
  const ids: string[] = [];
  for (let page = 1; ; page++) {
    const query = {
      sort: "externalUserId",
      page,
      departing: String(hours),
      ...(notInstalled && { esim: "not_installed" }),
    };
    const result = await searchTravelers(travelerQuerySchema.parse(query), now);
    ids.push(...result.rows.map((row) => row.externalUserId));
    if (ids.length >= result.total || result.rows.length === 0) return ids;
  }
}

async function expectListMatchesAggregate(now: Date) {
  for (const descending of [false, true]) {
    const expected = (await aggregateOrder(now, descending)).map((row) => row.externalUserId);
    expect(await listed(now, descending ? "-departure" : "departure"), `${descending} at ${now.toISOString()}`).toEqual(
      expected,
    );
  }
  // The "departing within N hours" filter reads the stored value where it holds (decision 0068): the same travelers.
  for (const hours of [12, 48]) {
    for (const notInstalled of [false, true]) {
      const expected = await departingByAggregate(now, hours, notInstalled);
      expect(expected.length, "the data has travelers departing").toBeGreaterThan(0);
      expect(await listedDeparting(now, hours, notInstalled), `${hours} h ${notInstalled}`).toEqual(expected);
    }
  }
}

describe("maintained next departure", () => {
  it("sorts several pages like the aggregate at any time, merging travelers whose departure passed", async () => {
    await db().$executeRawUnsafe(`TRUNCATE "Traveler", "TravelerBooking", "TravelerPackage" CASCADE`);
    // 130 travelers (three pages); bookings written in one statement (one trigger run): timed departures from two
    // days ago to five days ahead, every third date-only (its day at 00:00 UTC), a fifth of the travelers none.
    await db().$executeRawUnsafe(
      `INSERT INTO "Traveler" ("externalUserId", "firstSeenAt", "lastSeenAt")
       SELECT 'd_' || lpad(i::text, 3, '0'), now(), now() FROM generate_series(1, 130) i`,
    );
    // A quarter installed, so "departing, not installed" has travelers on both sides of its partial index.
    await db().$executeRawUnsafe(
      `UPDATE "Traveler" SET "esimState" = 'installed' WHERE right("externalUserId", 1) IN ('0', '4', '8')`,
    );
    await db().$executeRawUnsafe(
      `INSERT INTO "TravelerBooking" ("bookingId", "externalUserId", "departureDate", "departsAt", "firstSeenAt",
         "lastSeenAt")
       SELECT 'b_' || i || '_' || j, 'd_' || lpad(i::text, 3, '0'),
         CASE WHEN (i + j) % 3 = 0 THEN to_char(d, 'YYYY-MM-DD') ELSE to_char(d, 'YYYY-MM-DD"T"HH24:MI:SS"Z"') END,
         CASE WHEN (i + j) % 3 = 0 THEN date_trunc('day', d) ELSE d END, now(), now()
       FROM generate_series(1, 104) i, generate_series(1, 2) j,
         LATERAL (SELECT ($1::timestamptz + make_interval(hours => ((i * 37 + j * 53) % 168) - 48)) AT TIME ZONE 'UTC'
           AS local) l,
         LATERAL (SELECT l.local AT TIME ZONE 'UTC' AS d) x`,
      new Date().toISOString(),
    );
    // Just written by the triggers: every value holds now and is the aggregate.
    expect(await staleCount(new Date())).toBe(0);
    expect(await wrongHoldingValues(new Date())).toEqual([]);
    await expectListMatchesAggregate(new Date());

    // Later, departures have passed: the list reads those travelers at query time until the refresh.
    for (const later of [new Date(Date.now() + 6 * HOUR), new Date(today.getTime() + 2 * DAY + HOUR)]) {
      expect(await staleCount(later)).toBeGreaterThan(0);
      expect(await wrongHoldingValues(later)).toEqual([]);
      await expectListMatchesAggregate(later);
      expect(await refreshExpiredUsage(later)).toBeGreaterThan(0);
      expect(await staleCount(later)).toBe(0);
      expect(await wrongHoldingValues(later)).toEqual([]);
      await expectListMatchesAggregate(later);
    }

    // Updates and deletes recompute too (the value as of now(), read at query time where it does not hold).
    await db().$executeRawUnsafe(
      `UPDATE "TravelerBooking" SET "departsAt" = now() + interval '10 days', "departureDate" = NULL
       WHERE "externalUserId" = 'd_001'`,
    );
    await db().$executeRawUnsafe(`DELETE FROM "TravelerBooking" WHERE "externalUserId" = 'd_002'`);
    const [moved] = await db().$queryRawUnsafe<{ nextDepartureAt: Date | null; gone: Date | null }[]>(
      `SELECT (SELECT "nextDepartureAt" FROM "Traveler" WHERE "externalUserId" = 'd_001') AS "nextDepartureAt",
         (SELECT "nextDepartureAt" FROM "Traveler" WHERE "externalUserId" = 'd_002') AS gone`,
    );
    expect(moved!.nextDepartureAt!.getTime()).toBeGreaterThan(Date.now() + 9 * DAY);
    expect(moved!.gone).toBeNull();
    expect(await wrongHoldingValues(new Date())).toEqual([]);
    await expectListMatchesAggregate(new Date());
  }, 60_000);
});
