import "server-only";
import { z } from "zod";
import { db } from "../db";
import { ActionError } from "../errors";
import { getEnv } from "../env";
import { dayRange, pageParam, readListPage } from "../list-query";
import { calendarDateParam } from "../url-params";
import type { Prisma } from "../generated/prisma/client";

export const BOOKING_PAGE_SIZE = 25;
export const intentStatuses = ["PENDING", "SENDING", "SENT", "UNKNOWN", "FAILED"] as const;

/** /bookings URL state; every field falls back to its default, so a hand-edited URL never errors. */
export const bookingQuerySchema = z.object({
  status: z.enum(["all", ...intentStatuses]).catch("all"),
  kind: z.enum(["all", "issue", "top_up", "promo_codes"]).catch("all"),
  user: z.string().trim().max(200).catch(""),
  destination: z.string().trim().toUpperCase().max(3).catch(""),
  actor: z.string().trim().max(200).catch(""),
  from: calendarDateParam,
  to: calendarDateParam,
  page: pageParam(),
});
export type BookingQuery = z.infer<typeof bookingQuerySchema>;

export type BookingRow = {
  id: string;
  createdAt: string;
  kind: "issue" | "top_up" | "promo_codes";
  status: (typeof intentStatuses)[number];
  actorEmail: string;
  travelers: string[];
  destinations: string[];
  costCents: number | null;
  currency: string | null;
  hubbyBookingId: string | null;
};

function where(query: BookingQuery): Prisma.BookingIntentWhereInput {
  return {
    ...(query.status !== "all" ? { status: query.status } : {}),
    ...(query.kind !== "all" ? { kind: query.kind } : {}),
    ...(query.user ? { externalUserIds: { has: query.user } } : {}),
    ...(query.destination ? { destinations: { has: query.destination } } : {}),
    ...(query.actor ? { actorEmail: { contains: query.actor, mode: "insensitive" } } : {}),
    createdAt: dayRange(query.from, query.to),
  };
}

export async function listBookingIntents(query: BookingQuery) {
  const filter = where(query);
  const [page, totals] = await Promise.all([
    readListPage(
      { page: query.page, pageSize: BOOKING_PAGE_SIZE },
      {
        rows: async (window) => {
          const rows = await db().bookingIntent.findMany({
            where: filter,
            orderBy: [{ createdAt: "desc" }, { id: "desc" }],
            ...window,
            select: {
              id: true,
              createdAt: true,
              kind: true,
              status: true,
              actorEmail: true,
              externalUserIds: true,
              destinations: true,
              costCents: true,
              currency: true,
              hubbyBookingId: true,
            },
          });
          return rows.map(({ externalUserIds, createdAt, ...row }): BookingRow => ({
            ...row,
            createdAt: createdAt.toISOString(),
            travelers: externalUserIds,
          }));
        },
        total: () => db().bookingIntent.count({ where: filter }),
      },
    ),
    db().bookingIntent.aggregate({ where: { ...filter, status: "SENT" }, _sum: { costCents: true } }),
  ]);
  return { ...page, sentCostCents: totals._sum.costCents ?? 0 };
}

export async function getBookingIntent(id: string) {
  if (!z.uuid().safeParse(id).success) return null;
  const intent = await db().bookingIntent.findUnique({
    where: { id },
    include: { events: { orderBy: { id: "asc" } } },
  });
  if (!intent) return null;
  const webhooks = intent.hubbyBookingId
    ? await db().webhookEvent.findMany({
        where: { bookingId: intent.hubbyBookingId },
        orderBy: { receivedAt: "asc" },
        take: 200,
        select: { id: true, eventType: true, receivedAt: true, status: true, externalUserId: true, packageId: true },
      })
    : [];
  return {
    id: intent.id,
    reference: intent.reference,
    kind: intent.kind,
    status: intent.status,
    payload: intent.payload,
    quote: intent.quote,
    response: intent.response,
    packages: intent.packages,
    travelers: intent.externalUserIds,
    destinations: intent.destinations,
    costCents: intent.costCents,
    priceCents: intent.priceCents,
    currency: intent.currency,
    actorEmail: intent.actorEmail,
    reason: intent.reason,
    hubbyBookingId: intent.hubbyBookingId,
    error: intent.error,
    errorField: intent.errorField,
    attempts: intent.attempts,
    /** Claimed for sending longer ago than any reply could take (e.g. the console stopped mid-send). */
    abandoned:
      intent.status === "SENDING" &&
      intent.sentAt !== null &&
      Date.now() - intent.sentAt.getTime() > getEnv().HUBBY_TIMEOUT_MS,
    createdAt: intent.createdAt.toISOString(),
    sentAt: intent.sentAt?.toISOString() ?? null,
    settledAt: intent.settledAt?.toISOString() ?? null,
    events: intent.events.map((event) => ({
      id: String(event.id),
      at: event.at.toISOString(),
      from: event.from,
      to: event.to,
      note: event.note,
      actorEmail: event.actorEmail,
    })),
    webhooks: webhooks.map((event) => ({
      id: String(event.id),
      eventType: event.eventType,
      receivedAt: event.receivedAt.toISOString(),
      status: event.status,
      externalUserId: event.externalUserId,
      packageId: event.packageId,
    })),
  };
}
export type BookingDetail = NonNullable<Awaited<ReturnType<typeof getBookingIntent>>>;

/**
 * A booking as the role matrix's `bookings.act` rule sees it (its kind), with the travelers its audit entries are
 * filed under; ActionError when there is no such booking.
 */
export async function loadBookingTarget(intentId: string) {
  const intent = await db().bookingIntent.findUnique({
    where: { id: intentId },
    select: { id: true, kind: true, externalUserIds: true },
  });
  if (!intent) throw new ActionError("Unknown booking.");
  return intent;
}
