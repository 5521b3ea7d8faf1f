import "server-only";
import { z } from "zod";
import { db } from "../db";
import type { HubbyClient } from "../hubby/client";

/**
 * Every booking Hubby holds for the partner (GET /api/bookings), including those the partner's own backend made,
 * linked to the console's intents (by the reference sent as `booking_id`, or Hubby's id) and to the travelers.
 * GET /api/bookings is undocumented (reference §4.2): it is paged as Hubby pages (`page`, `perPage`, the signing
 * examples' names), and read defensively: paging meta is used when present, otherwise a full page means there may
 * be another; a booking the console cannot read is counted, not fatal.
 */

export const HUBBY_PER_PAGE = [10, 25, 50, 100] as const;

export const hubbyBookingsQuerySchema = z.object({
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
  perPage: z.coerce
    .number()
    .refine((value) => (HUBBY_PER_PAGE as readonly number[]).includes(value))
    .catch(25),
});
export type HubbyBookingsQuery = z.infer<typeof hubbyBookingsQuerySchema>;

export type HubbyBookingRow = {
  id: string;
  reference: string | null;
  travelers: string[];
  destinations: string[];
  departure: string | null;
  status: string | null;
  createdAt: string | null;
  /** The console's intent for this booking, when it was issued from the console. */
  intentId: string | null;
};

export async function listHubbyBookings(hubby: Pick<HubbyClient, "listBookings">, query: HubbyBookingsQuery) {
  const reply = await hubby.listBookings({ page: query.page, perPage: query.perPage });
  const ids = reply.bookings.map((booking) => booking.id);
  const references = reply.bookings.flatMap((booking) => (booking.booking_id ? [booking.booking_id] : []));
  const intents = await db().bookingIntent.findMany({
    where: { OR: [{ hubbyBookingId: { in: ids } }, { reference: { in: references } }] },
    select: { id: true, hubbyBookingId: true, reference: true },
  });
  const rows: HubbyBookingRow[] = reply.bookings.map((booking) => {
    const intent = intents.find(
      (candidate) =>
        candidate.hubbyBookingId === booking.id || (booking.booking_id && candidate.reference === booking.booking_id),
    );
    const specs = booking.package_specifications;
    return {
      id: booking.id,
      reference: booking.booking_id ?? null,
      travelers: [...new Set(specs.flatMap((spec) => (spec.external_user_id ? [spec.external_user_id] : [])))],
      destinations: [...new Set(specs.flatMap((spec) => [spec.destination ?? []].flat()))],
      departure: booking.departure_date ?? null,
      status: booking.status ?? null,
      createdAt: booking.created_at ?? null,
      intentId: intent?.id ?? null,
    };
  });
  const totalPages = reply.totalPages ?? (reply.total !== undefined ? Math.ceil(reply.total / query.perPage) : null);
  const hasNext =
    totalPages !== null ? query.page < totalPages : reply.bookings.length + reply.unreadable >= query.perPage;
  return { rows, unreadable: reply.unreadable, total: reply.total ?? null, totalPages, hasNext };
}
