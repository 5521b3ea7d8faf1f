import "server-only";
import { Prisma } from "../generated/prisma/client";

/**
 * A traveler the console has just booked is searchable at once, before any of Hubby's webhooks arrives: the
 * statement that records a booking as SENT (lib/bookings/intents.ts) also writes its travelers and the booking
 * (`Traveler`, `TravelerBooking`), inserting only what is missing. The webhook projection then fills and updates
 * the same rows as events come (lib/webhooks/projection.ts); until the first one, the list shows the traveler as
 * "pending". `settled` is a subquery of the settled intents' "externalUserIds", "hubbyBookingId" and "payload";
 * the result is the two INSERTs, for the caller to run in its own statement.
 */
export function rememberBookedTravelers(settled: Prisma.Sql): Prisma.Sql[] {
  const booked = Prisma.sql`SELECT DISTINCT traveler AS "externalUserId", m."hubbyBookingId",
      m."payload" ->> 'departure_date' AS "departureDate"
    FROM (${settled}) m, unnest(m."externalUserIds") AS traveler`;
  return [
    Prisma.sql`INSERT INTO "Traveler" ("externalUserId", "firstSeenAt", "lastSeenAt")
    SELECT DISTINCT "externalUserId", now(), now() FROM (${booked}) booked
    ON CONFLICT ("externalUserId") DO NOTHING`,
    Prisma.sql`INSERT INTO "TravelerBooking" ("bookingId", "externalUserId", "departureDate", "departsAt", "firstSeenAt", "lastSeenAt")
    SELECT "hubbyBookingId", "externalUserId", "departureDate",
      -- The console built this payload: a date alone reads as 00:00 UTC that day, as the projection reads it.
      CASE WHEN "departureDate" ~ '^\\d{4}-\\d{2}-\\d{2}$' THEN ("departureDate" || 'T00:00:00Z')::timestamptz
           WHEN "departureDate" ~ '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}' THEN "departureDate"::timestamptz END,
      now(), now()
    FROM (${booked}) booked WHERE "hubbyBookingId" IS NOT NULL
    ON CONFLICT ("bookingId", "externalUserId") DO NOTHING`,
  ];
}
