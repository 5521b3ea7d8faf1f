import "server-only";
import { db } from "../db";
import { Prisma } from "../generated/prisma/client";
import { instructionSnapshotsFor } from "../instructions/snapshots";
import type { HubbyClient } from "../hubby/client";
import { HubbyApiError } from "../hubby/errors";
import type { UserDashboard } from "../hubby/schemas";
import { detectGaps, type Gap } from "./gaps";
import { livePackages, queueLabel } from "./live";
import { esimDataMeter } from "./meters";
import { supportSummaryText } from "./summary";
import {
  afterCursor,
  comparePositions,
  TIMELINE_PAGE_SIZE,
  timelineKinds,
  timelinePage,
  type TimelineEntry,
  type TimelineKind,
  type TimelinePosition,
  type TimelineSource,
} from "./timeline";
import type { UsageReading } from "./usage";

export type { TimelineEntry } from "./timeline";

const iso = (value: Date | null | undefined) => value?.toISOString() ?? null;
const num = (value: bigint | null | undefined) => (value === null || value === undefined ? null : Number(value));

/** What the console stored about one traveler from webhooks and earlier dashboard reads. */
export async function storedTraveler(externalUserId: string) {
  const [traveler, packages, bookings] = await Promise.all([
    db().traveler.findUnique({
      where: { externalUserId },
      select: { externalUserId: true, iccid: true, esimState: true, esimStateAt: true, lastSeenAt: true },
    }),
    db().travelerPackage.findMany({
      where: { externalUserId },
      orderBy: { firstSeenAt: "desc" },
      select: {
        packageId: true,
        bookingId: true,
        destination: true,
        size: true,
        activatedAt: true,
        expiresAt: true,
        usagePercent: true,
        usedBytes: true,
        remainingBytes: true,
        lastUsageAt: true,
        firstSeenAt: true,
      },
    }),
    db().travelerBooking.findMany({
      where: { externalUserId },
      orderBy: [{ departsAt: "desc" }, { firstSeenAt: "desc" }],
      select: { bookingId: true, departureDate: true, departsAt: true },
    }),
  ]);
  return {
    traveler,
    packages: packages.map((pkg) => ({
      ...pkg,
      usedBytes: num(pkg.usedBytes),
      remainingBytes: num(pkg.remainingBytes),
    })),
    bookings,
  };
}
export type StoredTraveler = Awaited<ReturnType<typeof storedTraveler>>;

export type TimelineOptions = {
  kinds?: readonly TimelineKind[];
  /** Entries per page (TIMELINE_PAGE_SIZE). */
  limit?: number;
  /** The page: entries after this position; the newest page without it. */
  before?: TimelinePosition | null;
  /** Links into admin-only screens (the Hubby API log, the audit log) for staff who may read them. */
  links?: { apiLog?: boolean; audit?: boolean };
};

export type TimelinePageResult = {
  entries: TimelineEntry[];
  /** The cursor of the next (older) page, or null on the last page. */
  next: TimelinePosition | null;
  /** Entries of the chosen kinds on every page together. */
  total: number;
};

/**
 * Audit actions that only record a read (issue 21's read auditing: the audit log keeps them); on the timeline
 * they would bury the traveler's own events under every opening of the page.
 */
const readOnlyAuditActions = ["travelers.view"];

const installedWords = (value: boolean | null) =>
  value === true ? "eSIM installed" : value === false ? "eSIM not installed" : "eSIM state not given";

/** Prisma's where for a time column and a bigint or uuid id, after the cursor in the timeline's order. */
function afterWhere<Id>(
  source: TimelineSource,
  cursor: TimelinePosition | null,
  timeField: string,
  id: (text: string) => Id,
) {
  const rule = afterCursor(source, cursor);
  switch (rule.kind) {
    case "all":
      return {};
    case "atOrBefore":
      return { [timeField]: { lte: rule.at } };
    case "before":
      return { [timeField]: { lt: rule.at } };
    case "beforeOrSameAtSmallerId":
      return { OR: [{ [timeField]: { lt: rule.at } }, { [timeField]: rule.at, id: { lt: id(rule.id) } }] };
  }
}

const bigintId = (text: string) => (/^\d{1,19}$/.test(text) ? BigInt(text) : 0n);
const uuidId = (text: string) =>
  /^[0-9a-f-]{36}$/i.test(text) ? text.toLowerCase() : "00000000-0000-0000-0000-000000000000";

/**
 * The journey, one page at a time: webhooks (at the event's own time), staff actions (audit entries other than
 * reads, saved instruction previews), Hubby API calls and booking milestones (departure, within cutoff, about to
 * depart), newest first. Each source reads at most one page (plus one, to know whether more follow) after the
 * cursor, only when its kind is asked for; the page is the first `limit` of their merge.
 */
export async function travelerTimeline(
  externalUserId: string,
  options: TimelineOptions = {},
): Promise<TimelinePageResult> {
  const limit = options.limit ?? TIMELINE_PAGE_SIZE;
  const take = limit + 1;
  const cursor = options.before ?? null;
  const kinds = new Set(options.kinds ?? timelineKinds);
  const none = Promise.resolve([]);
  const zero = Promise.resolve(0);
  const auditWhere = { externalUserId, action: { notIn: readOnlyAuditActions } };
  const webhookAfter = (() => {
    const rule = afterCursor("webhook", cursor);
    const at = Prisma.sql`COALESCE("eventAt", "receivedAt")`;
    switch (rule.kind) {
      case "all":
        return Prisma.empty;
      case "atOrBefore":
        return Prisma.sql`AND ${at} <= ${rule.at}`;
      case "before":
        return Prisma.sql`AND ${at} < ${rule.at}`;
      case "beforeOrSameAtSmallerId":
        return Prisma.sql`AND (${at} < ${rule.at} OR (${at} = ${rule.at} AND "id" < ${bigintId(rule.id)}))`;
    }
  })();
  const [events, audits, calls, bookings, snapshots, counts] = await Promise.all([
    kinds.has("webhook")
      ? db().$queryRaw<
          {
            id: bigint;
            eventType: string;
            at: Date;
            status: string;
            bookingId: string | null;
            packageId: string | null;
          }[]
        >`
          SELECT "id", "eventType", COALESCE("eventAt", "receivedAt") AS "at", "status", "bookingId", "packageId"
          FROM "WebhookEvent" WHERE "externalUserId" = ${externalUserId} ${webhookAfter}
          ORDER BY COALESCE("eventAt", "receivedAt") DESC, "id" DESC LIMIT ${take}`
      : none,
    kinds.has("staff")
      ? db().auditEntry.findMany({
          where: { ...auditWhere, ...afterWhere("audit", cursor, "at", bigintId) },
          orderBy: [{ at: "desc" }, { id: "desc" }],
          take,
          select: { id: true, at: true, action: true, actorEmail: true, result: true, requestId: true },
        })
      : none,
    kinds.has("hubby")
      ? db().apiCall.findMany({
          where: { externalUserId, ...afterWhere("hubby", cursor, "at", bigintId) },
          orderBy: [{ at: "desc" }, { id: "desc" }],
          take,
          select: { id: true, at: true, endpoint: true, status: true, ok: true, requestId: true, staffEmail: true },
        })
      : none,
    // A traveler has a handful of bookings: their milestones are made here and paged with the rest.
    kinds.has("milestone")
      ? db().travelerBooking.findMany({
          where: { externalUserId },
          orderBy: { firstSeenAt: "desc" },
          take: 500,
          select: {
            bookingId: true,
            departureDate: true,
            departsAt: true,
            withinCutoffAt: true,
            withinCutoffEsimInstalled: true,
            aboutToDepartAt: true,
            aboutToDepartEsimInstalled: true,
          },
        })
      : none,
    kinds.has("staff")
      ? instructionSnapshotsFor(externalUserId, take, afterWhere("snapshot", cursor, "createdAt", uuidId))
      : none,
    Promise.all([
      kinds.has("webhook") ? db().webhookEvent.count({ where: { externalUserId } }) : zero,
      kinds.has("staff") ? db().auditEntry.count({ where: auditWhere }) : zero,
      kinds.has("hubby") ? db().apiCall.count({ where: { externalUserId } }) : zero,
      kinds.has("staff") ? db().instructionSnapshot.count({ where: { externalUserId } }) : zero,
    ]),
  ]);
  const now = Date.now();
  const milestones: TimelineEntry[] = bookings.flatMap((booking) => {
    const href = `/webhooks?booking=${encodeURIComponent(booking.bookingId)}`;
    const milestone = (at: Date | null, step: number, title: string, detail: string, tone: TimelineEntry["tone"]) =>
      at
        ? [
            {
              at: at.toISOString(),
              kind: "milestone" as const,
              title,
              detail,
              href,
              tone,
              position: { at: at.getTime(), source: "milestone" as const, id: `${step}:${booking.bookingId}` },
            },
          ]
        : [];
    // The reminders say whether the eSIM was on the phone by then; not yet is worth a look.
    const reminder = (at: Date | null, step: number, title: string, esimInstalled: boolean | null) =>
      milestone(
        at,
        step,
        title,
        `${booking.bookingId} · ${installedWords(esimInstalled)}`,
        esimInstalled === false ? "warning" : "default",
      );
    const departure = booking.departsAt;
    return [
      ...milestone(
        departure,
        3,
        departure && departure.getTime() > now ? "Departure (upcoming)" : "Departure",
        `${booking.bookingId} · departure_date ${booking.departureDate ?? "?"}`,
        "default",
      ),
      ...reminder(booking.withinCutoffAt, 1, "Within cutoff", booking.withinCutoffEsimInstalled),
      ...reminder(booking.aboutToDepartAt, 2, "About to depart", booking.aboutToDepartEsimInstalled),
    ];
  });
  const milestonesAfter = cursor
    ? milestones.filter((entry) => comparePositions(entry.position!, cursor) > 0)
    : milestones;
  const entries: TimelineEntry[] = [
    ...events.map((event) => {
      const at = new Date(event.at);
      return {
        at: at.toISOString(),
        kind: "webhook" as const,
        title: event.eventType,
        detail:
          [event.bookingId, event.packageId, event.status !== "processed" ? event.status : null]
            .filter(Boolean)
            .join(" · ") || null,
        href: `/webhooks/${event.id}`,
        tone: event.status === "processed" ? ("default" as const) : ("warning" as const),
        position: { at: at.getTime(), source: "webhook" as const, id: String(event.id) },
      };
    }),
    ...audits.map((entry) => ({
      at: entry.at.toISOString(),
      kind: "staff" as const,
      title: entry.action,
      detail: `${entry.actorEmail ?? "system"} · ${entry.result}`,
      href: options.links?.audit && entry.requestId ? `/audit?q=${encodeURIComponent(entry.requestId)}` : null,
      tone: entry.result === "ok" ? ("success" as const) : ("danger" as const),
      position: { at: entry.at.getTime(), source: "audit" as const, id: String(entry.id) },
    })),
    ...calls.map((call) => ({
      at: call.at.toISOString(),
      kind: "hubby" as const,
      title: call.endpoint,
      detail: `${call.status ?? "no response"} · ${call.staffEmail ?? "system"} · request ${call.requestId}`,
      href: options.links?.apiLog ? `/api-log?q=${encodeURIComponent(call.requestId)}` : null,
      tone: call.ok ? ("default" as const) : ("danger" as const),
      position: { at: call.at.getTime(), source: "hubby" as const, id: String(call.id) },
    })),
    // What staff saved of Hubby's instructions: what the traveler was (or would be) shown.
    ...snapshots.map((snapshot) => ({
      at: snapshot.at.toISOString(),
      kind: "staff" as const,
      title: snapshot.title,
      detail: snapshot.staffEmail,
      href: snapshot.href,
      tone: "default" as const,
      position: { at: snapshot.at.getTime(), source: "snapshot" as const, id: snapshot.id },
    })),
    ...milestonesAfter,
  ];
  const page = timelinePage(entries, limit);
  const total = counts.reduce((sum, count) => sum + count, 0) + milestones.length;
  return { ...page, total };
}

const journeyEventTypes = [
  "esim.installed",
  "esim.removed",
  "package.activated",
  "package.usage.20_percent",
  "package.usage.50_percent",
  "package.usage.80_percent",
];

/** Gaps in the traveler's journey (see lib/travelers/gaps.ts), newest first. */
export async function travelerGaps(externalUserId: string, now = new Date()): Promise<Gap[]> {
  const [events, bookings, packages] = await Promise.all([
    db().webhookEvent.findMany({
      where: { externalUserId, eventType: { in: journeyEventTypes }, status: "processed" },
      orderBy: { receivedAt: "desc" },
      take: 500,
      select: { eventType: true, eventAt: true, receivedAt: true, bookingId: true, packageId: true },
    }),
    db().travelerBooking.findMany({
      where: { externalUserId },
      select: {
        bookingId: true,
        departsAt: true,
        withinCutoffAt: true,
        withinCutoffEsimInstalled: true,
        aboutToDepartAt: true,
        aboutToDepartEsimInstalled: true,
      },
    }),
    db().travelerPackage.findMany({
      where: { externalUserId },
      select: { packageId: true, bookingId: true, activatedAt: true },
    }),
  ]);
  return detectGaps({
    now: now.toISOString(),
    events: events.map((event) => ({
      type: event.eventType,
      at: (event.eventAt ?? event.receivedAt).toISOString(),
      bookingId: event.bookingId,
      packageId: event.packageId,
    })),
    bookings: bookings.map((booking) => ({
      bookingId: booking.bookingId,
      departsAt: iso(booking.departsAt),
      withinCutoffAt: iso(booking.withinCutoffAt),
      withinCutoffEsimInstalled: booking.withinCutoffEsimInstalled,
      aboutToDepartAt: iso(booking.aboutToDepartAt),
      aboutToDepartEsimInstalled: booking.aboutToDepartEsimInstalled,
    })),
    packages: packages.map((pkg) => ({
      packageId: pkg.packageId,
      bookingId: pkg.bookingId,
      activatedAt: iso(pkg.activatedAt),
    })),
  });
}

const usageEventTypes = ["package.usage.20_percent", "package.usage.50_percent", "package.usage.80_percent"];

/**
 * The stored usage readings per package, oldest first, each with its source. A sample is "webhook" when a
 * processed `package.usage.<percent>_percent` event of that package backs it; the others were stored from earlier
 * dashboard reads (per-package bytes only some dashboards send, see lib/webhooks/reconcile.ts).
 */
export async function usageSamples(externalUserId: string): Promise<Map<string, UsageReading[]>> {
  const [rows, events] = await Promise.all([
    db().usageSample.findMany({
      where: { externalUserId },
      orderBy: { at: "asc" },
      select: { packageId: true, percent: true, at: true, usedBytes: true },
    }),
    db().webhookEvent.findMany({
      where: { externalUserId, eventType: { in: usageEventTypes }, status: "processed", packageId: { not: null } },
      distinct: ["packageId", "eventType"],
      select: { packageId: true, eventType: true },
    }),
  ]);
  const fromWebhooks = new Set(events.map((event) => `${event.packageId} ${event.eventType}`));
  const byPackage = new Map<string, UsageReading[]>();
  for (const row of rows) {
    const readings = byPackage.get(row.packageId) ?? [];
    const webhook = fromWebhooks.has(`${row.packageId} package.usage.${row.percent}_percent`);
    readings.push({
      at: row.at.toISOString(),
      percent: row.percent,
      usedBytes: num(row.usedBytes),
      source: webhook ? "webhook" : "dashboard",
    });
    byPackage.set(row.packageId, readings);
  }
  return byPackage;
}

/** The latest webhook events and Hubby calls for the support summary. */
export async function recentActivity(externalUserId: string, take = 10) {
  const [events, calls] = await Promise.all([
    db().webhookEvent.findMany({
      where: { externalUserId },
      orderBy: { receivedAt: "desc" },
      take,
      select: { eventType: true, eventAt: true, receivedAt: true, bookingId: true, packageId: true, status: true },
    }),
    db().apiCall.findMany({
      where: { externalUserId },
      orderBy: { at: "desc" },
      take,
      select: { at: true, endpoint: true, status: true, requestId: true },
    }),
  ]);
  return {
    events: events.map((event) => ({
      at: (event.eventAt ?? event.receivedAt).toISOString(),
      type: event.eventType,
      detail:
        [event.bookingId, event.packageId, event.status !== "processed" ? event.status : null]
          .filter(Boolean)
          .join(" · ") || null,
    })),
    hubbyCalls: calls.map((call) => ({
      at: call.at.toISOString(),
      endpoint: call.endpoint,
      status: call.status,
      requestId: call.requestId,
    })),
  };
}

/**
 * The plain-text support summary: Hubby's live state when it answers (stored state otherwise, saying so), the
 * bookings, queue, packages, gaps, the last 10 events and the request ids of the latest Hubby calls. null when
 * neither the console nor Hubby knows the traveler.
 */
export async function supportSummary(
  hubby: HubbyClient,
  externalUserId: string,
  context: { generatedBy: string; link: string | null },
  now = new Date(),
): Promise<string | null> {
  let live: UserDashboard | null = null;
  let liveAt: Date | null = null;
  let problem = "";
  try {
    liveAt = new Date();
    live = await hubby.getUserDashboard(externalUserId);
  } catch (error) {
    if (!(error instanceof HubbyApiError)) throw error;
    problem = error.status === 404 ? "Hubby does not know this traveler" : error.message;
  }
  // Read after the dashboard call, so its request id is among the recent calls.
  const [stored, gaps, activity] = await Promise.all([
    storedTraveler(externalUserId),
    travelerGaps(externalUserId, now),
    recentActivity(externalUserId),
  ]);
  if (!live && !stored.traveler) return null;
  const esim = live?.current_esim ?? null;
  return supportSummaryText({
    externalUserId,
    generatedAt: now.toISOString(),
    generatedBy: context.generatedBy,
    link: context.link,
    source:
      live && liveAt
        ? { kind: "live", at: liveAt.toISOString() }
        : { kind: "stored", at: iso(stored.traveler?.lastSeenAt), reason: problem },
    iccid: esim?.iccid ?? stored.traveler?.iccid ?? null,
    esimStatus: live
      ? (esim?.status ?? "no eSIM yet")
      : stored.traveler?.esimState
        ? `${stored.traveler.esimState} (as of ${iso(stored.traveler.esimStateAt) ?? "?"})`
        : null,
    esimData: live && liveAt ? esimDataMeter(esim, liveAt) : null,
    bookings: stored.bookings.map((booking) => ({
      bookingId: booking.bookingId,
      departureDate: booking.departureDate,
      departsAt: iso(booking.departsAt),
    })),
    queue: live
      ? live.package_queues.map((queue) => ({
          id: queue.id,
          label: queueLabel(queue),
          createdAt: queue.created_at ?? null,
          redeemedAt: queue.redeemed_at ?? null,
        }))
      : null,
    packages: live
      ? livePackages(live).map((pkg, index) => ({
          id: pkg.id ?? `#${index + 1}`,
          destination: pkg.destination,
          status: pkg.status,
          usagePercent:
            pkg.totalBytes && pkg.usedBytes !== null ? Math.round((pkg.usedBytes / pkg.totalBytes) * 100) : null,
          usedBytes: pkg.usedBytes,
          totalBytes: pkg.totalBytes,
          activatedAt: pkg.activatedAt,
          expiresAt: pkg.expiresAt,
        }))
      : stored.packages.map((pkg) => ({
          id: pkg.packageId,
          destination: pkg.destination,
          status: null,
          usagePercent: pkg.usagePercent,
          usedBytes: pkg.usedBytes,
          totalBytes: pkg.usedBytes !== null && pkg.remainingBytes !== null ? pkg.usedBytes + pkg.remainingBytes : null,
          activatedAt: iso(pkg.activatedAt),
          expiresAt: iso(pkg.expiresAt),
        })),
    gaps: gaps.map((gap) => ({ at: gap.at, message: gap.message })),
    events: activity.events,
    hubbyCalls: activity.hubbyCalls,
  });
}
