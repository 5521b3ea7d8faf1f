import "server-only";
import { db } from "../db";
import { Prisma } from "../generated/prisma/client";
import { campaignFunnel, type FunnelStep } from "../campaigns/funnel";
import { parseTravelerQuery, travelersHref } from "../travelers/filters";
import { searchTravelers, TRAVELER_LIST_WINDOW } from "../travelers/queries";
import { openIncidents } from "../alerts/incidents";
import { refusalsSince } from "../audit/refusals";
import { floorHour, HOUR_MS, hourlyCounts, lagFigures } from "../webhooks/rollup";
import { eventsPerDayAndType } from "./daily-events";
import type { OverviewRange } from "./range";

/**
 * The overview's figures, each aggregated in the database (a widget receives series of at most a year of daily
 * points, never rows). Every function answers one widget, so each streams on its own.
 */

/** The day of an instant in UTC as YYYY-MM-DD, whatever the session's time zone. */
const utcDay = (column: string) => Prisma.raw(`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD')`);

/** One point per day of the range, every key present (0 when the day has none). */
function dailySeries<Key extends string>(
  range: OverviewRange,
  keys: readonly Key[],
  rows: { day: string; key: Key; value: number }[],
): ({ day: string } & Record<Key, number>)[] {
  const points = new Map(
    range.days.map((day) => [
      day,
      { day, ...Object.fromEntries(keys.map((key) => [key, 0])) } as { day: string } & Record<Key, number>,
    ]),
  );
  for (const row of rows) {
    const point = points.get(row.day);
    if (point) (point as Record<string, number | string>)[row.key] = Number(point[row.key] ?? 0) + row.value;
  }
  return [...points.values()];
}

export const activityEvents = { installs: "esim.installed", activations: "package.activated" } as const;
export type ActivityKey = keyof typeof activityEvents;

/**
 * How long the travelers and active-package totals are shown before a view refreshes them. Counting them exactly
 * reads every traveler and every package (it grew 2.7× at 10× the data, docs/benchmarks.md "Growth"), so each
 * process counts them at most once per period, in the background of the view that finds them older, and the widget
 * says "as of" the time counted. A figure older than NOW_TOTALS_WAIT_MS (the process slept, or a test moved the
 * clock) is counted again before it is shown.
 */
export const NOW_TOTALS_MAX_AGE_MS = 5 * 60_000;
const NOW_TOTALS_WAIT_MS = 60 * 60_000;

export type NowTotals = { travelers: number; activePackages: number; asOf: Date };
let keptTotals: NowTotals | null = null;
let countingTotals: Promise<NowTotals> | null = null;

/** Counts the totals at `now`, once at a time however many views ask together. */
function countNowTotals(now: Date): Promise<NowTotals> {
  countingTotals ??= (async () => {
    const [travelers, activePackages] = await Promise.all([
      db().traveler.count(),
      db().travelerPackage.count({
        where: { activatedAt: { not: null }, expiresAt: { gt: now }, usagePercent: { lt: 100 } },
      }),
    ]);
    keptTotals = { travelers, activePackages, asOf: now };
    return keptTotals;
  })().finally(() => {
    countingTotals = null;
  });
  return countingTotals;
}

/**
 * Travelers known and packages active: exact as of `asOf`, at most NOW_TOTALS_MAX_AGE_MS before `now` in steady
 * use (a stale figure is shown once more, with its time, while the recount runs).
 */
export async function nowTotals(now: Date = new Date()): Promise<NowTotals> {
  const kept = keptTotals;
  const age = kept ? now.getTime() - kept.asOf.getTime() : Number.POSITIVE_INFINITY;
  if (!kept || age < 0 || age > NOW_TOTALS_WAIT_MS) return countNowTotals(now);
  if (age > NOW_TOTALS_MAX_AGE_MS) {
    // The view shows the kept figure with its time; a failed recount leaves it for the next view to retry.
    countNowTotals(now).catch(() => undefined);
  }
  return kept;
}

/** Tests start from nothing counted. */
export function forgetNowTotals() {
  keptTotals = null;
}

/**
 * Travelers known and packages active (nowTotals: counted every few minutes, with the time counted), and eSIM
 * installs and package activations per day of the range, as Hubby reported them (the webhooks received that day,
 * from the daily counts of lib/overview/daily-events.ts).
 */
export async function travelerActivity(range: OverviewRange, now: Date = new Date()) {
  const [totals, perDay] = await Promise.all([nowTotals(now), eventsPerDayAndType(range, now)]);
  const keyOf = Object.fromEntries(Object.entries(activityEvents).map(([key, type]) => [type, key])) as Record<
    string,
    ActivityKey
  >;
  const series = dailySeries(
    range,
    Object.keys(activityEvents) as ActivityKey[],
    perDay
      .filter((row) => keyOf[row.eventType] !== undefined)
      .map((row) => ({ day: row.day, key: keyOf[row.eventType]!, value: row.count })),
  );
  return {
    travelers: totals.travelers,
    activePackages: totals.activePackages,
    totalsAsOf: totals.asOf.toISOString(),
    installs: series.reduce((sum, point) => sum + point.installs, 0),
    activations: series.reduce((sum, point) => sum + point.activations, 0),
    series,
  };
}
export type TravelerActivity = Awaited<ReturnType<typeof travelerActivity>>;

/** The most event types drawn separately; the rest add up under "other". */
export const MAX_EVENT_TYPES = 8;
export const OTHER_EVENT_TYPE = "other";

/** Webhook events received per day by event type (the busiest types, the rest as "other"). */
export async function webhookEventsPerDay(range: OverviewRange, now: Date = new Date()) {
  const rows = await eventsPerDayAndType(range, now);
  const totals = new Map<string, number>();
  for (const row of rows) totals.set(row.eventType, (totals.get(row.eventType) ?? 0) + Number(row.count));
  const ranked = [...totals.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([type]) => type);
  const shown = ranked.length > MAX_EVENT_TYPES ? ranked.slice(0, MAX_EVENT_TYPES - 1) : ranked;
  const types = ranked.length > shown.length ? [...shown, OTHER_EVENT_TYPE] : shown;
  const series = dailySeries(
    range,
    types,
    rows.map((row) => ({
      day: row.day,
      key: shown.includes(row.eventType) ? row.eventType : OTHER_EVENT_TYPE,
      value: row.count,
    })),
  );
  return { types, series, total: [...totals.values()].reduce((sum, value) => sum + value, 0) };
}
export type WebhookEventsPerDay = Awaited<ReturnType<typeof webhookEventsPerDay>>;

/** The most destinations listed by name; the rest add up as one line. */
export const MAX_DESTINATIONS = 10;

/**
 * What the console's bookings cost at B2B and are worth at B2C, per day and per destination, in each currency: the
 * bookings Hubby confirmed (SENT), on the day they were written, priced as their preview quoted them from the
 * catalog. A booking's total is spread over its destinations by its quoted bundles (each traveler, or each promo
 * code, gets the same packages, so a bundle counts once per specification group sent).
 */
export async function spendAndValue(range: OverviewRange) {
  const sent = Prisma.sql`i."status" = 'SENT' AND i."createdAt" >= ${range.start} AND i."createdAt" < ${range.end}`;
  const [perDay, perDestination] = await Promise.all([
    db().$queryRaw<{ day: string; currency: string; cost: bigint; price: bigint; bookings: bigint }[]>`
      SELECT ${utcDay(`i."createdAt"`)} AS day, COALESCE(i."currency", 'EUR') AS currency,
        COALESCE(SUM(i."costCents"), 0)::bigint AS cost, COALESCE(SUM(i."priceCents"), 0)::bigint AS price,
        COUNT(*) AS bookings
      FROM "BookingIntent" i WHERE ${sent} GROUP BY 1, 2`,
    db().$queryRaw<{ destination: string; name: string; currency: string; cost: number; price: number }[]>`
      SELECT b->>'destinationId' AS destination, MAX(b->>'destinationName') AS name,
        COALESCE(i."currency", 'EUR') AS currency,
        SUM((b->>'b2bCents')::numeric * g.groups)::float8 AS cost,
        SUM((b->>'b2cCents')::numeric * g.groups)::float8 AS price
      FROM "BookingIntent" i
      CROSS JOIN LATERAL (SELECT GREATEST(1, jsonb_array_length(COALESCE(i."payload"->'package_specifications', '[]'::jsonb))
          / GREATEST(1, jsonb_array_length(COALESCE(i."quote"->'specs', '[]'::jsonb)))) AS groups) g
      CROSS JOIN LATERAL jsonb_array_elements(COALESCE(i."quote"->'specs', '[]'::jsonb)) s
      CROSS JOIN LATERAL jsonb_array_elements(COALESCE(s->'bundles', '[]'::jsonb)) b
      WHERE ${sent} AND jsonb_typeof(i."quote"->'specs') = 'array'
      GROUP BY 1, 3`,
  ]);
  const currencies = [...new Set(perDay.map((row) => row.currency))].sort();
  const byCurrency = currencies.map((currency) => {
    const rows = perDay.filter((row) => row.currency === currency);
    const series = dailySeries(
      range,
      ["costCents", "priceCents"] as const,
      rows.flatMap((row) => [
        { day: row.day, key: "costCents" as const, value: Number(row.cost) },
        { day: row.day, key: "priceCents" as const, value: Number(row.price) },
      ]),
    );
    const destinations = perDestination
      .filter((row) => row.currency === currency)
      .map((row) => ({
        destination: row.destination,
        name: row.name || row.destination,
        costCents: Math.round(row.cost),
        priceCents: Math.round(row.price),
      }))
      .sort((a, b) => b.costCents - a.costCents || a.name.localeCompare(b.name));
    const top = destinations.slice(0, MAX_DESTINATIONS);
    const rest = destinations.slice(MAX_DESTINATIONS);
    return {
      currency,
      bookings: rows.reduce((sum, row) => sum + Number(row.bookings), 0),
      costCents: rows.reduce((sum, row) => sum + Number(row.cost), 0),
      priceCents: rows.reduce((sum, row) => sum + Number(row.price), 0),
      series,
      destinations: top,
      otherDestinations: rest.length
        ? {
            count: rest.length,
            costCents: rest.reduce((sum, row) => sum + row.costCents, 0),
            priceCents: rest.reduce((sum, row) => sum + row.priceCents, 0),
          }
        : null,
    };
  });
  return { byCurrency };
}
export type SpendAndValue = Awaited<ReturnType<typeof spendAndValue>>;

/**
 * The at-risk queues are the travelers list's own filters, so the count here is the list a click opens, counted as
 * the list counts it (decision 0067): exactly up to TRAVELER_LIST_WINDOW, then "more than" that, so a view reads a
 * bounded number of index entries however many travelers match.
 */
export const atRiskQueues = [
  {
    id: "departing-not-installed",
    label: "Departing within 48 h, eSIM not installed",
    query: "esim=not_installed&departing=48&sort=departure",
  },
  { id: "removed", label: "eSIM removed, not reinstalled", query: "esim=removed" },
] as const;

export const AT_RISK_SHOWN = 5;

/** Each at-risk queue: how many travelers (up to the list's window), the first few and the list that shows them. */
export async function atRisk(now: Date = new Date()) {
  return Promise.all(
    atRiskQueues.map(async (queue) => {
      const query = parseTravelerQuery(queue.query);
      const page = await searchTravelers(query, now, { countUpTo: TRAVELER_LIST_WINDOW });
      return {
        id: queue.id,
        label: queue.label,
        count: page.total,
        countIsMore: page.totalIsMore,
        href: travelersHref(query),
        travelers: page.rows.slice(0, AT_RISK_SHOWN).map((row) => ({
          externalUserId: row.externalUserId,
          nextDepartureAt: row.nextDepartureAt,
        })),
      };
    }),
  );
}
export type AtRisk = Awaited<ReturnType<typeof atRisk>>;

export const RECENT_CAMPAIGNS = 5;

/** Running campaigns, then the latest others (at most RECENT_CAMPAIGNS in all), each with its funnel. */
export async function campaignsWithFunnel(): Promise<
  {
    id: string;
    name: string;
    status: string;
    createdAt: string;
    validCount: number;
    funnel: FunnelStep[];
  }[]
> {
  const select = { id: true, name: true, status: true, createdAt: true, validCount: true } as const;
  const [running, recent] = await Promise.all([
    db().campaign.findMany({
      where: { status: { in: ["running", "paused"] } },
      orderBy: { createdAt: "desc" },
      take: RECENT_CAMPAIGNS,
      select,
    }),
    db().campaign.findMany({ orderBy: { createdAt: "desc" }, take: RECENT_CAMPAIGNS, select }),
  ]);
  const seen = new Set<string>();
  const chosen = [...running, ...recent]
    .filter((campaign) => !seen.has(campaign.id) && seen.add(campaign.id))
    .slice(0, RECENT_CAMPAIGNS);
  return Promise.all(
    chosen.map(async (campaign) => ({
      ...campaign,
      status: String(campaign.status),
      createdAt: campaign.createdAt.toISOString(),
      funnel: await campaignFunnel(campaign.id),
    })),
  );
}
export type CampaignsWithFunnel = Awaited<ReturnType<typeof campaignsWithFunnel>>;

/** Webhooks received from windowStart on: how many, how many failed or quarantined, and their delivery delay. */
async function webhookFigures(windowStart: number) {
  const [hourly, lag] = await Promise.all([hourlyCounts({ from: windowStart, to: null }), lagFigures(windowStart)]);
  return {
    total: hourly.reduce((sum, row) => sum + row.events, 0),
    failed: hourly
      .filter((row) => row.status === "failed" || row.status === "quarantined")
      .reduce((sum, row) => sum + row.events, 0),
    lag,
  };
}

/** The window the health widget looks back over. */
export const HEALTH_HOURS = 24;

/**
 * Hubby API health (every HTTP attempt the console made in the last 24 h: failures, slow calls, the last failure)
 * and webhook health over the same window (received, failed or quarantined, refused for auth, delay from event to
 * receipt, the last one received). The API figures are a range on an indexed time column; the webhook figures come
 * from the inbox's hourly rollup over the same clock hours as the inbox's health panel (the current one included). Silence is the open "webhooks silent" alert incident,
 * as on the inbox: the threshold an admin set on /alerts/rules, acknowledged or not, says the same on both screens.
 */
export async function hubbyHealth(options: { now?: Date } = {}) {
  const now = options.now ?? new Date();
  const since = new Date(now.getTime() - HEALTH_HOURS * 3_600_000);
  const windowStart = floorHour(now.getTime()) - (HEALTH_HOURS - 1) * HOUR_MS;
  const [calls, lastFailure, webhooks, lastEvent, authFailures, [silence]] = await Promise.all([
    db().$queryRaw<{ total: bigint; failed: bigint; p95: number | null }[]>`
      SELECT COUNT(*) AS total, COUNT(*) FILTER (WHERE NOT "ok") AS failed,
        percentile_cont(0.95) WITHIN GROUP (ORDER BY "durationMs") AS p95
      FROM "ApiCall" WHERE "at" >= ${since}`,
    db().apiCall.findFirst({
      where: { at: { gte: since }, ok: false },
      orderBy: { at: "desc" },
      select: { at: true, endpoint: true, status: true, errorKind: true, errorMessage: true },
    }),
    // From the inbox's hourly rollup, over the same clock hours as the inbox's panel; delay only over events whose
    // own time is in the window too (backfilled history would read as hundreds of hours of lag), those counted apart.
    webhookFigures(windowStart),
    db().webhookEvent.findFirst({ orderBy: { receivedAt: "desc" }, select: { receivedAt: true } }),
    refusalsSince("webhook", new Date(windowStart)),
    openIncidents(["webhook_silence"]),
  ]);
  const total = Number(calls[0]?.total ?? 0);
  const failed = Number(calls[0]?.failed ?? 0);
  const lastReceivedAt = lastEvent?.receivedAt ?? null;
  return {
    hours: HEALTH_HOURS,
    api: {
      total,
      failed,
      failureRate: total ? failed / total : 0,
      p95Ms: calls[0]?.p95 === null || calls[0]?.p95 === undefined ? null : Math.round(Number(calls[0].p95)),
      lastFailure: lastFailure
        ? {
            at: lastFailure.at.toISOString(),
            endpoint: lastFailure.endpoint,
            status: lastFailure.status,
            error: lastFailure.errorMessage ?? lastFailure.errorKind ?? null,
          }
        : null,
    },
    webhooks: {
      total: webhooks.total,
      failed: webhooks.failed,
      authFailures,
      lastReceivedAt: lastReceivedAt?.toISOString() ?? null,
      lagSeconds: { p50: webhooks.lag.p50, p95: webhooks.lag.p95 },
      backfilledExcluded: webhooks.lag.backfilled,
      silence: silence
        ? {
            incidentId: silence.id,
            summary: silence.summary,
            acknowledgedBy: silence.acknowledgedAt ? (silence.acknowledgedByName ?? silence.acknowledgedByEmail) : null,
          }
        : null,
    },
  };
}
export type HubbyHealth = Awaited<ReturnType<typeof hubbyHealth>>;
