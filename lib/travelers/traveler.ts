import "server-only";
import { db } from "../db";
import { instructionSnapshotsFor } from "../instructions/snapshots";
import type { HubbyClient } from "../hubby/client";
import { HubbyApiError } from "../hubby/errors";
import type { UserDashboard } from "../hubby/schemas";
import { detectGaps, type Gap } from "./gaps";
import { livePackages, queueLabel } from "./live";
import { esimDataMeter } from "./meters";
import { supportSummaryText } from "./summary";
import { timelineKinds, type TimelineEntry, type TimelineKind } from "./timeline";
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
  limit?: number;
  /** Links into admin-only screens (the Hubby API log, the audit log) for staff who may read them. */
  links?: { apiLog?: boolean; audit?: boolean };
};

const installedWords = (value: boolean | null) =>
  value === true ? "eSIM installed" : value === false ? "eSIM not installed" : "eSIM state not given";

/**
 * The journey: webhooks, staff actions (audit), Hubby API calls and booking milestones (departure, within cutoff,
 * about to depart), newest first. Each kind reads at most `limit` rows, only when asked for.
 */
export async function travelerTimeline(
  externalUserId: string,
  options: TimelineOptions = {},
): Promise<TimelineEntry[]> {
  const limit = options.limit ?? 60;
  const kinds = new Set(options.kinds ?? timelineKinds);
  const none = Promise.resolve([]);
  const [events, audits, calls, bookings, snapshots] = await Promise.all([
    kinds.has("webhook")
      ? db().webhookEvent.findMany({
          where: { externalUserId },
          orderBy: { receivedAt: "desc" },
          take: limit,
          select: {
            id: true,
            eventType: true,
            eventAt: true,
            receivedAt: true,
            status: true,
            bookingId: true,
            packageId: true,
          },
        })
      : none,
    kinds.has("staff")
      ? db().auditEntry.findMany({
          where: { externalUserId },
          orderBy: { at: "desc" },
          take: limit,
          select: { at: true, action: true, actorEmail: true, result: true, requestId: true },
        })
      : none,
    kinds.has("hubby")
      ? db().apiCall.findMany({
          where: { externalUserId },
          orderBy: { at: "desc" },
          take: limit,
          select: { at: true, endpoint: true, status: true, ok: true, requestId: true, staffEmail: true },
        })
      : none,
    kinds.has("milestone")
      ? db().travelerBooking.findMany({
          where: { externalUserId },
          orderBy: { firstSeenAt: "desc" },
          take: limit,
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
    kinds.has("staff") ? instructionSnapshotsFor(externalUserId, limit) : none,
  ]);
  const now = Date.now();
  const milestones: TimelineEntry[] = bookings.flatMap((booking) => {
    const href = `/webhooks?booking=${encodeURIComponent(booking.bookingId)}`;
    const milestone = (at: Date | null, title: string, detail: string, tone: TimelineEntry["tone"]) =>
      at ? [{ at: at.toISOString(), kind: "milestone" as const, title, detail, href, tone }] : [];
    // The reminders say whether the eSIM was on the phone by then; not yet is worth a look.
    const reminder = (at: Date | null, title: string, esimInstalled: boolean | null) =>
      milestone(
        at,
        title,
        `${booking.bookingId} · ${installedWords(esimInstalled)}`,
        esimInstalled === false ? "warning" : "default",
      );
    const departure = booking.departsAt;
    return [
      ...milestone(
        departure,
        departure && departure.getTime() > now ? "Departure (upcoming)" : "Departure",
        `${booking.bookingId} · departure_date ${booking.departureDate ?? "?"}`,
        "default",
      ),
      ...reminder(booking.withinCutoffAt, "Within cutoff", booking.withinCutoffEsimInstalled),
      ...reminder(booking.aboutToDepartAt, "About to depart", booking.aboutToDepartEsimInstalled),
    ];
  });
  const entries: TimelineEntry[] = [
    ...events.map((event) => ({
      at: (event.eventAt ?? event.receivedAt).toISOString(),
      kind: "webhook" as const,
      title: event.eventType,
      detail:
        [event.bookingId, event.packageId, event.status !== "processed" ? event.status : null]
          .filter(Boolean)
          .join(" · ") || null,
      href: `/webhooks/${event.id}`,
      tone: event.status === "processed" ? ("default" as const) : ("warning" as const),
    })),
    ...audits.map((entry) => ({
      at: entry.at.toISOString(),
      kind: "staff" as const,
      title: entry.action,
      detail: `${entry.actorEmail ?? "system"} · ${entry.result}`,
      href: options.links?.audit && entry.requestId ? `/audit?q=${encodeURIComponent(entry.requestId)}` : null,
      tone: entry.result === "ok" ? ("success" as const) : ("danger" as const),
    })),
    ...calls.map((call) => ({
      at: call.at.toISOString(),
      kind: "hubby" as const,
      title: call.endpoint,
      detail: `${call.status ?? "no response"} · ${call.staffEmail ?? "system"} · request ${call.requestId}`,
      href: options.links?.apiLog ? `/api-log?q=${encodeURIComponent(call.requestId)}` : null,
      tone: call.ok ? ("default" as const) : ("danger" as const),
    })),
    // What staff saved of Hubby's instructions: what the traveler was (or would be) shown.
    ...snapshots.map((snapshot) => ({
      at: snapshot.at.toISOString(),
      kind: "staff" as const,
      title: snapshot.title,
      detail: snapshot.staffEmail,
      href: snapshot.href,
      tone: "default" as const,
    })),
    ...milestones,
  ];
  return entries.sort((a, b) => Date.parse(b.at) - Date.parse(a.at)).slice(0, limit);
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
