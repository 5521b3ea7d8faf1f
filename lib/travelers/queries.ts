import "server-only";
import { z } from "zod";
import { db } from "../db";
import { Prisma } from "../generated/prisma/client";

export const TRAVELER_PAGE_SIZE = 50;

export const travelerQuerySchema = z.object({
  q: z.string().trim().max(200).catch(""),
  sort: z.enum(["-lastSeenAt", "lastSeenAt", "externalUserId", "-externalUserId", "-usage"]).catch("-lastSeenAt"),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
});
export type TravelerQuery = z.infer<typeof travelerQuerySchema>;

export type TravelerRow = {
  externalUserId: string;
  iccid: string | null;
  esimState: string | null;
  activePackages: number;
  maxUsage: number | null;
  lastEventType: string | null;
  lastEventAt: string | null;
};

const orderBy: Record<TravelerQuery["sort"], Prisma.Sql> = {
  "-lastSeenAt": Prisma.sql`t."lastSeenAt" DESC, t."externalUserId"`,
  lastSeenAt: Prisma.sql`t."lastSeenAt" ASC, t."externalUserId"`,
  externalUserId: Prisma.sql`t."externalUserId" ASC`,
  "-externalUserId": Prisma.sql`t."externalUserId" DESC`,
  "-usage": Prisma.sql`"maxUsage" DESC NULLS LAST, t."externalUserId"`,
};

/**
 * Travelers known to the console, found by exact or prefix external_user_id, ICCID, booking id or package id.
 * Prefix matches use LIKE with the wildcards escaped.
 */
export async function searchTravelers(query: TravelerQuery) {
  const q = query.q;
  const prefix = `${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const where = q
    ? Prisma.sql`WHERE t."externalUserId" LIKE ${prefix} OR t."iccid" LIKE ${prefix}
        OR EXISTS (SELECT 1 FROM "TravelerBooking" b WHERE b."externalUserId" = t."externalUserId" AND b."bookingId" LIKE ${prefix})
        OR EXISTS (SELECT 1 FROM "TravelerPackage" p WHERE p."externalUserId" = t."externalUserId" AND p."packageId" LIKE ${prefix})`
    : Prisma.empty;
  const now = new Date();
  const [rows, count] = await Promise.all([
    db().$queryRaw<
      (Omit<TravelerRow, "activePackages" | "lastEventAt"> & { activePackages: bigint; lastEventAt: Date | null })[]
    >`
      SELECT t."externalUserId", t."iccid", t."esimState", t."lastEventType", t."lastEventAt",
        (SELECT COUNT(*) FROM "TravelerPackage" p WHERE p."externalUserId" = t."externalUserId"
           AND p."activatedAt" IS NOT NULL AND p."expiresAt" > ${now} AND p."usagePercent" < 100) AS "activePackages",
        (SELECT MAX(p."usagePercent") FROM "TravelerPackage" p WHERE p."externalUserId" = t."externalUserId") AS "maxUsage"
      FROM "Traveler" t ${where}
      ORDER BY ${orderBy[query.sort]}
      LIMIT ${TRAVELER_PAGE_SIZE} OFFSET ${(query.page - 1) * TRAVELER_PAGE_SIZE}`,
    db().$queryRaw<{ n: bigint }[]>`SELECT COUNT(*) AS n FROM "Traveler" t ${where}`,
  ]);
  return {
    rows: rows.map((row) => ({
      ...row,
      activePackages: Number(row.activePackages),
      maxUsage: row.maxUsage === null ? null : Number(row.maxUsage),
      lastEventAt: row.lastEventAt ? new Date(row.lastEventAt).toISOString() : null,
    })) satisfies TravelerRow[],
    total: Number(count[0]?.n ?? 0),
    pageSize: TRAVELER_PAGE_SIZE,
  };
}

/** The traveler an exact id (external_user_id, ICCID, booking id or package id) points to, if exactly one. */
export async function exactTravelerMatch(q: string): Promise<string | null> {
  if (!q) return null;
  const [byId, byIccid, byBooking, byPackage] = await Promise.all([
    db().traveler.findUnique({ where: { externalUserId: q }, select: { externalUserId: true } }),
    db().traveler.findMany({ where: { iccid: q }, select: { externalUserId: true }, take: 2 }),
    db().travelerBooking.findMany({ where: { bookingId: q }, select: { externalUserId: true }, take: 2 }),
    db().travelerPackage.findUnique({ where: { packageId: q }, select: { externalUserId: true } }),
  ]);
  if (byId) return byId.externalUserId;
  if (byIccid.length === 1) return byIccid[0]!.externalUserId;
  if (byBooking.length === 1) return byBooking[0]!.externalUserId;
  return byPackage?.externalUserId ?? null;
}
