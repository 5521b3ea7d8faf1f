import "server-only";
import { Prisma } from "../generated/prisma/client";
import type { Facts } from "./facts";

/**
 * Writes an event's facts into the console's model with upserts whose merge rules are order-independent and
 * idempotent: times only widen (LEAST/GREATEST), usage only moves up, a state applies only if it is newer (ties
 * broken by value), and fill-in fields keep the greatest non-null value. Any set of events applied in any order,
 * any number of times, gives the same rows (tests/integration/webhook-projection.test.ts proves it).
 */

type Tx = Pick<Prisma.TransactionClient, "$executeRaw">;

/** The usage reading with the higher (percent, used bytes, fewer remaining bytes) wins; ties keep what is there. */
const newerUsage = Prisma.sql`(EXCLUDED."usagePercent", COALESCE(EXCLUDED."usedBytes", -1), -COALESCE(EXCLUDED."remainingBytes", -1))
  > (p."usagePercent", COALESCE(p."usedBytes", -1), -COALESCE(p."remainingBytes", -1))`;

export async function project(tx: Tx, facts: Facts): Promise<void> {
  const at = facts.at;
  if (facts.externalUserId) {
    const esimState = facts.esim?.state ?? null;
    const esimAt = facts.esim ? at : null;
    await tx.$executeRaw`
      INSERT INTO "Traveler" AS t ("externalUserId", "firstSeenAt", "lastSeenAt", "iccid", "esimState", "esimStateAt", "lastEventType", "lastEventAt")
      VALUES (${facts.externalUserId}, ${at}, ${at}, ${facts.esim?.iccid ?? null}, ${esimState}, ${esimAt}, ${facts.eventType}, ${at})
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
        "lastEventAt" = GREATEST(t."lastEventAt", EXCLUDED."lastEventAt")`;
  }

  if (facts.externalUserId && facts.bookingId) {
    const b = facts.booking;
    const cutoffAt = b?.withinCutoff ? at : null;
    const departAt = b?.aboutToDepart ? at : null;
    await tx.$executeRaw`
      INSERT INTO "TravelerBooking" AS b ("bookingId", "externalUserId", "departureDate", "withinCutoffAt", "withinCutoffEsimInstalled",
        "aboutToDepartAt", "aboutToDepartEsimInstalled", "firstSeenAt", "lastSeenAt")
      VALUES (${facts.bookingId}, ${facts.externalUserId}, ${b?.departureDate ?? null}, ${cutoffAt}, ${b?.withinCutoff?.esimInstalled ?? null},
        ${departAt}, ${b?.aboutToDepart?.esimInstalled ?? null}, ${at}, ${at})
      ON CONFLICT ("bookingId", "externalUserId") DO UPDATE SET
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
        "lastSeenAt" = GREATEST(b."lastSeenAt", EXCLUDED."lastSeenAt")`;
  }

  if (facts.pkg && facts.packageId && facts.externalUserId) {
    const p = facts.pkg;
    const u = p.usage;
    await tx.$executeRaw`
      INSERT INTO "TravelerPackage" AS p ("packageId", "externalUserId", "bookingId", "destination", "size", "packageType",
        "activatedAt", "expiresAt", "usagePercent", "usedBytes", "remainingBytes", "durationDays", "elapsedDays", "remainingDays",
        "lastUsageAt", "firstSeenAt", "lastSeenAt")
      VALUES (${facts.packageId}, ${facts.externalUserId}, ${facts.bookingId}, ${p.destination}, ${p.size}, ${p.packageType},
        ${p.activatedAt}, ${p.expiresAt}, ${u?.percent ?? 0}, ${u?.usedBytes ?? null}::bigint, ${u?.remainingBytes ?? null}::bigint,
        ${p.durationDays}::int, ${u?.elapsedDays ?? null}::int, ${u?.remainingDays ?? null}::int, ${u ? at : null}, ${at}, ${at})
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
        "lastSeenAt" = GREATEST(p."lastSeenAt", EXCLUDED."lastSeenAt")`;

    if (u) {
      await tx.$executeRaw`
        INSERT INTO "UsageSample" AS s ("packageId", "percent", "at", "externalUserId", "usedBytes", "remainingBytes")
        VALUES (${facts.packageId}, ${u.percent}, ${at}, ${facts.externalUserId}, ${u.usedBytes}::bigint, ${u.remainingBytes}::bigint)
        ON CONFLICT ("packageId", "percent") DO UPDATE SET
          "at" = LEAST(s."at", EXCLUDED."at"),
          "externalUserId" = GREATEST(s."externalUserId", EXCLUDED."externalUserId"),
          "usedBytes" = GREATEST(s."usedBytes", EXCLUDED."usedBytes"),
          "remainingBytes" = LEAST(s."remainingBytes", EXCLUDED."remainingBytes")`;
    }
  }

  if (facts.promo) {
    await tx.$executeRaw`
      INSERT INTO "PromoRedemption" AS r ("promoCode", "bookingId", "redeemedAt")
      VALUES (${facts.promo.promoCode}, ${facts.promo.bookingId}, ${facts.promo.redeemedAt})
      ON CONFLICT ("promoCode", "bookingId") DO UPDATE SET "redeemedAt" = LEAST(r."redeemedAt", EXCLUDED."redeemedAt")`;
  }
}
