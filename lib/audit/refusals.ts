import "server-only";
import { db, getDatabase } from "../db";
import { storableText } from "../storable";

/**
 * Unauthenticated requests that were refused, counted in RefusalCount per minute, kind, source address and reason:
 * a refusal adds to a count instead of writing a row (or an audit entry), so an unauthenticated flood cannot grow
 * a table or the log (one row per request was ~550 rows/s for webhooks, ~64/s audit entries for forged server
 * action calls). Buckets older than REFUSAL_RETENTION_HOURS are pruned. Kinds:
 * - `webhook`: a delivery with a bad key or signature (the webhook inbox's health panel);
 * - `action`: a server action or upload called without a valid session (the audit log page).
 * Signed-in staff who are refused still get an audit entry each: they are accountable, a flood of them is not.
 */
export type RefusalKind = "webhook" | "action";

/** The health panel reads the last 24 hours; a second day is kept for looking back. */
export const REFUSAL_RETENTION_HOURS = 48;
/**
 * Distinct source addresses this process counts per minute; refusals from further addresses are counted under
 * OTHER_SOURCES. The address may come from x-forwarded-for, which the sender writes: without a cap, a client
 * naming a new address on every request would again add a row per request.
 */
export const MAX_REFUSAL_SOURCES_PER_MINUTE = 100;
export const OTHER_SOURCES = "other";
/** The longest IPv6 text form is 45 characters; longer values are not addresses. */
const MAX_ADDRESS_LENGTH = 64;

// One statement: count the refusal in its bucket, and when that created a new bucket (the first refusal of a
// minute for an address and reason), prune expired buckets, so pruning runs at most once per new bucket.
const COUNT_REFUSAL = `
  WITH counted AS (
    INSERT INTO "RefusalCount" AS r ("minute", "kind", "ip", "reason", "count", "lastAt")
    VALUES ($1::timestamptz, $6::text, $2::text, $3::text, 1, $4::timestamptz)
    ON CONFLICT ("minute", "kind", "ip", "reason")
      DO UPDATE SET "count" = r."count" + 1, "lastAt" = GREATEST(r."lastAt", EXCLUDED."lastAt")
    RETURNING (xmax = 0) AS created
  )
  DELETE FROM "RefusalCount"
  WHERE "minute" < $5::timestamptz AND EXISTS (SELECT 1 FROM counted WHERE created)`;

let sourcesThisMinute = { minute: 0, addresses: new Set<string>() };
// Addresses are capped per minute across kinds: one set is enough to bound the rows a flood can add.
let lastWarningAt = 0;

const startOfMinute = (time: number) => Math.floor(time / 60_000) * 60_000;

/** The bucket's address: the sender's, or OTHER_SOURCES once this minute has counted enough distinct ones. */
function bucketAddress(ip: string | null, minute: number): string {
  const address = storableText(ip ?? "", MAX_ADDRESS_LENGTH);
  if (sourcesThisMinute.minute !== minute) sourcesThisMinute = { minute, addresses: new Set() };
  const { addresses } = sourcesThisMinute;
  if (addresses.has(address)) return address;
  if (addresses.size >= MAX_REFUSAL_SOURCES_PER_MINUTE) return OTHER_SOURCES;
  addresses.add(address);
  return address;
}

/**
 * Counts one refused request. Never throws: the refusal is answered whether or not it could be counted, and a
 * failure to count is logged as one line, at most once a minute, so a flood cannot flood the log either.
 */
export async function countRefusal(
  kind: RefusalKind,
  reason: string,
  ip: string | null,
  at: Date = new Date(),
): Promise<void> {
  const minute = startOfMinute(at.getTime());
  const cutoff = minute - REFUSAL_RETENTION_HOURS * 3_600_000;
  try {
    // On the main pool, not Database.prepared's: a flood of refused requests must not hold up the webhook intake's
    // connections (docs/decisions/0077).
    await getDatabase().sql.query(COUNT_REFUSAL, [
      new Date(minute).toISOString(),
      bucketAddress(ip, minute),
      storableText(reason, 100),
      at.toISOString(),
      new Date(cutoff).toISOString(),
      kind,
    ]);
  } catch (error) {
    if (at.getTime() - lastWarningAt < 60_000) return;
    lastWarningAt = at.getTime();
    const message = (error instanceof Error ? error.message : String(error)).split("\n")[0]!.slice(0, 300);
    console.warn(`[refusals] could not count refused ${kind} requests (refused all the same): ${message}`);
  }
}

/** Refusals of one kind counted since `since` (to the minute), for the health panel and the audit log page. */
export async function refusalsSince(kind: RefusalKind, since: Date): Promise<number> {
  const sum = await db().refusalCount.aggregate({
    where: { kind, minute: { gte: new Date(startOfMinute(since.getTime())) } },
    _sum: { count: true },
  });
  return sum._sum.count ?? 0;
}

/** The most frequent reasons of one kind since `since`, for the audit log page. */
export async function refusalReasonsSince(kind: RefusalKind, since: Date, take = 5) {
  const groups = await db().refusalCount.groupBy({
    by: ["reason"],
    where: { kind, minute: { gte: new Date(startOfMinute(since.getTime())) } },
    _sum: { count: true },
    orderBy: { _sum: { count: "desc" } },
    take,
  });
  return groups.map((group) => ({ reason: group.reason, count: group._sum.count ?? 0 }));
}

/** The last day's most frequent reasons of one kind (the audit log page). */
export function refusalReasonsOfLastDay(kind: RefusalKind, take = 5) {
  return refusalReasonsSince(kind, new Date(Date.now() - 86_400_000), take);
}
