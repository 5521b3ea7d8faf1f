import "server-only";
import { db } from "../db";
import { Prisma } from "../generated/prisma/client";
import { campaignRowOfClientKey, promoCodesOfReply, type IssuedPromoCode } from "./codes";

/**
 * Storing the promo codes a settled booking returned. The codes are only in Hubby's reply, which the intent keeps
 * (BookingIntent.response): every path that settles an intent SENT stores them from there, in the same statement
 * where it can (a campaign row's settlement), otherwise right after it. storeMissingPromoCodes catches up what a
 * crash between the two left out. Every write is an upsert on the code, so storing twice changes nothing, and a
 * code whose redemption arrived first (the webhook projection wrote it as "issued outside the console") is claimed
 * by its booking with the redemption kept.
 */

export type PromoCodeOrigin = {
  intentId: string;
  hubbyBookingId: string | null;
  issuedAt: Date;
  campaignId: string | null;
  campaignLine: number | null;
};

export type PromoCodeBatch = { origin: PromoCodeOrigin; codes: IssuedPromoCode[] };

/** The origin of an intent's codes; a campaign row's intent carries its campaign and line in its client key. */
export function originOf(intent: {
  id: string;
  clientKey: string;
  hubbyBookingId: string | null;
  issuedAt: Date;
}): PromoCodeOrigin {
  const row = campaignRowOfClientKey(intent.clientKey);
  return {
    intentId: intent.id,
    hubbyBookingId: intent.hubbyBookingId,
    issuedAt: intent.issuedAt,
    campaignId: row?.campaignId ?? null,
    campaignLine: row?.line ?? null,
  };
}

const COLUMNS = Prisma.raw(`"code", "uuid", "claimUrl", "deepLinkUrl", "packageId", "packageSize", "destination",
  "iso3", "packageType", "packageDuration", "hubbyBookingId", "intentId", "campaignId", "campaignLine", "issuedAt",
  "firstSeenAt"`);

/**
 * One INSERT of the batches' codes; with `onlyIntents` (a subquery of intent ids), only the codes of those intents.
 * Null when there is no code to store.
 */
export function promoCodeInsert(
  batches: PromoCodeBatch[],
  options: { onlyIntents?: Prisma.Sql } = {},
): Prisma.Sql | null {
  const seen = new Set<string>();
  const rows: Prisma.Sql[] = [];
  for (const { origin, codes } of batches) {
    for (const code of codes) {
      // One statement may not upsert a row twice: a code repeated across batches is stored with its first booking.
      if (seen.has(code.code)) continue;
      seen.add(code.code);
      rows.push(Prisma.sql`(${code.code}::text, ${code.uuid}::text, ${code.claimUrl}::text, ${code.deepLinkUrl}::text,
        ${code.packageId}::text, ${code.packageSize}::text, ${code.destination}::text, ${code.iso3}::text,
        ${code.packageType}::text, ${code.packageDuration}::int, ${origin.hubbyBookingId}::text,
        ${origin.intentId}::uuid, ${origin.campaignId}::uuid, ${origin.campaignLine}::int,
        ${origin.issuedAt}::timestamptz, ${origin.issuedAt}::timestamptz)`);
    }
  }
  if (rows.length === 0) return null;
  const gate = options.onlyIntents ? Prisma.sql`WHERE v."intentId" IN (${options.onlyIntents})` : Prisma.empty;
  return Prisma.sql`INSERT INTO "PromoCode" (${COLUMNS})
    SELECT * FROM (VALUES ${Prisma.join(rows)}) AS v (${COLUMNS}) ${gate}
    ON CONFLICT ("code") DO UPDATE SET "uuid" = EXCLUDED."uuid", "claimUrl" = EXCLUDED."claimUrl",
      "deepLinkUrl" = EXCLUDED."deepLinkUrl", "packageId" = EXCLUDED."packageId",
      "packageSize" = EXCLUDED."packageSize", "destination" = EXCLUDED."destination", "iso3" = EXCLUDED."iso3",
      "packageType" = EXCLUDED."packageType", "packageDuration" = EXCLUDED."packageDuration",
      "hubbyBookingId" = EXCLUDED."hubbyBookingId", "intentId" = EXCLUDED."intentId",
      "campaignId" = EXCLUDED."campaignId", "campaignLine" = EXCLUDED."campaignLine",
      "issuedAt" = EXCLUDED."issuedAt", "firstSeenAt" = EXCLUDED."firstSeenAt"
    -- Only a code known so far from its redemption alone is claimed; a code of another booking stays that booking's.
    WHERE "PromoCode"."intentId" IS NULL`;
}

/**
 * The codes as a write in the statement that settles their intents (a SettlementWrite of lib/bookings/intents.ts:
 * settleSentIntents, settleSending): stored only for the intents that statement moved to SENT.
 */
export function promoCodesOfSettled(batches: PromoCodeBatch[]) {
  return (settled: { ids: Prisma.Sql }): Prisma.Sql | null => promoCodeInsert(batches, { onlyIntents: settled.ids });
}

type StoredIntent = {
  id: string;
  clientKey: string;
  hubbyBookingId: string | null;
  response: unknown;
  issuedAt: Date;
};

async function storeFrom(intents: StoredIntent[]): Promise<number> {
  const batches = intents.map((intent) => ({ origin: originOf(intent), codes: promoCodesOfReply(intent.response) }));
  const insert = promoCodeInsert(batches);
  return insert ? db().$executeRaw(insert) : 0;
}

const intentColumns = Prisma.sql`i."id"::text AS "id", i."clientKey", i."hubbyBookingId", i."response",
  COALESCE(i."settledAt", i."updatedAt") AS "issuedAt"`;

/** Stores the codes of these intents that are SENT (after reconcile, a retry, "mark as issued", a single send). */
export async function storePromoCodesOfIntents(ids: string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const intents = await db().$queryRaw<StoredIntent[]>`
    SELECT ${intentColumns} FROM "BookingIntent" i
    WHERE i."id" IN (${Prisma.join(ids.map((id) => Prisma.sql`${id}::uuid`))}) AND i."status" = 'SENT'
      AND i."response" -> 'promo_codes' IS NOT NULL`;
  return storeFrom(intents);
}

/**
 * The catch-up: SENT promo-code bookings whose reply holds codes none of which is stored (the process stopped
 * between the settlement and the codes' write), at most `limit` per call.
 */
export async function storeMissingPromoCodes(limit = 200): Promise<number> {
  const intents = await db().$queryRaw<StoredIntent[]>`
    SELECT ${intentColumns} FROM "BookingIntent" i
    WHERE i."kind" = 'promo_codes' AND i."status" = 'SENT'
      AND CASE WHEN jsonb_typeof(i."response" -> 'promo_codes') = 'array'
        THEN jsonb_array_length(i."response" -> 'promo_codes') > 0 ELSE false END
      AND NOT EXISTS (SELECT 1 FROM "PromoCode" c WHERE c."intentId" = i."id")
    -- Newest first: a reply whose codes cannot be read stays unmatched and must not hold back later ones.
    ORDER BY i."settledAt" DESC NULLS LAST, i."id"
    LIMIT ${limit}`;
  return storeFrom(intents);
}
