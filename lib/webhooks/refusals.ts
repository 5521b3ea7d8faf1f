import "server-only";
import { db, getDatabase } from "../db";
import { storableText } from "./storable";

/**
 * Refused webhook deliveries (bad key or signature), counted in WebhookAuthRefusal per minute, source address and
 * reason: a refusal adds to a count instead of writing a row, so an unauthenticated flood cannot grow the table
 * (one row per request was ~550 rows/s from one client). Buckets older than REFUSAL_RETENTION_HOURS are pruned.
 */

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
    INSERT INTO "WebhookAuthRefusal" AS r ("minute", "ip", "reason", "count", "lastAt")
    VALUES ($1::timestamptz, $2::text, $3::text, 1, $4::timestamptz)
    ON CONFLICT ("minute", "ip", "reason")
      DO UPDATE SET "count" = r."count" + 1, "lastAt" = GREATEST(r."lastAt", EXCLUDED."lastAt")
    RETURNING (xmax = 0) AS created
  )
  DELETE FROM "WebhookAuthRefusal"
  WHERE "minute" < $5::timestamptz AND EXISTS (SELECT 1 FROM counted WHERE created)`;

let sourcesThisMinute = { minute: 0, addresses: new Set<string>() };
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
 * Counts one refused delivery. Never throws: the refusal is answered 401 whether or not it could be counted, and
 * a failure to count is logged as one line, at most once a minute, so a flood cannot flood the log either.
 */
export async function countRefusal(reason: string, ip: string | null, at: Date = new Date()): Promise<void> {
  const minute = startOfMinute(at.getTime());
  const cutoff = minute - REFUSAL_RETENTION_HOURS * 3_600_000;
  try {
    await getDatabase().prepared(COUNT_REFUSAL, [
      new Date(minute).toISOString(),
      bucketAddress(ip, minute),
      storableText(reason, 100),
      at.toISOString(),
      new Date(cutoff).toISOString(),
    ]);
  } catch (error) {
    if (at.getTime() - lastWarningAt < 60_000) return;
    lastWarningAt = at.getTime();
    const message = (error instanceof Error ? error.message : String(error)).split("\n")[0]!.slice(0, 300);
    console.warn(`[webhooks] could not count refused deliveries (answered 401 all the same): ${message}`);
  }
}

/** Refused deliveries counted since `since` (to the minute), for the health panel. */
export async function refusalsSince(since: Date): Promise<number> {
  const sum = await db().webhookAuthRefusal.aggregate({
    where: { minute: { gte: new Date(startOfMinute(since.getTime())) } },
    _sum: { count: true },
  });
  return sum._sum.count ?? 0;
}
