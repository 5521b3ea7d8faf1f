import "server-only";
import { z } from "zod";
import { db } from "../db";
import { dayRange, pageParam, readListPage } from "../list-query";
import { calendarDateParam } from "../url-params";
import type { Prisma } from "../generated/prisma/client";
import { handledEvents } from "./envelope";
import { findStoredEvent } from "./stored";
import { refusalReasonsSince, refusalsSince } from "../audit/refusals";
import { countEvents, floorHour, HOUR_MS, hourlyCounts, lagFigures, storedEventTypes, type TimeSpan } from "./rollup";

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
      total: () => countMatching(query, where),
    },
  );
}

/**
 * The inbox's total. Filters the hourly rollup can answer (type, status, whole days) are summed from it, with a live
 * count of the hours it does not hold yet (lib/webhooks/rollup.ts); a traveler, booking or package filter narrows
 * to that key's own index, so its count stays a count of the rows.
 */
function countMatching(query: Omit<WebhookQuery, "page" | "sort">, where: Prisma.WebhookEventWhereInput) {
  if (query.user || query.booking || query.package) return db().webhookEvent.count({ where });
  const days = dayRange(query.from, query.to);
  const span: TimeSpan = { from: days?.gte?.getTime() ?? -Infinity, to: days?.lt?.getTime() ?? null };
  // The span replaces the day range: the live count covers only the hours the rollup does not hold.
  const filters = { ...where };
  delete filters.receivedAt;
  return countEvents(
    { eventType: query.type || undefined, status: query.status === "all" ? undefined : query.status, span },
    (spans) =>
      db().webhookEvent.count({
        where: {
          ...filters,
          OR: spans.map((part) => ({
            receivedAt: { gte: new Date(part.from), ...(part.to === null ? {} : { lt: new Date(part.to) }) },
          })),
        },
      }),
  );
}
export type WebhookRow = Awaited<ReturnType<typeof listWebhookEvents>>["rows"][number];

/**
 * Event types for the filter: the documented ones plus any other type that has arrived, read from the hourly rollup
 * and the events it has not reached (storedEventTypes), so the list costs the same however many events are stored.
 */
export async function listEventTypes(): Promise<string[]> {
  const seen = await storedEventTypes(200);
  return [...new Set([...handledEvents, ...seen])].sort();
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

/**
 * Figures for the health panel over the last `hours` clock hours (UTC), the current one included: the hours its
 * chart draws, per hour and event type. Counts, duplicates and delay come from the hourly rollup plus a live count
 * of what it does not hold yet (lib/webhooks/rollup.ts, docs/decisions/0065-webhook-hourly-rollup.md); the delay
 * percentiles from its histogram, within a few percent of the exact figure. Duplicates are the later deliveries of
 * the events received in the window.
 */
export async function webhookHealth(options: { hours: number; now?: Date }) {
  const now = options.now ?? new Date();
  const windowStart = floorHour(now.getTime()) - (options.hours - 1) * HOUR_MS;
  const since = new Date(windowStart);
  const [hourly, authFailures, refusalReasons, lag, lastEvent] = await Promise.all([
    hourlyCounts({ from: windowStart, to: null }),
    refusalsSince("webhook", since),
    refusalReasonsSince("webhook", since, 8),
    lagFigures(windowStart),
    db().webhookEvent.findFirst({ orderBy: { receivedAt: "desc" }, select: { receivedAt: true } }),
  ]);
  const perHourAndType = new Map<string, { hour: number; eventType: string; count: number }>();
  const byStatus = new Map<string, number>();
  let duplicates = 0;
  for (const row of hourly) {
    const key = `${row.hour}|${row.eventType}`;
    const entry = perHourAndType.get(key) ?? { hour: row.hour, eventType: row.eventType, count: 0 };
    entry.count += row.events;
    perHourAndType.set(key, entry);
    byStatus.set(row.status, (byStatus.get(row.status) ?? 0) + row.events);
    duplicates += row.duplicates;
  }
  const buckets = [...perHourAndType.values()];

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
    if (point) point[bucket.eventType] = bucket.count;
  }

  const counts = Object.fromEntries(webhookStatuses.map((status) => [status, 0])) as Record<
    (typeof webhookStatuses)[number],
    number
  >;
  for (const [status, count] of byStatus) counts[status as (typeof webhookStatuses)[number]] = count;
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
    duplicates,
    lagSeconds: { p50: lag.p50, p95: lag.p95 },
    /** Events received in the window whose event time lies before it: left out of the lag. */
    backfilledExcluded: lag.backfilled,
    lastReceivedAt: lastReceivedAt?.toISOString() ?? null,
  };
}
