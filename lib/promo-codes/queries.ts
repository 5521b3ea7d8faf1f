import "server-only";
import { db } from "../db";
import { Prisma } from "../generated/prisma/client";
import { dayRange, readListPage } from "../list-query";
import type { IssuedPromoCode } from "./codes";
import type { PromoCodeQuery } from "./filters";

export const PROMO_CODE_PAGE_SIZE = 50;
/** One export holds at most this many codes; a wider filter is refused with a message to narrow it. */
export const PROMO_CODE_EXPORT_MAX_ROWS = 50_000;
const EXPORT_BATCH = 1_000;

/** A stored code as the list shows it: what the booking's reply said (IssuedPromoCode) and what became of it. */
export type PromoCodeRow = IssuedPromoCode & {
  /** "issued" until Hubby reports a redemption, then "redeemed". */
  status: "issued" | "redeemed";
  /** Issued by a booking of this console, or known only from its redemption. */
  source: "console" | "outside";
  hubbyBookingId: string | null;
  intentId: string | null;
  campaignId: string | null;
  campaignName: string | null;
  campaignLine: number | null;
  issuedAt: string | null;
  redeemedAt: string | null;
  redemptionBookingId: string | null;
  firstSeenAt: string;
};

type RawRow = Omit<PromoCodeRow, "status" | "source" | "issuedAt" | "redeemedAt" | "firstSeenAt"> & {
  issuedAt: Date | null;
  redeemedAt: Date | null;
  firstSeenAt: Date;
};

const toRow = (row: RawRow): PromoCodeRow => ({
  ...row,
  status: row.redeemedAt ? "redeemed" : "issued",
  source: row.intentId ? "console" : "outside",
  issuedAt: row.issuedAt?.toISOString() ?? null,
  redeemedAt: row.redeemedAt?.toISOString() ?? null,
  firstSeenAt: row.firstSeenAt.toISOString(),
});

const likePrefix = (text: string) => `${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;

function conditions(query: PromoCodeQuery): Prisma.Sql[] {
  const where: Prisma.Sql[] = [];
  if (query.status === "issued") where.push(Prisma.sql`c."redeemedAt" IS NULL`);
  if (query.status === "redeemed") where.push(Prisma.sql`c."redeemedAt" IS NOT NULL`);
  if (query.source === "console") where.push(Prisma.sql`c."intentId" IS NOT NULL`);
  if (query.source === "outside") where.push(Prisma.sql`c."intentId" IS NULL`);
  if (query.campaign === "none") where.push(Prisma.sql`c."campaignId" IS NULL AND c."intentId" IS NOT NULL`);
  else if (query.campaign) where.push(Prisma.sql`c."campaignId" = ${query.campaign}::uuid`);
  if (query.intent) where.push(Prisma.sql`c."intentId" = ${query.intent}::uuid`);
  if (query.q) where.push(Prisma.sql`c."code" ILIKE ${likePrefix(query.q)}`);
  const column = query.dates === "redeemed" ? Prisma.sql`c."redeemedAt"` : Prisma.sql`c."issuedAt"`;
  const days = dayRange(query.from, query.to);
  if (days?.gte) where.push(Prisma.sql`${column} >= ${days.gte}::timestamptz`);
  if (days?.lt) where.push(Prisma.sql`${column} < ${days.lt}::timestamptz`);
  return where;
}

const whereClause = (query: PromoCodeQuery, extra: Prisma.Sql[] = []) => {
  const all = [...conditions(query), ...extra];
  return all.length ? Prisma.sql`WHERE ${Prisma.join(all, " AND ")}` : Prisma.empty;
};

const rowColumns = Prisma.sql`c."code", c."uuid", c."claimUrl", c."deepLinkUrl", c."packageId", c."packageSize",
  c."destination", c."iso3", c."packageType", c."packageDuration", c."hubbyBookingId", c."intentId"::text AS "intentId",
  c."campaignId"::text AS "campaignId", cam."name" AS "campaignName", c."campaignLine", c."issuedAt", c."redeemedAt",
  c."redemptionBookingId", c."firstSeenAt"`;

/** One page of codes matching the filter, newest first (issue time, or first redemption for outside codes). */
export async function listPromoCodes(query: PromoCodeQuery) {
  const where = whereClause(query);
  return readListPage(
    { page: query.page, pageSize: PROMO_CODE_PAGE_SIZE },
    {
      rows: async ({ skip, take }) => {
        const rows = await db().$queryRaw<RawRow[]>`
          SELECT ${rowColumns} FROM "PromoCode" c LEFT JOIN "Campaign" cam ON cam."id" = c."campaignId"
          ${where}
          ORDER BY c."firstSeenAt" DESC, c."code" DESC
          LIMIT ${take} OFFSET ${skip}`;
        return rows.map(toRow);
      },
      total: () => countPromoCodes(query),
    },
  );
}

export async function countPromoCodes(query: PromoCodeQuery): Promise<number> {
  const [row] = await db().$queryRaw<{ total: number }[]>`
    SELECT count(*)::int AS "total" FROM "PromoCode" c ${whereClause(query)}`;
  return row?.total ?? 0;
}

/** Every code matching the filter, in the list's order, in batches (keyset on the sort key). */
export async function* exportPromoCodes(query: PromoCodeQuery): AsyncGenerator<PromoCodeRow[]> {
  let after: { firstSeenAt: Date; code: string } | null = null;
  for (;;) {
    const keyset: Prisma.Sql[] = after
      ? [Prisma.sql`(c."firstSeenAt", c."code") < (${after.firstSeenAt}::timestamptz, ${after.code})`]
      : [];
    const rows: RawRow[] = await db().$queryRaw<RawRow[]>`
      SELECT ${rowColumns} FROM "PromoCode" c LEFT JOIN "Campaign" cam ON cam."id" = c."campaignId"
      ${whereClause(query, keyset)}
      ORDER BY c."firstSeenAt" DESC, c."code" DESC
      LIMIT ${EXPORT_BATCH}`;
    if (rows.length === 0) return;
    yield rows.map(toRow);
    const last = rows[rows.length - 1]!;
    after = { firstSeenAt: last.firstSeenAt, code: last.code };
    if (rows.length < EXPORT_BATCH) return;
  }
}

export type PromoCodeCounts = {
  /** Codes the console issued, and how many of them Hubby reported redeemed. */
  issued: number;
  redeemed: number;
  /** Redeemed codes the console did not issue (another channel of the partner's, or before the console). */
  outside: number;
  /** Per campaign (campaignId null: single bookings), most codes first. */
  byCampaign: { campaignId: string | null; name: string | null; issued: number; redeemed: number }[];
};

/** Issued vs redeemed overall and per campaign: one grouped count over the table. */
export async function promoCodeCounts(maxCampaigns = 20): Promise<PromoCodeCounts> {
  const groups = await db().$queryRaw<
    { campaignId: string | null; name: string | null; issued: number; redeemed: number; outside: number }[]
  >`
    SELECT g."campaignId"::text AS "campaignId", cam."name", g."issued", g."redeemed", g."outside"
    FROM (
      SELECT c."campaignId",
        count(*) FILTER (WHERE c."intentId" IS NOT NULL)::int AS "issued",
        count(*) FILTER (WHERE c."intentId" IS NOT NULL AND c."redeemedAt" IS NOT NULL)::int AS "redeemed",
        count(*) FILTER (WHERE c."intentId" IS NULL)::int AS "outside"
      FROM "PromoCode" c GROUP BY c."campaignId"
    ) g LEFT JOIN "Campaign" cam ON cam."id" = g."campaignId"
    ORDER BY g."issued" DESC, cam."name", g."campaignId"`;
  return {
    issued: groups.reduce((sum, group) => sum + group.issued, 0),
    redeemed: groups.reduce((sum, group) => sum + group.redeemed, 0),
    outside: groups.reduce((sum, group) => sum + group.outside, 0),
    byCampaign: groups
      .filter((group) => group.issued > 0)
      .slice(0, maxCampaigns)
      .map(({ campaignId, name, issued, redeemed }) => ({ campaignId, name, issued, redeemed })),
  };
}

/** The campaigns that issued codes, for the filter's choices. */
export async function campaignsWithPromoCodes() {
  return db().$queryRaw<{ id: string; name: string }[]>`
    SELECT cam."id"::text AS "id", cam."name" FROM "Campaign" cam
    WHERE cam."promoCodeRows" > 0 OR EXISTS (SELECT 1 FROM "PromoCode" c WHERE c."campaignId" = cam."id")
    ORDER BY cam."createdAt" DESC LIMIT 200`;
}

/** The codes one booking issued (its page lists them). */
export async function promoCodesOfIntent(intentId: string): Promise<PromoCodeRow[]> {
  const rows = await db().$queryRaw<RawRow[]>`
    SELECT ${rowColumns} FROM "PromoCode" c LEFT JOIN "Campaign" cam ON cam."id" = c."campaignId"
    WHERE c."intentId" = ${intentId}::uuid ORDER BY c."code" LIMIT 500`;
  return rows.map(toRow);
}
