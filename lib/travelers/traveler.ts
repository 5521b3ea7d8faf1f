import "server-only";
import { db } from "../db";

export async function storedTraveler(externalUserId: string) {
  const [traveler, packages, bookings] = await Promise.all([
    db().traveler.findUnique({ where: { externalUserId } }),
    db().travelerPackage.findMany({ where: { externalUserId }, orderBy: { firstSeenAt: "desc" } }),
    db().travelerBooking.findMany({ where: { externalUserId }, orderBy: { firstSeenAt: "desc" } }),
  ]);
  return { traveler, packages, bookings };
}

export type TimelineEntry = {
  at: string;
  kind: "webhook" | "staff" | "hubby";
  title: string;
  detail: string | null;
  href: string | null;
  tone: "default" | "success" | "warning" | "danger";
};

/** Webhooks, staff actions and Hubby API calls for one traveler, newest first. */
export async function travelerTimeline(externalUserId: string, limit = 60): Promise<TimelineEntry[]> {
  const [events, audits, calls] = await Promise.all([
    db().webhookEvent.findMany({
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
    }),
    db().auditEntry.findMany({
      where: { externalUserId },
      orderBy: { at: "desc" },
      take: limit,
      select: { at: true, action: true, actorEmail: true, result: true },
    }),
    db().apiCall.findMany({
      where: { externalUserId },
      orderBy: { at: "desc" },
      take: limit,
      select: { at: true, endpoint: true, status: true, ok: true, requestId: true, staffEmail: true },
    }),
  ]);
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
      href: null,
      tone: entry.result === "ok" ? ("success" as const) : ("danger" as const),
    })),
    ...calls.map((call) => ({
      at: call.at.toISOString(),
      kind: "hubby" as const,
      title: call.endpoint,
      detail: `${call.status ?? "no response"} · ${call.staffEmail ?? "system"} · request ${call.requestId}`,
      href: null,
      tone: call.ok ? ("default" as const) : ("danger" as const),
    })),
  ];
  return entries.sort((a, b) => b.at.localeCompare(a.at)).slice(0, limit);
}
