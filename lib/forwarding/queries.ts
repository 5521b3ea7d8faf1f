import "server-only";
import { z } from "zod";
import { db, getDatabase } from "../db";
import type { Prisma } from "../generated/prisma/client";
import { pageParam, readListPage, withTextIds } from "../list-query";

/** The Forwarding screens' reads: the delivery log (filters in the URL), one message's attempts, endpoint health. */

export const FORWARD_LOG_PAGE_SIZE = 50;
export const messageStatuses = ["pending", "delivered", "failed"] as const;

const positiveId = z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional().catch(undefined);

export const forwardLogQuerySchema = z.object({
  endpoint: positiveId,
  event: positiveId,
  status: z.enum(["all", ...messageStatuses]).catch("all"),
  type: z.string().trim().max(200).catch(""),
  page: pageParam(),
});
export type ForwardLogQuery = z.infer<typeof forwardLogQuerySchema>;

function logWhere(query: ForwardLogQuery): Prisma.ForwardMessageWhereInput {
  return {
    ...(query.endpoint ? { endpointId: query.endpoint } : {}),
    ...(query.event ? { eventId: BigInt(query.event) } : {}),
    ...(query.status !== "all" ? { status: query.status } : {}),
    ...(query.type ? { eventType: query.type } : {}),
  };
}

export async function listForwardMessages(query: ForwardLogQuery) {
  const where = logWhere(query);
  const page = await readListPage(
    { page: query.page, pageSize: FORWARD_LOG_PAGE_SIZE },
    {
      rows: (window) =>
        db().forwardMessage.findMany({
          where,
          orderBy: { id: "desc" },
          ...window,
          select: {
            id: true,
            endpointId: true,
            eventId: true,
            webhookId: true,
            eventType: true,
            status: true,
            attempts: true,
            lastStatus: true,
            lastError: true,
            lastAttemptAt: true,
            nextAttemptAt: true,
            deliveredAt: true,
            receivedAt: true,
            endpoint: { select: { url: true } },
          },
        }),
      total: () => db().forwardMessage.count({ where }),
    },
  );
  return {
    ...page,
    rows: withTextIds(page.rows).map((row) => ({ ...row, eventId: row.eventId?.toString() ?? null })),
  };
}
export type ForwardMessageRow = Awaited<ReturnType<typeof listForwardMessages>>["rows"][number];

/** The attempts of one message, newest first, with the kept start of each reply. */
export async function attemptsOf(messageId: bigint) {
  const rows = await db().forwardAttempt.findMany({ where: { messageId }, orderBy: { id: "desc" }, take: 50 });
  return withTextIds(rows).map((row) => ({ ...row, messageId: row.messageId.toString() }));
}

export type EndpointHealth = {
  attempts: number;
  succeeded: number;
  /** Share of attempts that succeeded, 0..1, or null with no attempts. */
  successRate: number | null;
  p95LatencyMs: number | null;
  /** Per hour: attempts that succeeded and failed, and the p95 latency. */
  series: { hour: string; succeeded: number; failed: number; p95: number | null }[];
};

/** Success rate and p95 latency over the last `hours` hours per endpoint, aggregated in the database. */
export async function endpointHealth(endpointIds: number[], hours = 24, now = new Date()) {
  const since = new Date(now.getTime() - hours * 3_600_000);
  const health = new Map<number, EndpointHealth>();
  if (endpointIds.length === 0) return health;
  const { sql } = getDatabase();
  const [totals, hourly] = await Promise.all([
    sql.query<{ endpointId: number; attempts: number; succeeded: number; p95: number | null }>(
      `SELECT "endpointId", count(*)::int AS attempts, count(*) FILTER (WHERE succeeded)::int AS succeeded,
         percentile_cont(0.95) WITHIN GROUP (ORDER BY "latencyMs")::float8 AS p95
       FROM "ForwardAttempt" WHERE "endpointId" = ANY($1::int[]) AND at >= $2 GROUP BY "endpointId"`,
      [endpointIds, since],
    ),
    sql.query<{ endpointId: number; hour: Date; succeeded: number; failed: number; p95: number | null }>(
      `SELECT "endpointId", date_trunc('hour', at) AS hour, count(*) FILTER (WHERE succeeded)::int AS succeeded,
         count(*) FILTER (WHERE NOT succeeded)::int AS failed,
         percentile_cont(0.95) WITHIN GROUP (ORDER BY "latencyMs")::float8 AS p95
       FROM "ForwardAttempt" WHERE "endpointId" = ANY($1::int[]) AND at >= $2
       GROUP BY "endpointId", date_trunc('hour', at) ORDER BY hour`,
      [endpointIds, since],
    ),
  ]);
  for (const id of endpointIds) {
    const total = totals.find((row) => row.endpointId === id);
    const firstHour = Math.floor(since.getTime() / 3_600_000) + 1;
    const series = Array.from({ length: hours }, (_, index) => {
      const hour = new Date((firstHour + index) * 3_600_000);
      const row = hourly.find((entry) => entry.endpointId === id && new Date(entry.hour).getTime() === hour.getTime());
      return {
        hour: hour.toISOString(),
        succeeded: row?.succeeded ?? 0,
        failed: row?.failed ?? 0,
        p95: row?.p95 === null || row?.p95 === undefined ? null : Math.round(row.p95),
      };
    });
    health.set(id, {
      attempts: total?.attempts ?? 0,
      succeeded: total?.succeeded ?? 0,
      successRate: total && total.attempts > 0 ? total.succeeded / total.attempts : null,
      p95LatencyMs: total?.p95 === null || total?.p95 === undefined ? null : Math.round(total.p95),
      series,
    });
  }
  return health;
}

/**
 * Endpoints the console disabled (410, or 5 days of failures) and nobody enabled again: every console page says so
 * loudly to admins, and /api/metrics counts them. A paused endpoint (enabled off by staff) is not one of them.
 */
export async function disabledEndpoints() {
  const rows = await db().forwardEndpoint.findMany({
    where: { enabled: true, disabledAt: { not: null } },
    select: { id: true, url: true, disabledAt: true, disabledReason: true, source: true },
    orderBy: { id: "asc" },
  });
  return rows.map(({ source, ...row }) => ({ ...row, readOnly: source === "config" }));
}

/** Messages waiting per endpoint (not yet delivered nor failed). */
export async function pendingCounts(): Promise<Map<number, number>> {
  const rows = await db().forwardMessage.groupBy({
    by: ["endpointId"],
    where: { status: "pending" },
    _count: { _all: true },
  });
  return new Map(rows.map((row) => [row.endpointId, row._count._all]));
}

/**
 * Enabled endpoints the console disabled, or whose every attempt has failed since before `failingBefore`, with their
 * failed messages (the alerts' "forwarding endpoint failing or disabled" rule). An endpoint an admin switched off
 * is left out: whoever did it knows.
 */
export async function endpointsInTrouble(failingBefore: Date) {
  const endpoints = await db().forwardEndpoint.findMany({
    where: { enabled: true, OR: [{ disabledAt: { not: null } }, { failingSince: { lte: failingBefore } }] },
    select: { id: true, url: true, description: true, failingSince: true, disabledAt: true, disabledReason: true },
    orderBy: { id: "asc" },
  });
  if (endpoints.length === 0) return [];
  const failed = await db().forwardMessage.groupBy({
    by: ["endpointId"],
    where: { endpointId: { in: endpoints.map((endpoint) => endpoint.id) }, status: "failed" },
    _count: { _all: true },
  });
  const failedBy = new Map(failed.map((row) => [row.endpointId, row._count._all]));
  return endpoints.map((endpoint) => ({ ...endpoint, failedMessages: failedBy.get(endpoint.id) ?? 0 }));
}
