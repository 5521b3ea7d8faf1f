import "server-only";
import { z } from "zod";
import { db } from "../db";
import { dayRange, pageParam, readListPage } from "../list-query";
import { calendarDateParam } from "../url-params";
import type { Prisma } from "../generated/prisma/client";
import { handledEvents } from "./envelope";
import { findStoredEvent } from "./stored";
import { refusalReasonsSince, refusalsSince } from "../audit/refusals";

export const WEBHOOK_PAGE_SIZE = 50;
export const webhookStatuses = ["processed", "unhandled", "failed", "quarantined"] as const;

const idParam = z.string().trim().max(200).optional().catch(undefined);

/** The inbox's URL state. Every field falls back to its default, so a hand-edited URL never errors. */
export const webhookQuerySchema = z.object({
  type: z.string().trim().max(200).catch(""),
  status: z.enum(["all", ...webhookStatuses]).catch("all"),
  from: calendarDateParam,
  to: calendarDateParam,
  user: idParam,
  booking: idParam,
  package: idParam,
  sort: z.enum(["-receivedAt", "receivedAt", "-eventAt", "eventAt"]).catch("-receivedAt"),
  page: pageParam(),
});
export type WebhookQuery = z.infer<typeof webhookQuerySchema>;

export function webhookWhere(query: Omit<WebhookQuery, "page" | "sort">): Prisma.WebhookEventWhereInput {
  return {
    ...(query.type ? { eventType: query.type } : {}),
    ...(query.status !== "all" ? { status: query.status } : {}),
    ...(query.user ? { externalUserId: query.user } : {}),
    ...(query.booking ? { bookingId: query.booking } : {}),
    ...(query.package ? { packageId: query.package } : {}),
    receivedAt: dayRange(query.from, query.to),
  };
}

export async function listWebhookEvents(query: WebhookQuery) {
  const where = webhookWhere(query);
  const direction = query.sort.startsWith("-") ? "desc" : "asc";
  const field = query.sort.replace(/^-/, "") as "receivedAt" | "eventAt";
  return readListPage(
    { page: query.page, pageSize: WEBHOOK_PAGE_SIZE },
    {
      rows: async (window) => {
        const rows = await db().webhookEvent.findMany({
          where,
          orderBy: [
            field === "eventAt" ? { eventAt: { sort: direction, nulls: "last" } } : { receivedAt: direction },
            { id: direction },
          ],
          ...window,
          select: {
            id: true,
            receivedAt: true,
            eventAt: true,
            eventType: true,
            status: true,
            error: true,
            duplicates: true,
            attempts: true,
            externalUserId: true,
            bookingId: true,
            packageId: true,
          },
        });
        return rows.map((row) => ({
          ...row,
          id: row.id.toString(),
          receivedAt: row.receivedAt.toISOString(),
          eventAt: row.eventAt?.toISOString() ?? null,
        }));
      },
      total: () => db().webhookEvent.count({ where }),
    },
  );
}
export type WebhookRow = Awaited<ReturnType<typeof listWebhookEvents>>["rows"][number];

/** Event types for the filter: the documented ones plus any other type that has arrived. */
export async function listEventTypes(): Promise<string[]> {
  const seen = await db().webhookEvent.findMany({ distinct: ["eventType"], select: { eventType: true }, take: 200 });
  return [...new Set([...handledEvents, ...seen.map((row) => row.eventType)])].sort();
}

export async function getWebhookEvent(id: string) {
  if (!/^\d{1,18}$/.test(id)) return null;
  const found = await findStoredEvent(BigInt(id));
  if (!found) return null;
  const { rawBytes, ...row } = found;
  return {
    ...row,
    /** Set when rawBody is only a rendering (the bytes were not UTF-8 text): how many exact bytes are kept. */
    exactByteCount: rawBytes ? rawBytes.length : null,
    id: row.id.toString(),
    receivedAt: row.receivedAt.toISOString(),
    eventAt: row.eventAt?.toISOString() ?? null,
    processedAt: row.processedAt?.toISOString() ?? null,
    lastDuplicateAt: row.lastDuplicateAt?.toISOString() ?? null,
    headers: row.headers as Record<string, string>,
  };
}
export type WebhookDetail = NonNullable<Awaited<ReturnType<typeof getWebhookEvent>>>;

// ── Health ──────────────────────────────────────────────────────────────────────────────────────────────────

export type WebhookHealth = Awaited<ReturnType<typeof webhookHealth>>;

/** Figures for the health panel over the last `hours`, bucketed per hour (UTC) by event type. */
export async function webhookHealth(options: { hours: number; now?: Date }) {
  const now = options.now ?? new Date();
  const since = new Date(now.getTime() - options.hours * 3_600_000);
  const [buckets, byStatus, authFailures, refusalReasons, duplicates, lag, lastEvent] = await Promise.all([
    db().$queryRaw<{ hour: Date; eventType: string; count: bigint }[]>`
      SELECT date_trunc('hour', "receivedAt") AS hour, "eventType", COUNT(*) AS count
      FROM "WebhookEvent" WHERE "receivedAt" >= ${since}
      GROUP BY 1, 2 ORDER BY 1`,
    db().webhookEvent.groupBy({ by: ["status"], where: { receivedAt: { gte: since } }, _count: { _all: true } }),
    refusalsSince("webhook", since),
    refusalReasonsSince("webhook", since, 8),
    db().webhookEvent.aggregate({ where: { lastDuplicateAt: { gte: since } }, _sum: { duplicates: true } }),
    // Delivery delay only over events whose own time is in the window too: backfilled history (replays,
    // imports, a sandbox's past) would otherwise read as hundreds of hours of lag. Those are counted apart.
    db().$queryRaw<{ p50: number | null; p95: number | null; backfilled: bigint }[]>`
      SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY lag) FILTER (WHERE NOT backfilled) AS p50,
        percentile_cont(0.95) WITHIN GROUP (ORDER BY lag) FILTER (WHERE NOT backfilled) AS p95,
        COUNT(*) FILTER (WHERE backfilled) AS backfilled
      FROM (SELECT EXTRACT(EPOCH FROM ("receivedAt" - "eventAt")) AS lag, "eventAt" < ${since} AS backfilled
            FROM "WebhookEvent" WHERE "receivedAt" >= ${since} AND "eventAt" IS NOT NULL) AS lags`,
    db().webhookEvent.findFirst({ orderBy: { receivedAt: "desc" }, select: { receivedAt: true } }),
  ]);

  const types = [...new Set(buckets.map((bucket) => bucket.eventType))].sort();
  const series: Record<string, number | string>[] = [];
  for (let index = options.hours - 1; index >= 0; index--) {
    const hour = new Date(Math.floor((now.getTime() - index * 3_600_000) / 3_600_000) * 3_600_000);
    const point: Record<string, number | string> = { hour: hour.toISOString() };
    for (const type of types) point[type] = 0;
    series.push(point);
  }
  const byHour = new Map(series.map((point) => [point.hour as string, point]));
  for (const bucket of buckets) {
    const point = byHour.get(new Date(bucket.hour).toISOString());
    if (point) point[bucket.eventType] = Number(bucket.count);
  }

  const counts = Object.fromEntries(webhookStatuses.map((status) => [status, 0])) as Record<
    (typeof webhookStatuses)[number],
    number
  >;
  for (const row of byStatus) counts[row.status] = row._count._all;
  const lastReceivedAt = lastEvent?.receivedAt ?? null;

  return {
    hours: options.hours,
    series,
    types,
    counts,
    total: Object.values(counts).reduce((sum, value) => sum + value, 0),
    authFailures,
    refusalReasons,
    /** Genuine (correctly signed) deliveries refused only for their age: likely Hubby's retries. */
    signedButOld: refusalReasons
      .filter((entry) => entry.reason.startsWith("stale_timestamp_signed"))
      .reduce((sum, entry) => sum + entry.count, 0),
    duplicates: duplicates._sum.duplicates ?? 0,
    lagSeconds: { p50: lag[0]?.p50 ?? null, p95: lag[0]?.p95 ?? null },
    /** Events received in the window whose event time lies before it: left out of the lag. */
    backfilledExcluded: Number(lag[0]?.backfilled ?? 0),
    lastReceivedAt: lastReceivedAt?.toISOString() ?? null,
  };
}
