import "server-only";
import { refusalsSince } from "../audit/refusals";
import { db } from "../db";
import { endpointsInTrouble } from "../forwarding/queries";
import { searchTravelers, travelerQuerySchema } from "../travelers/queries";
import { filterParams } from "../travelers/filters";
import type { AlertRuleKey, RuleSettings } from "./rules";

/**
 * What each rule finds true right now: one finding per scope (the whole console, or one campaign). Read-only; the
 * incidents (lib/alerts/incidents.ts) decide what is new, still true or over.
 */

export type Finding = {
  /** "" for the whole console; "campaign:<id>" for one campaign. */
  scope: string;
  title: string;
  summary: string;
  link: string;
  details?: Record<string, unknown>;
};

export type DigestTraveler = { externalUserId: string; link: string; note: string };

const MINUTE = 60_000;
const HOUR = 3_600_000;
/** A digest names this many travelers; the link opens the full list. */
export const DIGEST_LIMIT = 50;

const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

async function webhookSilence(settings: RuleSettings, now: Date): Promise<Finding[]> {
  const [last, activePackages] = await Promise.all([
    db().webhookEvent.findFirst({ orderBy: { receivedAt: "desc" }, select: { receivedAt: true } }),
    db().travelerPackage.count({
      where: { activatedAt: { not: null }, expiresAt: { gt: now }, usagePercent: { lt: 100 } },
    }),
  ]);
  const silentMs = last ? now.getTime() - last.receivedAt.getTime() : null;
  if (activePackages === 0 || (silentMs !== null && silentMs <= settings.threshold * HOUR)) return [];
  return [
    {
      scope: "",
      title: `No webhook for more than ${settings.threshold} hours`,
      summary:
        `No webhook has arrived for more than ${settings.threshold} hours while ${plural(activePackages, "package")} ` +
        `are active (last one: ${last ? last.receivedAt.toISOString() : "never"}). Check the webhook URL and key ` +
        `with Hubby, and refresh travelers from Hubby.`,
      link: "/webhooks",
      details: { hours: settings.threshold, activePackages, lastReceivedAt: last?.receivedAt.toISOString() ?? null },
    },
  ];
}

async function webhookAuthFailures(settings: RuleSettings, now: Date): Promise<Finding[]> {
  const count = await refusalsSince("webhook", new Date(now.getTime() - 10 * MINUTE));
  if (count <= settings.threshold) return [];
  return [
    {
      scope: "",
      title: `${plural(count, "webhook")} refused in 10 minutes`,
      summary: `${plural(count, "webhook delivery", "webhook deliveries")} failed authentication in the last 10 minutes (alert above ${settings.threshold}): a wrong key or signature at Hubby, or forged requests.`,
      link: "/webhooks",
      details: { count },
    },
  ];
}

async function webhookFailedEvents(settings: RuleSettings, now: Date): Promise<Finding[]> {
  const since = new Date(now.getTime() - 24 * HOUR);
  const grouped = await db().webhookEvent.groupBy({
    by: ["status"],
    where: {
      status: { in: ["failed", "quarantined"] },
      receivedAt: { gte: since },
      ...(settings.scope ? { eventType: settings.scope } : {}),
    },
    _count: { _all: true },
  });
  const counts = { failed: 0, quarantined: 0 };
  for (const row of grouped) counts[row.status as "failed" | "quarantined"] = row._count._all;
  const total = counts.failed + counts.quarantined;
  if (total <= settings.threshold) return [];
  const status = counts.failed >= counts.quarantined ? "failed" : "quarantined";
  const params = new URLSearchParams({ status, ...(settings.scope ? { type: settings.scope } : {}) });
  return [
    {
      scope: "",
      title: `${plural(total, "webhook event")} failed or quarantined`,
      summary: `In the last 24 hours ${counts.failed} event(s) failed and ${counts.quarantined} were quarantined${settings.scope ? ` (${settings.scope})` : ""}. Open them, fix the cause and replay.`,
      link: `/webhooks?${params}`,
      details: counts,
    },
  ];
}

async function webhookLag(settings: RuleSettings, now: Date): Promise<Finding[]> {
  const since = new Date(now.getTime() - HOUR);
  const [row] = await db().$queryRaw<{ p95: number | null; n: bigint }[]>`
    SELECT percentile_cont(0.95) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM ("receivedAt" - "eventAt"))) AS p95,
           COUNT(*) AS n
    FROM "WebhookEvent" WHERE "receivedAt" >= ${since} AND "eventAt" IS NOT NULL`;
  const p95 = row?.p95 === null || row?.p95 === undefined ? null : Number(row.p95);
  if (p95 === null || p95 <= settings.threshold) return [];
  return [
    {
      scope: "",
      title: `Webhook lag p95 is ${Math.round(p95)} s`,
      summary: `Over the last hour, 95 % of ${plural(Number(row!.n), "event")} arrived within ${Math.round(p95)} s of their own timestamp (alert above ${settings.threshold} s): Hubby is delivering late or retrying.`,
      link: "/webhooks",
      details: { p95Seconds: Math.round(p95), events: Number(row!.n) },
    },
  ];
}

async function recentApiCalls(settings: RuleSettings, now: Date) {
  return db().apiCall.findMany({
    where: {
      at: { gte: new Date(now.getTime() - 15 * MINUTE) },
      ...(settings.scope ? { endpoint: settings.scope } : {}),
    },
    select: { ok: true, durationMs: true },
  });
}

const apiLogLink = (scope: string) => (scope ? `/api-log?${new URLSearchParams({ endpoint: scope })}` : "/api-log");

async function hubbyErrorRate(settings: RuleSettings, now: Date): Promise<Finding[]> {
  const calls = await recentApiCalls(settings, now);
  if (calls.length < 5) return [];
  const failed = calls.filter((call) => !call.ok).length;
  const rate = (failed / calls.length) * 100;
  if (rate <= settings.threshold) return [];
  return [
    {
      scope: "",
      title: `Hubby API errors at ${rate.toFixed(0)} %`,
      summary: `${failed} of ${calls.length} calls to Hubby${settings.scope ? ` (${settings.scope})` : ""} failed in the last 15 minutes (alert above ${settings.threshold} %).`,
      link: apiLogLink(settings.scope),
      details: { failed, calls: calls.length, rate: Math.round(rate * 10) / 10 },
    },
  ];
}

async function hubbyLatency(settings: RuleSettings, now: Date): Promise<Finding[]> {
  const calls = await recentApiCalls(settings, now);
  if (calls.length === 0) return [];
  const sorted = calls.map((call) => call.durationMs).sort((a, b) => a - b);
  const p95 = sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)]!;
  if (p95 <= settings.threshold) return [];
  return [
    {
      scope: "",
      title: `Hubby API p95 latency ${p95} ms`,
      summary: `95 % of ${plural(calls.length, "call")} to Hubby${settings.scope ? ` (${settings.scope})` : ""} in the last 15 minutes took up to ${p95} ms (alert above ${settings.threshold} ms).`,
      link: apiLogLink(settings.scope),
      details: { p95Ms: p95, calls: calls.length },
    },
  ];
}

async function hubbyUnreachable(settings: RuleSettings, now: Date): Promise<Finding[]> {
  const latest = await db().apiCall.findMany({
    where: { at: { gte: new Date(now.getTime() - 15 * MINUTE) } },
    orderBy: { id: "desc" },
    take: settings.threshold,
    select: { status: true, errorKind: true, errorMessage: true, at: true },
  });
  // No HTTP status at all: the connection failed or timed out (an HTTP error is Hubby answering).
  if (latest.length < settings.threshold || latest.some((call) => call.status !== null)) return [];
  return [
    {
      scope: "",
      title: "Hubby is unreachable",
      summary: `The last ${plural(latest.length, "call")} to Hubby got no reply (${latest[0]!.errorKind ?? "network"}: ${latest[0]!.errorMessage ?? "no detail"}).`,
      link: "/api-log",
      details: { calls: latest.length, lastError: latest[0]!.errorMessage },
    },
  ];
}

const campaignLink = (id: string) => `/campaigns/${id}`;

async function campaignFinished(settings: RuleSettings, now: Date): Promise<Finding[]> {
  const campaigns = await db().campaign.findMany({
    where: { status: "done", finishedAt: { gte: new Date(now.getTime() - settings.threshold * HOUR) } },
    select: { id: true, name: true, validCount: true, finishedAt: true },
    orderBy: { finishedAt: "desc" },
    take: 100,
  });
  return campaigns.map((campaign) => ({
    scope: `campaign:${campaign.id}`,
    title: `Campaign "${campaign.name}" finished`,
    summary: `Campaign "${campaign.name}" finished sending its ${plural(campaign.validCount, "row")} at ${campaign.finishedAt!.toISOString()}.`,
    link: campaignLink(campaign.id),
  }));
}

async function campaignBreakerPaused(settings: RuleSettings, now: Date): Promise<Finding[]> {
  const campaigns = await db().campaign.findMany({
    where: {
      status: "paused",
      statusNote: { startsWith: "Paused by the circuit breaker" },
      updatedAt: { lte: new Date(now.getTime() - settings.threshold * MINUTE) },
    },
    select: { id: true, name: true, statusNote: true },
    take: 100,
  });
  return campaigns.map((campaign) => ({
    scope: `campaign:${campaign.id}`,
    title: `Campaign "${campaign.name}" paused by its circuit breaker`,
    summary: `${campaign.statusNote} Check Hubby, then resume the campaign.`,
    link: campaignLink(campaign.id),
  }));
}

async function campaignEndedWithProblems(settings: RuleSettings): Promise<Finding[]> {
  const rows = await db().$queryRaw<{ id: string; name: string; failed: bigint; review: bigint }[]>`
    SELECT c.id::text AS id, c.name,
           COUNT(*) FILTER (WHERE r.state = 'failed') AS failed,
           COUNT(*) FILTER (WHERE r.state IN ('review', 'unknown')) AS review
    FROM "Campaign" c JOIN "CampaignRow" r ON r."campaignId" = c.id
    WHERE c.status IN ('done', 'cancelled') AND r.state IN ('failed', 'review', 'unknown')
    GROUP BY c.id, c.name
    HAVING COUNT(*) > ${Math.floor(settings.threshold)}
    LIMIT 100`;
  return rows.map((row) => {
    const failed = Number(row.failed);
    const review = Number(row.review);
    return {
      scope: `campaign:${row.id}`,
      title: `Campaign "${row.name}" ended with ${failed} failed and ${review} to review`,
      summary: `Campaign "${row.name}" ended with ${plural(failed, "failed row")} and ${plural(review, "row")} waiting for review.`,
      link: `${campaignLink(row.id)}?rows=${review > 0 ? "review" : "failed"}`,
      details: { failed, review },
    };
  });
}

/** The travelers of a travelers-list filter, as the list shows them (same query, same link). */
async function travelerDigest(query: string, now: Date) {
  const parsed = travelerQuerySchema.parse(Object.fromEntries(new URLSearchParams(query)));
  const { rows, total } = await searchTravelers({ ...parsed, page: 1 }, now);
  return { rows: rows.slice(0, DIGEST_LIMIT), total, link: `/travelers?${filterParams(parsed)}` };
}

async function departuresNotInstalled(settings: RuleSettings, now: Date): Promise<Finding[]> {
  const hours = Math.round(settings.threshold);
  const { rows, total, link } = await travelerDigest(`esim=not_installed&departing=${hours}&sort=departure`, now);
  if (total === 0) return [];
  const travelers: DigestTraveler[] = rows.map((row) => ({
    externalUserId: row.externalUserId,
    link: `/travelers/${encodeURIComponent(row.externalUserId)}`,
    note: `departs ${row.nextDepartureAt ?? "soon"}${row.nextDepartureDateOnly ? " (date only)" : ""}`,
  }));
  return [
    {
      scope: "",
      title: `${plural(total, "traveler")} departing within ${hours} h without an installed eSIM`,
      summary: `${plural(total, "traveler")} depart within ${hours} hours and have not installed their eSIM.`,
      link: `${link}&sort=departure`,
      details: { total, travelers },
    },
  ];
}

async function usageCrossed80(settings: RuleSettings, now: Date): Promise<Finding[]> {
  const days = Math.round(settings.threshold);
  const { rows, total, link } = await travelerDigest(`crossed=80&crossedDays=${days}&sort=-usage`, now);
  if (total === 0) return [];
  const travelers: DigestTraveler[] = rows.map((row) => ({
    externalUserId: row.externalUserId,
    link: `/travelers/${encodeURIComponent(row.externalUserId)}`,
    note: row.usagePercent === null ? "no current package" : `${row.usagePercent} % used`,
  }));
  return [
    {
      scope: "",
      title: `${plural(total, "traveler")} crossed 80 % of their data`,
      summary: `${plural(total, "traveler")} crossed 80 % of a package in the last ${plural(days, "day")}: offer a top-up.`,
      link: `${link}&sort=-usage`,
      details: { total, travelers },
    },
  ];
}

async function bookingIntentUnknown(settings: RuleSettings, now: Date): Promise<Finding[]> {
  const cutoff = new Date(now.getTime() - settings.threshold * MINUTE);
  const [count, oldest] = await Promise.all([
    db().bookingIntent.count({ where: { status: "UNKNOWN", updatedAt: { lte: cutoff } } }),
    db().bookingIntent.findFirst({
      where: { status: "UNKNOWN", updatedAt: { lte: cutoff } },
      orderBy: { updatedAt: "asc" },
      select: { id: true, updatedAt: true },
    }),
  ]);
  if (count === 0) return [];
  return [
    {
      scope: "",
      title: `${plural(count, "booking")} UNKNOWN for more than ${settings.threshold} min`,
      summary: `${plural(count, "booking")} lost Hubby's reply more than ${settings.threshold} minutes ago and are not settled yet (oldest since ${oldest!.updatedAt.toISOString()}). Reconcile or review them; never send them again before Hubby shows them absent.`,
      link: count === 1 ? `/bookings/${oldest!.id}` : "/bookings?status=UNKNOWN",
      details: { count },
    },
  ];
}

/** The endpoint as staff know it: its description, else its host (the URL's path may carry a token). */
function endpointName(endpoint: { id: number; url: string; description: string }): string {
  if (endpoint.description) return endpoint.description;
  return URL.canParse(endpoint.url) ? new URL(endpoint.url).host : `endpoint ${endpoint.id}`;
}

async function forwardingEndpointFailing(settings: RuleSettings, now: Date): Promise<Finding[]> {
  const endpoints = await endpointsInTrouble(new Date(now.getTime() - settings.threshold * MINUTE));
  return endpoints.map((endpoint) => {
    const name = endpointName(endpoint);
    const failed = endpoint.failedMessages ? ` ${plural(endpoint.failedMessages, "message")} failed for good.` : "";
    const disabled = endpoint.disabledAt !== null;
    return {
      scope: `endpoint:${endpoint.id}`,
      title: disabled ? `Forwarding to ${name} is disabled` : `Forwarding to ${name} is failing`,
      summary: disabled
        ? `The console disabled forwarding to ${name} at ${endpoint.disabledAt!.toISOString()}: ${endpoint.disabledReason ?? "no reason recorded."} Nothing is sent to it until an admin enables it again.${failed}`
        : `Every attempt to forward to ${name} has failed since ${endpoint.failingSince!.toISOString()} (alert after ${settings.threshold} min); events wait and are retried on the schedule.${failed}`,
      link: `/forwarding/endpoints/${endpoint.id}`,
      details: {
        endpointId: endpoint.id,
        disabledAt: endpoint.disabledAt?.toISOString() ?? null,
        failingSince: endpoint.failingSince?.toISOString() ?? null,
        failedMessages: endpoint.failedMessages,
      },
    };
  });
}

export const conditions: Record<AlertRuleKey, (settings: RuleSettings, now: Date) => Promise<Finding[]>> = {
  webhook_silence: webhookSilence,
  webhook_auth_failures: webhookAuthFailures,
  webhook_failed_events: webhookFailedEvents,
  webhook_lag_p95: webhookLag,
  hubby_error_rate: hubbyErrorRate,
  hubby_latency_p95: hubbyLatency,
  hubby_unreachable: hubbyUnreachable,
  campaign_finished: campaignFinished,
  campaign_breaker_paused: campaignBreakerPaused,
  campaign_ended_with_problems: campaignEndedWithProblems,
  departures_not_installed: departuresNotInstalled,
  usage_crossed_80: usageCrossed80,
  booking_intent_unknown: bookingIntentUnknown,
  forwarding_endpoint_failing: forwardingEndpointFailing,
};
