import "server-only";
import { z } from "zod";
import { db } from "../db";
import { calendarDateParam } from "../url-params";
import type { Prisma } from "../generated/prisma/client";

export const AUDIT_PAGE_SIZE = 50;

export const auditQuerySchema = z.object({
  q: z.string().trim().max(200).catch(""),
  result: z.enum(["all", "ok", "error", "refused"]).catch("all"),
  from: calendarDateParam,
  to: calendarDateParam,
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;

export async function listAuditEntries(query: AuditQuery) {
  const where: Prisma.AuditEntryWhereInput = {
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
    ...(query.from || query.to
      ? {
          at: {
            ...(query.from ? { gte: new Date(`${query.from}T00:00:00Z`) } : {}),
            ...(query.to ? { lt: new Date(new Date(`${query.to}T00:00:00Z`).getTime() + 86_400_000) } : {}),
          },
        }
      : {}),
  };
  const [rows, total] = await Promise.all([
    db().auditEntry.findMany({
      where,
      orderBy: [{ at: "desc" }, { id: "desc" }],
      skip: (query.page - 1) * AUDIT_PAGE_SIZE,
      take: AUDIT_PAGE_SIZE,
      select: {
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
      },
    }),
    db().auditEntry.count({ where }),
  ]);
  return { rows: rows.map((row) => ({ ...row, id: row.id.toString() })), total, pageSize: AUDIT_PAGE_SIZE };
}
