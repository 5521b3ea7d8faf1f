import "server-only";
import { Prisma } from "../generated/prisma/client";

/**
 * A traveler the console has just booked is searchable at once, before any of Hubby's webhooks arrives: the
 * statement that records a booking as SENT (lib/bookings/intents.ts) also writes its travelers and the booking
 * (`Traveler`, `TravelerBooking`), inserting only what is missing. The webhook projection then fills and updates
 * the same rows as events come (lib/webhooks/projection.ts); until the first one, the list shows the traveler as
 * "pending". These are data-modifying CTEs appended to a statement that has a CTE `moved` returning the intents'
 * "externalUserIds", "hubbyBookingId" and "payload".
 */
export const REMEMBER_BOOKED_TRAVELERS = Prisma.sql`, booked AS (
    SELECT DISTINCT traveler AS "externalUserId", m."hubbyBookingId", m."payload" ->> 'departure_date' AS "departureDate"
    FROM moved m, unnest(m."externalUserIds") AS traveler
  ), booked_travelers AS (
    INSERT INTO "Traveler" ("externalUserId", "firstSeenAt", "lastSeenAt")
    SELECT DISTINCT "externalUserId", now(), now() FROM booked
    ON CONFLICT ("externalUserId") DO NOTHING
  ), booked_bookings AS (
    INSERT INTO "TravelerBooking" ("bookingId", "externalUserId", "departureDate", "departsAt", "firstSeenAt", "lastSeenAt")
    SELECT "hubbyBookingId", "externalUserId", "departureDate",
      -- The console built this payload: a date alone reads as 00:00 UTC that day, as the projection reads it.
      CASE WHEN "departureDate" ~ '^\\d{4}-\\d{2}-\\d{2}$' THEN ("departureDate" || 'T00:00:00Z')::timestamptz
           WHEN "departureDate" ~ '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}' THEN "departureDate"::timestamptz END,
      now(), now()
    FROM booked WHERE "hubbyBookingId" IS NOT NULL
    ON CONFLICT ("bookingId", "externalUserId") DO NOTHING
  )`;
