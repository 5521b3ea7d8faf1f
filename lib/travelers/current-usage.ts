import "server-only";
import { getDatabase } from "../db";

/**
 * The travelers list's "usage" is kept per traveler (Traveler.currentUsagePercent, docs/decisions/0057): the usage
 * of the current package as of a moment, with the span [currentUsageFrom, currentUsageUntil) in which none of the
 * traveler's packages expires, so the value is the query-time aggregate for any `now` inside it. The database
 * keeps it on every write to TravelerPackage (statement triggers of migration 20261204184837_maintained_usage);
 * time alone moves a traveler out of the span when a package expires, and this brings those rows back.
 */

/** Travelers recomputed per statement, so one run never holds many row locks at once. */
const REFRESH_BATCH = 1_000;

/** The condition "the stored value does not hold at $1", over Traveler t; an index serves each side. */
export const STALE_USAGE_SQL = `(t."currentUsageUntil" <= $1 OR t."currentUsageFrom" > $1)`;

/**
 * Recomputes, as of `now`, every traveler whose stored usage no longer holds at `now` (a package expired since it
 * was computed). Run by the hourly maintenance job; the list reads such rows at query time meanwhile, so how often
 * this runs changes speed, never results. Answers how many travelers it rewrote.
 */
export async function refreshExpiredUsage(now: Date = new Date()): Promise<number> {
  const { sql } = getDatabase();
  let refreshed = 0;
  for (;;) {
    const [row] = await sql.query<{ picked: number; written: number }>(
      `WITH picked AS (SELECT t."externalUserId" FROM "Traveler" t WHERE ${STALE_USAGE_SQL}
         ORDER BY t."externalUserId" LIMIT ${REFRESH_BATCH})
       SELECT (SELECT count(*)::int FROM picked) AS picked,
         traveler_current_usage_refresh(ARRAY(SELECT "externalUserId" FROM picked), $1::timestamptz) AS written`,
      [now.toISOString()],
    );
    refreshed += Number(row?.written ?? 0);
    if (Number(row?.picked ?? 0) < REFRESH_BATCH) return refreshed;
  }
}
