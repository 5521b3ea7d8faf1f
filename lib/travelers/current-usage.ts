import "server-only";
import { getDatabase } from "../db";

/**
 * The travelers list's "usage" is kept per traveler (Traveler.currentUsagePercent, docs/decisions/0057): the usage
 * of the current package as of a moment, with the span [currentUsageFrom, currentUsageUntil) in which none of the
 * traveler's packages expires, so the value is the query-time aggregate for any `now` inside it. The database
 * keeps it on every write to TravelerPackage (statement triggers of migration 20261204184837_maintained_usage);
 * time alone moves a traveler out of the span when a package expires, and this brings those rows back. The list's
 * next departure is kept the same way from TravelerBooking (docs/decisions/0067), and brought back here too.
 */

/** Travelers recomputed per statement, so one run never holds many row locks at once. */
const REFRESH_BATCH = 1_000;

/** The condition "the stored value does not hold at $1", over Traveler t; an index serves each side. */
export const STALE_USAGE_SQL = `(t."currentUsageUntil" <= $1 OR t."currentUsageFrom" > $1)`;
/** The same for the list's maintained next departure (migration 20261205000400_maintained_next_departure). */
export const STALE_DEPARTURE_SQL = `(t."nextDepartureUntil" <= $1 OR t."nextDepartureFrom" > $1)`;

/** The maintained list columns: where a value stops holding, and the database function that recomputes it. */
const maintainedColumns = [
  { stale: STALE_USAGE_SQL, refresh: "traveler_current_usage_refresh" },
  { stale: STALE_DEPARTURE_SQL, refresh: "traveler_next_departure_refresh" },
] as const;

/**
 * Recomputes, as of `now`, every traveler whose stored usage or next departure no longer holds at `now` (a package
 * expired, a departure passed, since it was computed). Run by the hourly maintenance job; the list reads such rows
 * at query time meanwhile, so how often this runs changes speed, never results. Answers how many rows it rewrote.
 */
export async function refreshExpiredUsage(now: Date = new Date()): Promise<number> {
  const { sql } = getDatabase();
  let refreshed = 0;
  for (const { stale, refresh } of maintainedColumns) {
    for (;;) {
      const [row] = await sql.query<{ picked: number; written: number }>(
        `WITH picked AS (SELECT t."externalUserId" FROM "Traveler" t WHERE ${stale}
           ORDER BY t."externalUserId" LIMIT ${REFRESH_BATCH})
         SELECT (SELECT count(*)::int FROM picked) AS picked,
           ${refresh}(ARRAY(SELECT "externalUserId" FROM picked), $1::timestamptz) AS written`,
        [now.toISOString()],
      );
      refreshed += Number(row?.written ?? 0);
      if (Number(row?.picked ?? 0) < REFRESH_BATCH) break;
    }
  }
  return refreshed;
}
