import "server-only";
import { z } from "zod";
import { may, type Asker } from "../auth/roles";
import { db } from "../db";
import { prefixPattern } from "../travelers/queries";
import { urlText } from "../url-params";

/**
 * The command palette's search: what an id (or the start of one) names, among what the asker's role may open.
 * Every lookup is an index lookup: prefixes on the text_pattern_ops indexes (external_user_id, ICCID, booking id,
 * package id), exact ids elsewhere (a booking's id, reference or Hubby booking id; a webhook event's id or event
 * id; a campaign's id). Campaign names, few per partner, are matched case-insensitively anywhere.
 */

export const SEARCH_MIN_LENGTH = 2;
export const SEARCH_LIMIT = 6;

export const searchQuerySchema = z.object({ q: urlText(200).trim().catch("") });

export type SearchResult = {
  kind: "traveler" | "booking" | "campaign" | "webhook";
  /** What the row says first (the id that matched, a campaign's name). */
  title: string;
  /** What it also is: which key matched, the booking's status, the event's type. */
  detail: string;
  href: string;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const WHOLE_NUMBER = /^\d{1,18}$/;

type TravelerHit = { externalUserId: string; key: string; matched: string };

/** Travelers whose external_user_id, ICCID, booking id or package id starts with q (each key its own index). */
async function travelerHits(q: string): Promise<SearchResult[]> {
  const pattern = prefixPattern(q);
  // `ORDER BY … USING ~<~` is the text_pattern_ops index's own (byte) order, so a prefix that matches nearly every
  // traveler (an ICCID's issuer digits) reads six index entries; ordered by the collation instead, PostgreSQL sorted
  // every match (94 ms at 100,000 travelers, 0.1 ms now).
  const rows = await db().$queryRaw<TravelerHit[]>`
    (SELECT "externalUserId", 'external_user_id' AS key, "externalUserId" AS matched FROM "Traveler"
      WHERE "externalUserId" LIKE ${pattern} ORDER BY "externalUserId" USING ~<~ LIMIT ${SEARCH_LIMIT})
    UNION ALL
    (SELECT "externalUserId", 'ICCID' AS key, "iccid" AS matched FROM "Traveler"
      WHERE "iccid" LIKE ${pattern} ORDER BY "iccid" USING ~<~ LIMIT ${SEARCH_LIMIT})
    UNION ALL
    (SELECT "externalUserId", 'booking id' AS key, "bookingId" AS matched FROM "TravelerBooking"
      WHERE "bookingId" LIKE ${pattern} ORDER BY "bookingId" USING ~<~ LIMIT ${SEARCH_LIMIT})
    UNION ALL
    (SELECT "externalUserId", 'package id' AS key, "packageId" AS matched FROM "TravelerPackage"
      WHERE "packageId" LIKE ${pattern} ORDER BY "packageId" USING ~<~ LIMIT ${SEARCH_LIMIT})`;
  const seen = new Set<string>();
  return rows
    .filter((row) => !seen.has(row.externalUserId) && seen.add(row.externalUserId))
    .slice(0, SEARCH_LIMIT)
    .map((row) => ({
      kind: "traveler" as const,
      title: row.externalUserId,
      detail: row.key === "external_user_id" ? "traveler" : `traveler · ${row.key} ${row.matched}`,
      href: `/travelers/${encodeURIComponent(row.externalUserId)}`,
    }));
}

async function bookingHits(q: string): Promise<SearchResult[]> {
  const rows = await db().bookingIntent.findMany({
    where: { OR: [...(UUID.test(q) ? [{ id: q }] : []), { reference: q }, { hubbyBookingId: q }] },
    select: { id: true, reference: true, hubbyBookingId: true, status: true, kind: true },
    take: SEARCH_LIMIT,
  });
  return rows.map((row) => ({
    kind: "booking" as const,
    title: row.hubbyBookingId ?? row.reference,
    detail: `booking · ${row.kind.replace("_", "-")} · ${row.status}`,
    href: `/bookings/${row.id}`,
  }));
}

async function campaignHits(q: string): Promise<SearchResult[]> {
  const rows = await db().campaign.findMany({
    where: { OR: [...(UUID.test(q) ? [{ id: q }] : []), { name: { contains: q, mode: "insensitive" as const } }] },
    orderBy: { createdAt: "desc" },
    select: { id: true, name: true, status: true },
    take: SEARCH_LIMIT,
  });
  return rows.map((row) => ({
    kind: "campaign" as const,
    title: row.name,
    detail: `campaign · ${row.status}`,
    href: `/campaigns/${row.id}`,
  }));
}

async function webhookHits(q: string): Promise<SearchResult[]> {
  // A dedupe key is found through WebhookDedupe (its primary key): WebhookEvent has no index on it.
  const claimed = await db().webhookDedupe.findUnique({ where: { dedupeKey: q }, select: { eventId: true } });
  const ids = [...(WHOLE_NUMBER.test(q) ? [BigInt(q)] : []), ...(claimed ? [claimed.eventId] : [])];
  if (ids.length === 0) return [];
  const rows = await db().webhookEvent.findMany({
    where: { id: { in: ids } },
    select: { id: true, eventType: true, eventId: true },
    take: SEARCH_LIMIT,
  });
  return rows.map((row) => ({
    kind: "webhook" as const,
    title: row.eventId ?? `#${row.id.toString()}`,
    detail: `webhook event #${row.id.toString()} · ${row.eventType}`,
    href: `/webhooks/${row.id.toString()}`,
  }));
}

/** What q names, grouped by kind, only among the kinds the asker's role may open. */
export async function searchEverything(asker: Asker, q: string): Promise<SearchResult[]> {
  // A webhook event's number may be a single digit; anything else needs two characters to narrow it.
  if (q.length < SEARCH_MIN_LENGTH && !WHOLE_NUMBER.test(q)) return [];
  const lookups: Promise<SearchResult[]>[] = [];
  if (may(asker, "travelers.search")) lookups.push(travelerHits(q));
  if (may(asker, "bookings.view")) lookups.push(bookingHits(q));
  if (may(asker, "campaigns.run")) lookups.push(campaignHits(q));
  if (may(asker, "webhooks.view")) lookups.push(webhookHits(q));
  return (await Promise.all(lookups)).flat();
}
