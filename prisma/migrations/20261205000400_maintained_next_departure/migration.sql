-- The travelers list's "next departure" as a maintained per-traveler value, like its usage
-- (docs/decisions/0057-maintained-usage-column.md, docs/decisions/0067-travelers-list-bounded-work.md): sorting the
-- unfiltered list by next departure read an index instead of aggregating every traveler's upcoming bookings at query
-- time (54 ms p95 at 100 000 travelers against 30).

-- AlterTable
ALTER TABLE "Traveler" ADD COLUMN     "nextDepartureAt" TIMESTAMPTZ(3),
ADD COLUMN     "nextDepartureFrom" TIMESTAMPTZ(3),
ADD COLUMN     "nextDepartureUntil" TIMESTAMPTZ(3);

-- Written by hand from here on, except the two CreateIndex blocks Prisma wrote.
-- Recomputes the given travelers' value as of p_at: the earliest departsAt of their upcoming bookings (the rule of
-- `upcoming` in lib/travelers/queries.ts: departing after p_at, or a date-only departure, read as 00:00 UTC, until
-- that day is over), and the span around p_at in which no booking of theirs stops being upcoming,
-- [latest end at or before p_at, earliest end after p_at), where a booking's end is departsAt, plus a day when
-- date-only. Writes only rows whose values change; answers how many it wrote. PL/pgSQL for its cached plan (0057).
CREATE FUNCTION traveler_next_departure_refresh(p_ids text[], p_at timestamptz) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  written integer;
BEGIN
  WITH computed AS (
    SELECT x.id,
      MIN(e."departsAt") FILTER (WHERE e."end" > p_at) AS "departsAt",
      MAX(e."end") FILTER (WHERE e."end" <= p_at) AS "from",
      MIN(e."end") FILTER (WHERE e."end" > p_at) AS "until"
    FROM (SELECT DISTINCT unnest(p_ids) AS id) x
    LEFT JOIN LATERAL (
      SELECT b."departsAt",
        b."departsAt" + CASE WHEN char_length(b."departureDate") = 10 THEN interval '1 day' ELSE interval '0' END
          AS "end"
      FROM "TravelerBooking" b WHERE b."externalUserId" = x.id AND b."departsAt" IS NOT NULL) e ON true
    GROUP BY x.id
  ), changed AS (
    UPDATE "Traveler" t
    SET "nextDepartureAt" = c."departsAt", "nextDepartureFrom" = c."from", "nextDepartureUntil" = c."until"
    FROM computed c
    WHERE t."externalUserId" = c.id
      AND (t."nextDepartureAt", t."nextDepartureFrom", t."nextDepartureUntil")
        IS DISTINCT FROM (c."departsAt", c."from", c."until")
    RETURNING 1
  )
  SELECT count(*)::int INTO written FROM changed;
  RETURN written;
END
$$;

-- Every write to TravelerBooking recomputes the travelers it touched, inside the writing statement, once per
-- statement over its transition tables (as TravelerPackage's triggers do for the usage).
CREATE FUNCTION traveler_next_departure_after_booking_write() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM traveler_next_departure_refresh(ARRAY(SELECT "externalUserId" FROM new_rows), now());
  ELSIF TG_OP = 'UPDATE' THEN
    PERFORM traveler_next_departure_refresh(
      ARRAY(SELECT "externalUserId" FROM new_rows UNION SELECT "externalUserId" FROM old_rows), now());
  ELSE
    PERFORM traveler_next_departure_refresh(ARRAY(SELECT "externalUserId" FROM old_rows), now());
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER "TravelerBooking_next_departure_insert" AFTER INSERT ON "TravelerBooking"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION traveler_next_departure_after_booking_write();
CREATE TRIGGER "TravelerBooking_next_departure_update" AFTER UPDATE ON "TravelerBooking"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION traveler_next_departure_after_booking_write();
CREATE TRIGGER "TravelerBooking_next_departure_delete" AFTER DELETE ON "TravelerBooking"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION traveler_next_departure_after_booking_write();

-- Backfill, before the indexes exist.
SELECT traveler_next_departure_refresh(ARRAY(SELECT "externalUserId" FROM "Traveler"), now());

-- Sorting the unfiltered list by next departure, one index per direction (nulls last in both), carrying the span so
-- that "the value holds at now" is checked without visiting the table. Hand-written: Prisma cannot say NULLS LAST
-- nor INCLUDE.
CREATE INDEX "Traveler_nextDepartureAt_asc_idx" ON "Traveler" ("nextDepartureAt" ASC NULLS LAST, "externalUserId")
  INCLUDE ("nextDepartureFrom", "nextDepartureUntil");
CREATE INDEX "Traveler_nextDepartureAt_desc_idx" ON "Traveler" ("nextDepartureAt" DESC NULLS LAST, "externalUserId")
  INCLUDE ("nextDepartureFrom", "nextDepartureUntil");

-- CreateIndex
CREATE INDEX "Traveler_nextDepartureUntil_idx" ON "Traveler"("nextDepartureUntil");

-- CreateIndex
CREATE INDEX "Traveler_nextDepartureFrom_idx" ON "Traveler"("nextDepartureFrom");

-- Statistics for the new columns now (0057: without them the planner took a third of the travelers as stale).
ANALYZE "Traveler";
