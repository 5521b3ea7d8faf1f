import "server-only";
import { z } from "zod";
import { db } from "../db";
import { dayRange, pageParam, readListPage, withTextIds } from "../list-query";
import { calendarDateParam } from "../url-params";
import type { Prisma } from "../generated/prisma/client";

/** Reads for the Hubby API log screen (/api-log): one ApiCall row per HTTP attempt to Hubby. */

export const API_LOG_PAGE_SIZE = 50;

export const apiLogOutcomes = ["all", "ok", "client_error", "server_error", "no_response", "failed"] as const;
export type ApiLogOutcome = (typeof apiLogOutcomes)[number];

/** Every parameter falls back to its default, so a hand-edited or stale URL shows the screen instead of an error. */
export const apiLogQuerySchema = z.object({
  q: z.string().trim().max(200).catch(""),
  /** An endpoint label such as "GET /native/user-dashboard", or "all". */
  endpoint: z
    .string()
    .trim()
    .max(200)
    .regex(/^(all|[A-Z]+ \/\S*)$/)
    .catch("all"),
  method: z.enum(["all", "GET", "POST"]).catch("all"),
  outcome: z.enum(apiLogOutcomes).catch("all"),
  from: calendarDateParam,
  to: calendarDateParam,
  page: pageParam(),
});
export type ApiLogQuery = z.infer<typeof apiLogQuerySchema>;

const outcomeWhere: Record<ApiLogOutcome, Prisma.ApiCallWhereInput> = {
  all: {},
  ok: { ok: true },
  client_error: { status: { gte: 400, lt: 500 } },
  server_error: { status: { gte: 500 } },
  no_response: { status: null },
  failed: { ok: false },
};

/** Prisma passes contains/startsWith to LIKE as is: escape its wildcards so "%" and "_" match themselves. */
function likeLiteral(value: string): string {
  return value.replace(/[\\%_]/g, "\\$&");
}

function whereFor(query: ApiLogQuery): Prisma.ApiCallWhereInput {
  const and: Prisma.ApiCallWhereInput[] = [];
  if (query.q) {
    and.push({
      OR: [
        { path: { contains: likeLiteral(query.q), mode: "insensitive" } },
        { externalUserId: query.q },
        { requestId: query.q },
        { staffEmail: { startsWith: likeLiteral(query.q.toLowerCase()) } },
      ],
    });
  }
  if (query.endpoint !== "all") and.push({ endpoint: query.endpoint });
  if (query.method !== "all") and.push({ method: query.method });
  if (query.outcome !== "all") and.push(outcomeWhere[query.outcome]);
  const days = dayRange(query.from, query.to);
  if (days) and.push({ at: days });
  return and.length > 0 ? { AND: and } : {};
}

/** Only the fields the screen shows. */
const listSelect = {
  id: true,
  at: true,
  method: true,
  endpoint: true,
  path: true,
  status: true,
  ok: true,
  durationMs: true,
  attempt: true,
  errorKind: true,
  errorCode: true,
  errorMessage: true,
  requestId: true,
  staffEmail: true,
  externalUserId: true,
} as const;

/** One page of calls matching the filter, newest first. */
export async function listApiCalls(query: ApiLogQuery) {
  const where = whereFor(query);
  return readListPage(
    { page: query.page, pageSize: API_LOG_PAGE_SIZE },
    {
      rows: (window) =>
        db()
          .apiCall.findMany({ where, orderBy: [{ at: "desc" }, { id: "desc" }], ...window, select: listSelect })
          .then(withTextIds),
      total: () => db().apiCall.count({ where }),
    },
  );
}
export type ApiCallRow = Awaited<ReturnType<typeof listApiCalls>>["rows"][number];

export type ApiCallSummary = {
  count: number;
  failures: number;
  /** Median duration in ms (nearest rank), null when nothing matches. */
  p50Ms: number | null;
  /** 95th percentile duration in ms (nearest rank), null when nothing matches. */
  p95Ms: number | null;
};

/**
 * Figures for every call matching the filter (not just the shown page). Percentiles use the nearest-rank method:
 * the duration at rank ceil(p × n) in ascending order, read with ORDER BY … OFFSET, so the same where clause as the
 * list applies and nothing is loaded into memory (identical on PGlite and PostgreSQL).
 */
export async function apiCallSummary(query: ApiLogQuery): Promise<ApiCallSummary> {
  const where = whereFor(query);
  const [count, failures] = await Promise.all([
    db().apiCall.count({ where }),
    db().apiCall.count({ where: { AND: [where, { ok: false }] } }),
  ]);
  if (count === 0) return { count, failures, p50Ms: null, p95Ms: null };
  const percentile = async (p: number) => {
    const row = await db().apiCall.findFirst({
      where,
      orderBy: [{ durationMs: "asc" }, { id: "asc" }],
      skip: Math.max(0, Math.ceil(p * count) - 1),
      select: { durationMs: true },
    });
    return row?.durationMs ?? null;
  };
  const [p50Ms, p95Ms] = await Promise.all([percentile(0.5), percentile(0.95)]);
  return { count, failures, p50Ms, p95Ms };
}

/** The endpoints that appear in the log, for the endpoint filter (GROUP BY in SQL, not a scan into memory). */
export async function listApiEndpoints(): Promise<string[]> {
  const groups = await db().apiCall.groupBy({ by: ["endpoint"], orderBy: { endpoint: "asc" } });
  return groups.map((group) => group.endpoint);
}

/**
 * One attempt with everything the detail page shows: the staff member's name (the row keeps their id and email as
 * they were), and every attempt of the same request, oldest first. Null when there is none with that id.
 */
export async function findApiCall(id: string) {
  if (!/^\d{1,18}$/.test(id)) return null;
  const call = await db().apiCall.findUnique({ where: { id: BigInt(id) } });
  if (!call) return null;
  const [staff, attempts] = await Promise.all([
    call.staffId
      ? db().staffUser.findUnique({ where: { id: call.staffId }, select: { name: true, email: true } })
      : null,
    db()
      .apiCall.findMany({
        where: { requestId: call.requestId },
        orderBy: [{ at: "asc" }, { id: "asc" }],
        take: 20,
        select: listSelect,
      })
      .then(withTextIds),
  ]);
  return { ...call, id: call.id.toString(), staffName: staff?.name ?? null, attempts };
}
export type ApiCallDetail = NonNullable<Awaited<ReturnType<typeof findApiCall>>>;
