import "server-only";
import { z } from "zod";
import { db } from "../db";
import { dayRange, pageParam, readListPage, withTextIds } from "../list-query";
import { calendarDateParam } from "../url-params";
import { idsIn } from "./describe";
import type { Prisma } from "../generated/prisma/client";

export const AUDIT_PAGE_SIZE = 50;

export const auditQuerySchema = z.object({
  q: z.string().trim().max(200).catch(""),
  result: z.enum(["all", "ok", "error", "refused"]).catch("all"),
  /** An action, or the start of one (`travelers.` for every traveler read). */
  action: z.string().trim().max(100).catch(""),
  /** A traveler's external_user_id: entries about them, and reads that gave them out (exports). */
  traveler: z.string().trim().max(200).catch(""),
  from: calendarDateParam,
  to: calendarDateParam,
  page: pageParam(),
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;

const listSelect = {
  id: true,
  at: true,
  actorId: true,
  actorEmail: true,
  action: true,
  targetType: true,
  targetId: true,
  externalUserId: true,
  result: true,
  details: true,
  requestId: true,
} as const;

export async function listAuditEntries(query: AuditQuery) {
  const where: Prisma.AuditEntryWhereInput = {
    AND: [
      query.action ? { action: { startsWith: query.action } } : {},
      query.traveler
        ? {
            OR: [{ externalUserId: query.traveler }, { travelers: { some: { externalUserId: query.traveler } } }],
          }
        : {},
    ],
    ...(query.q
      ? {
          OR: [
            { action: { startsWith: query.q } },
            { actorEmail: { startsWith: query.q.toLowerCase() } },
            { targetId: query.q },
            { externalUserId: query.q },
            { requestId: query.q },
          ],
        }
      : {}),
    ...(query.result !== "all" ? { result: query.result } : {}),
    at: dayRange(query.from, query.to),
  };
  return readListPage(
    { page: query.page, pageSize: AUDIT_PAGE_SIZE },
    {
      rows: (window) =>
        db()
          .auditEntry.findMany({ where, orderBy: [{ at: "desc" }, { id: "desc" }], ...window, select: listSelect })
          .then(withTextIds),
      total: () => db().auditEntry.count({ where }),
    },
  );
}
export type AuditRow = Awaited<ReturnType<typeof listAuditEntries>>["rows"][number];

/**
 * Names for the ids an audit page shows (actors, staff and campaigns as targets, ids inside details): one query per
 * table for the whole page, so rows read "Ada Admin" rather than a uuid.
 */
export async function auditNames(
  rows: readonly { actorId?: string | null; targetId: string | null; details: unknown }[],
): Promise<Map<string, string>> {
  const ids = new Set<string>();
  for (const row of rows) {
    idsIn(row.details, ids);
    idsIn(row.targetId, ids);
    idsIn(row.actorId ?? null, ids);
  }
  if (ids.size === 0) return new Map();
  const wanted = [...ids];
  const [staff, campaigns] = await Promise.all([
    db().staffUser.findMany({ where: { id: { in: wanted } }, select: { id: true, name: true } }),
    db().campaign.findMany({ where: { id: { in: wanted } }, select: { id: true, name: true } }),
  ]);
  return new Map([...staff, ...campaigns].map((row) => [row.id.toLowerCase(), row.name]));
}

/** How many travelers of an export the detail page lists by id (the rest are counted). */
export const AUDIT_DETAIL_TRAVELERS = 50;

/** One audit entry with everything the detail page shows; null when there is none with that id. */
export async function findAuditEntry(id: string) {
  if (!/^\d{1,18}$/.test(id)) return null;
  const entry = await db().auditEntry.findUnique({
    where: { id: BigInt(id) },
    include: {
      travelers: { select: { externalUserId: true }, orderBy: { externalUserId: "asc" }, take: AUDIT_DETAIL_TRAVELERS },
      _count: { select: { travelers: true } },
    },
  });
  if (!entry) return null;
  const names = await auditNames([entry]);
  return { ...entry, id: entry.id.toString(), names };
}
export type AuditEntryDetail = NonNullable<Awaited<ReturnType<typeof findAuditEntry>>>;
