import "server-only";
import { z } from "zod";
import { db } from "../db";
import { dayRange, pageParam, readListPage, withTextIds } from "../list-query";
import { calendarDateParam } from "../url-params";
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
