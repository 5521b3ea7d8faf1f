import { describe, expect, it } from "vitest";
import { getDatabase } from "@/lib/db";
import { assertEmptyForSeed, SeedLargeRefused, seedLarge } from "@/lib/travelers/seed-large";
import { isHandledEvent, parseWebhookBody } from "@/lib/webhooks/envelope";
import { factsFor } from "@/lib/webhooks/facts";
import { project } from "@/lib/webhooks/projection";
import { bodyTextSql } from "@/lib/webhooks/stored";

// The large seed writes the projected tables with set-based SQL; replaying its events through the real projection
// must give exactly the same rows, or the benchmark would measure data the console could never hold.

const TRAVELERS = 200;

const snapshots = {
  Traveler: `SELECT * FROM "Traveler" ORDER BY "externalUserId"`,
  TravelerBooking: `SELECT * FROM "TravelerBooking" ORDER BY "bookingId", "externalUserId"`,
  TravelerPackage: `SELECT * FROM "TravelerPackage" ORDER BY "packageId"`,
  UsageSample: `SELECT * FROM "UsageSample" ORDER BY "packageId", "percent"`,
  PromoRedemption: `SELECT * FROM "PromoRedemption" ORDER BY "promoCode", "bookingId"`,
  PromoCode: `SELECT * FROM "PromoCode" ORDER BY "code"`,
};

async function snapshot() {
  const sql = getDatabase().sql;
  const result: Record<string, string> = {};
  for (const [table, query] of Object.entries(snapshots)) {
    result[table] = JSON.stringify(await sql.query(`SELECT json_agg(row_to_json(x))::text AS rows FROM (${query}) x`));
  }
  return result;
}

describe("db:seed:large", () => {
  it("fills an empty database with 20 events per traveler and rows the projection agrees with", async () => {
    const database = getDatabase();
    const counts = await database.transaction((sql) =>
      seedLarge(sql, { travelers: TRAVELERS, postgres: database.kind === "postgres" }),
    );
    expect(counts.travelers).toBe(TRAVELERS);
    expect(counts.webhookEvents).toBe(TRAVELERS * 20);
    expect(counts.bookings).toBeGreaterThan(TRAVELERS);
    expect(counts.packages).toBeGreaterThan(TRAVELERS);

    const [shape] = await database.sql.query<Record<string, number>>(`SELECT
      (SELECT count(DISTINCT "eventType") FROM "WebhookEvent")::int AS "eventTypes",
      (SELECT count(*) FROM "WebhookEvent" WHERE "eventAt" > now())::int AS "futureEvents",
      (SELECT count(*) FROM "WebhookEvent" e WHERE e."externalUserId" IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM "Traveler" t WHERE t."externalUserId" = e."externalUserId"))::int AS "orphanEvents",
      (SELECT count(*) FROM "TravelerBooking" WHERE "departsAt" > now())::int AS "futureDepartures",
      (SELECT count(*) FROM "TravelerBooking" WHERE "departureDate" ~ '^\\d{4}-\\d{2}-\\d{2}$')::int AS "dateOnly",
      (SELECT count(DISTINCT "usagePercent") FROM "TravelerPackage")::int AS "usageLevels",
      (SELECT count(*) FROM "Traveler" WHERE "esimState" = 'removed')::int AS "removed",
      (SELECT count(*) FROM "Traveler" WHERE "lastEventAt" < now() - interval '30 days')::int AS "idle30d"`);
    expect(shape).toMatchObject({ eventTypes: 11, futureEvents: 0, orphanEvents: 0 });
    for (const key of ["futureDepartures", "dateOnly", "removed", "idle30d"]) expect(shape![key]).toBeGreaterThan(0);
    expect(shape!.usageLevels).toBe(4);
    // Every event in its month's partition (none in the default one) and its key claimed in WebhookDedupe.
    const [placement] = await database.sql.query<Record<string, number>>(`SELECT
      (SELECT count(*) FROM "WebhookEvent_default")::int AS "inDefault",
      (SELECT count(*) FROM "WebhookDedupe" d JOIN "WebhookEvent" e
         ON e.id = d."eventId" AND e."receivedAt" = d."receivedAt")::int AS claimed`);
    expect(placement).toEqual({ inDefault: 0, claimed: TRAVELERS * 20 });

    const seeded = await snapshot();
    await database.sql.exec(
      `TRUNCATE "Traveler", "TravelerBooking", "TravelerPackage", "UsageSample", "PromoRedemption", "PromoCode"`,
    );
    const events = await database.sql.query<{ rawBody: string; eventId: string; receivedAt: Date }>(
      `SELECT ${bodyTextSql()} AS "rawBody", "eventId", "receivedAt" FROM "WebhookEvent" ORDER BY random()`,
    );
    for (const event of events) {
      const parsed = parseWebhookBody(event.rawBody, null);
      if (!parsed.ok || !isHandledEvent(parsed.event.eventType))
        throw new Error(`unreadable seeded event ${event.eventId}`);
      expect(parsed.event.eventId).toBe(event.eventId);
      const facts = factsFor({ ...parsed.event, eventType: parsed.event.eventType }, new Date(event.receivedAt));
      await project((text, values) => database.sql.query(text, values), facts);
    }
    expect(await snapshot()).toEqual(seeded);
  }, 180_000);

  it("refuses a database that already holds travelers or events", async () => {
    await expect(assertEmptyForSeed(getDatabase().sql)).rejects.toThrow(SeedLargeRefused);
    await expect(assertEmptyForSeed(getDatabase().sql)).rejects.toThrow(/only fills an empty database/);
  });
});
