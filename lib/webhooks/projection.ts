import "server-only";

import type { Facts } from "./facts";

/**
 * Writes an event's facts into the console's model with upserts whose merge rules are order-independent and
 * idempotent: times only widen (LEAST/GREATEST), usage only moves up, a state applies only if it is newer (ties
 * broken by value), and fill-in fields keep the greatest non-null value. Any set of events applied in any order,
 * any number of times, gives the same rows (tests/integration/webhook-projection.test.ts proves it).
 */

/** Byte counts travel as text and are cast in SQL: drivers disagree on BigInt parameters. */
const big = (value: bigint | null | undefined) => (value === null || value === undefined ? null : value.toString());

export type Statement = { text: string; values: unknown[] };
/** Runs one parameterised statement: a Prisma transaction's $executeRawUnsafe or a raw driver query. */
export type RunSql = (text: string, values: unknown[]) => Promise<unknown>;

/** The usage reading with the higher (percent, used bytes, fewer remaining bytes) wins; ties keep what is there. */
const newerUsage = `(EXCLUDED."usagePercent", COALESCE(EXCLUDED."usedBytes", -1), -COALESCE(EXCLUDED."remainingBytes", -1))
  > (p."usagePercent", COALESCE(p."usedBytes", -1), -COALESCE(p."remainingBytes", -1))`;

export function projectionStatements(facts: Facts): Statement[] {
  const statements: Statement[] = [];
  const at = facts.at;
  if (facts.externalUserId) {
    const esimState = facts.esim?.state ?? null;
    const esimAt = facts.esim ? at : null;
    statements.push({
      text: `
      INSERT INTO "Traveler" AS t ("externalUserId", "firstSeenAt", "lastSeenAt", "iccid", "esimState", "esimStateAt", "lastEventType", "lastEventAt")
      VALUES ($1::text, $2::timestamptz, $3::timestamptz, $4::text, $5::text, $6::timestamptz, $7::text, $8::timestamptz)
      ON CONFLICT ("externalUserId") DO UPDATE SET
        "firstSeenAt" = LEAST(t."firstSeenAt", EXCLUDED."firstSeenAt"),
        "lastSeenAt" = GREATEST(t."lastSeenAt", EXCLUDED."lastSeenAt"),
        "iccid" = CASE WHEN EXCLUDED."esimStateAt" IS NOT NULL AND (t."esimStateAt" IS NULL
            OR (EXCLUDED."esimStateAt", EXCLUDED."esimState", EXCLUDED."iccid") > (t."esimStateAt", t."esimState", COALESCE(t."iccid", '')))
          THEN EXCLUDED."iccid" ELSE COALESCE(t."iccid", EXCLUDED."iccid") END,
        "esimState" = CASE WHEN EXCLUDED."esimStateAt" IS NOT NULL AND (t."esimStateAt" IS NULL
            OR (EXCLUDED."esimStateAt", EXCLUDED."esimState", EXCLUDED."iccid") > (t."esimStateAt", t."esimState", COALESCE(t."iccid", '')))
          THEN EXCLUDED."esimState" ELSE t."esimState" END,
        "esimStateAt" = GREATEST(t."esimStateAt", EXCLUDED."esimStateAt"),
        "lastEventType" = CASE WHEN t."lastEventAt" IS NULL
            OR (EXCLUDED."lastEventAt", EXCLUDED."lastEventType") > (t."lastEventAt", t."lastEventType")
          THEN EXCLUDED."lastEventType" ELSE t."lastEventType" END,
        "lastEventAt" = GREATEST(t."lastEventAt", EXCLUDED."lastEventAt")`,
      values: [facts.externalUserId, at, at, facts.esim?.iccid ?? null, esimState, esimAt, facts.eventType, at],
    });
  }

  if (facts.externalUserId && facts.bookingId) {
    const b = facts.booking;
    const cutoffAt = b?.withinCutoff ? at : null;
    const departAt = b?.aboutToDepart ? at : null;
    statements.push({
      text: `
      INSERT INTO "TravelerBooking" AS b ("bookingId", "externalUserId", "departureDate", "withinCutoffAt", "withinCutoffEsimInstalled",
        "aboutToDepartAt", "aboutToDepartEsimInstalled", "firstSeenAt", "lastSeenAt", "departsAt")
      VALUES ($1::text, $2::text, $3::text, $4::timestamptz, $5::boolean,
        $6::timestamptz, $7::boolean, $8::timestamptz, $9::timestamptz, $10::timestamptz)
      ON CONFLICT ("bookingId", "externalUserId") DO UPDATE SET
        -- departsAt is a function of departureDate, so it follows whichever text wins.
        "departsAt" = CASE WHEN EXCLUDED."departureDate" IS NOT NULL
            AND (b."departureDate" IS NULL OR EXCLUDED."departureDate" > b."departureDate")
          THEN EXCLUDED."departsAt" ELSE b."departsAt" END,
        "departureDate" = GREATEST(b."departureDate", EXCLUDED."departureDate"),
        "withinCutoffEsimInstalled" = CASE
          WHEN EXCLUDED."withinCutoffAt" IS NULL THEN b."withinCutoffEsimInstalled"
          WHEN b."withinCutoffAt" IS NULL OR EXCLUDED."withinCutoffAt" > b."withinCutoffAt" THEN EXCLUDED."withinCutoffEsimInstalled"
          WHEN EXCLUDED."withinCutoffAt" = b."withinCutoffAt" THEN (b."withinCutoffEsimInstalled" OR EXCLUDED."withinCutoffEsimInstalled")
          ELSE b."withinCutoffEsimInstalled" END,
        "withinCutoffAt" = GREATEST(b."withinCutoffAt", EXCLUDED."withinCutoffAt"),
        "aboutToDepartEsimInstalled" = CASE
          WHEN EXCLUDED."aboutToDepartAt" IS NULL THEN b."aboutToDepartEsimInstalled"
          WHEN b."aboutToDepartAt" IS NULL OR EXCLUDED."aboutToDepartAt" > b."aboutToDepartAt" THEN EXCLUDED."aboutToDepartEsimInstalled"
          WHEN EXCLUDED."aboutToDepartAt" = b."aboutToDepartAt" THEN (b."aboutToDepartEsimInstalled" OR EXCLUDED."aboutToDepartEsimInstalled")
          ELSE b."aboutToDepartEsimInstalled" END,
        "aboutToDepartAt" = GREATEST(b."aboutToDepartAt", EXCLUDED."aboutToDepartAt"),
        "firstSeenAt" = LEAST(b."firstSeenAt", EXCLUDED."firstSeenAt"),
        "lastSeenAt" = GREATEST(b."lastSeenAt", EXCLUDED."lastSeenAt")`,
      values: [
        facts.bookingId,
        facts.externalUserId,
        b?.departureDate ?? null,
        cutoffAt,
        b?.withinCutoff?.esimInstalled ?? null,
        departAt,
        b?.aboutToDepart?.esimInstalled ?? null,
        at,
        at,
        b?.departsAt ?? null,
      ],
    });
  }

  if (facts.pkg && facts.packageId && facts.externalUserId) {
    const p = facts.pkg;
    const u = p.usage;
    statements.push({
      text: `
      INSERT INTO "TravelerPackage" AS p ("packageId", "externalUserId", "bookingId", "destination", "size", "packageType",
        "activatedAt", "expiresAt", "usagePercent", "usedBytes", "remainingBytes", "durationDays", "elapsedDays", "remainingDays",
        "lastUsageAt", "firstSeenAt", "lastSeenAt")
      VALUES ($1::text, $2::text, $3::text, $4::text, $5::text, $6::text,
        $7::timestamptz, $8::timestamptz, $9::int, $10::bigint, $11::bigint,
        $12::int, $13::int, $14::int, $15::timestamptz, $16::timestamptz, $17::timestamptz)
      ON CONFLICT ("packageId") DO UPDATE SET
        "externalUserId" = GREATEST(p."externalUserId", EXCLUDED."externalUserId"),
        "bookingId" = GREATEST(p."bookingId", EXCLUDED."bookingId"),
        "destination" = GREATEST(p."destination", EXCLUDED."destination"),
        "size" = GREATEST(p."size", EXCLUDED."size"),
        "packageType" = GREATEST(p."packageType", EXCLUDED."packageType"),
        "activatedAt" = GREATEST(p."activatedAt", EXCLUDED."activatedAt"),
        "expiresAt" = GREATEST(p."expiresAt", EXCLUDED."expiresAt"),
        "durationDays" = GREATEST(p."durationDays", EXCLUDED."durationDays"),
        "usagePercent" = GREATEST(p."usagePercent", EXCLUDED."usagePercent"),
        "usedBytes" = CASE WHEN EXCLUDED."usagePercent" > 0 AND ${newerUsage} THEN EXCLUDED."usedBytes" ELSE p."usedBytes" END,
        "remainingBytes" = CASE WHEN EXCLUDED."usagePercent" > 0 AND ${newerUsage} THEN EXCLUDED."remainingBytes" ELSE p."remainingBytes" END,
        "elapsedDays" = GREATEST(p."elapsedDays", EXCLUDED."elapsedDays"),
        "remainingDays" = LEAST(p."remainingDays", EXCLUDED."remainingDays"),
        "lastUsageAt" = GREATEST(p."lastUsageAt", EXCLUDED."lastUsageAt"),
        "firstSeenAt" = LEAST(p."firstSeenAt", EXCLUDED."firstSeenAt"),
        "lastSeenAt" = GREATEST(p."lastSeenAt", EXCLUDED."lastSeenAt")`,
      values: [
        facts.packageId,
        facts.externalUserId,
        facts.bookingId,
        p.destination,
        p.size,
        p.packageType,
        p.activatedAt,
        p.expiresAt,
        u?.percent ?? 0,
        big(u?.usedBytes),
        big(u?.remainingBytes),
        p.durationDays,
        u?.elapsedDays ?? null,
        u?.remainingDays ?? null,
        u ? at : null,
        at,
        at,
      ],
    });

    if (u) {
      statements.push({
        text: `
        INSERT INTO "UsageSample" AS s ("packageId", "percent", "at", "externalUserId", "usedBytes", "remainingBytes")
        VALUES ($1::text, $2::int, $3::timestamptz, $4::text, $5::bigint, $6::bigint)
        ON CONFLICT ("packageId", "percent") DO UPDATE SET
          "at" = LEAST(s."at", EXCLUDED."at"),
          "externalUserId" = GREATEST(s."externalUserId", EXCLUDED."externalUserId"),
          "usedBytes" = GREATEST(s."usedBytes", EXCLUDED."usedBytes"),
          "remainingBytes" = LEAST(s."remainingBytes", EXCLUDED."remainingBytes")`,
        values: [facts.packageId, u.percent, at, facts.externalUserId, big(u.usedBytes), big(u.remainingBytes)],
      });
    }
  }

  if (facts.promo) {
    statements.push({
      text: `
      INSERT INTO "PromoRedemption" AS r ("promoCode", "bookingId", "redeemedAt")
      VALUES ($1::text, $2::text, $3::text)
      ON CONFLICT ("promoCode", "bookingId") DO UPDATE SET "redeemedAt" = LEAST(r."redeemedAt", EXCLUDED."redeemedAt")`,
      values: [facts.promo.promoCode, facts.promo.bookingId, facts.promo.redeemedAt],
    });
    // The code itself, marked redeemed: a code the console issued gains its redemption; one it did not issue is
    // kept as "issued outside the console" (intentId null) and claimed by its booking if that is stored later
    // (lib/promo-codes/store.ts). The earliest redemption wins; an outside code enters the list at it.
    statements.push({
      text: `
      INSERT INTO "PromoCode" AS c ("code", "redeemedAt", "redemptionBookingId", "firstSeenAt")
      VALUES ($1::text, $2::timestamptz, $3::text, $4::timestamptz)
      ON CONFLICT ("code") DO UPDATE SET
        "redemptionBookingId" = CASE WHEN c."redeemedAt" IS NULL
            OR (EXCLUDED."redeemedAt", EXCLUDED."redemptionBookingId") < (c."redeemedAt", c."redemptionBookingId")
          THEN EXCLUDED."redemptionBookingId" ELSE c."redemptionBookingId" END,
        "redeemedAt" = LEAST(c."redeemedAt", EXCLUDED."redeemedAt"),
        "firstSeenAt" = CASE WHEN c."intentId" IS NULL THEN LEAST(c."firstSeenAt", EXCLUDED."firstSeenAt")
          ELSE c."firstSeenAt" END`,
      values: [facts.promo.promoCode, facts.promo.redeemedOn, facts.promo.bookingId, facts.promo.redeemedOn],
    });
  }
  return statements;
}

export async function project(run: RunSql, facts: Facts): Promise<void> {
  for (const statement of projectionStatements(facts)) await run(statement.text, statement.values);
}

/**
 * The projection folded into the statement that stores the event: each upsert becomes a data-modifying CTE that
 * runs only if the event row was inserted (not a duplicate). One round trip instead of one per table.
 */
export function withProjection(insertEvent: Statement, facts: Facts | undefined): Statement {
  const values = [...insertEvent.values];
  const parts = [`ins AS (${insertEvent.text})`];
  for (const [index, statement] of (facts ? projectionStatements(facts) : []).entries()) {
    parts.push(`p${index} AS (${gatedStatement(statement.text, values.length)})`);
    values.push(...statement.values);
  }
  return { text: `WITH ${parts.join(",\n")}\nSELECT "id"::text AS id FROM ins`, values };
}

/** A few statement shapes at a few offsets: rewritten once each rather than with regexes on every event. */
const gatedCache = new Map<string, Map<number, string>>();

/** The upsert renumbered past the event's parameters, and run only if the event row was inserted. */
function gatedStatement(text: string, offset: number): string {
  let byOffset = gatedCache.get(text);
  if (!byOffset) gatedCache.set(text, (byOffset = new Map()));
  let gated = byOffset.get(offset);
  if (gated === undefined) {
    gated = text
      .replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`)
      .replace(/VALUES\s*\(([\s\S]*?)\)\s*ON CONFLICT/, "SELECT $1 WHERE EXISTS (SELECT 1 FROM ins) ON CONFLICT");
    byOffset.set(offset, gated);
  }
  return gated;
}
