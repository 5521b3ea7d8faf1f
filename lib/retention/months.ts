import "server-only";
import { getDatabase } from "../db";
import { dropWebhookMonth as dropWebhookPartition, listWebhookPartitions, partitionName } from "../webhooks/partitions";
import { monthlyCounts } from "../webhooks/rollup";
import { addMonths } from "./periods";

/**
 * The months of stored webhook events, and dropping one. Kept small and apart: when WebhookEvent is partitioned by
 * month (`WebhookEvent_pYYYY_MM`, range [month start, next month start) on "receivedAt", plus
 * `WebhookEvent_default`), a month is a partition, detached and dropped whole; otherwise its rows are deleted in
 * batches. Either way its forwarding messages go first (their foreign key would block the detach).
 */

/** Rows per delete statement, so dropping an unpartitioned month never holds a long lock. */
const DELETE_BATCH = 5_000;

export type StoredMonth = { monthStart: Date; rows: number };

/**
 * Every month that holds events, oldest first, with its row count: from the webhook hourly rollup plus a live count
 * of what it has not reached (decision 0065), so neither the screen nor the daily job counts a year of rows.
 */
export async function listWebhookMonths(): Promise<StoredMonth[]> {
  return (await monthlyCounts({ from: 0, to: null })).map(({ month, events }) => ({
    monthStart: new Date(`${month}-01T00:00:00.000Z`),
    rows: events,
  }));
}

/** The events stored for one month now. */
export async function countWebhookMonth(monthStart: Date): Promise<number> {
  const [row] = await getDatabase().sql.query<{ rows: number }>(
    `SELECT count(*)::int AS rows FROM "WebhookEvent" WHERE "receivedAt" >= $1 AND "receivedAt" < $2`,
    [monthStart, addMonths(monthStart, 1)],
  );
  return row?.rows ?? 0;
}

/**
 * Removes a month of events and their forwarding messages (and, through their cascade, the delivery attempts).
 * Answers the events removed and how. Callers drop only a month whose archive was verified.
 */
export async function dropWebhookMonth(monthStart: Date): Promise<{ rows: number; method: "partition" | "delete" }> {
  const database = getDatabase();
  const name = partitionName(monthStart);
  if ((await listWebhookPartitions(database.sql)).some((partition) => partition.name === name)) {
    // lib/webhooks/partitions.ts owns the partitions: it removes the month's messages and dedupe rows too (both
    // reference the events; docs/decisions/0063), then detaches and drops it.
    const dropped = await dropWebhookPartition(monthStart);
    return { rows: dropped.events, method: "partition" };
  }
  const range = [monthStart, addMonths(monthStart, 1)];
  let rows = 0;
  for (;;) {
    const deleted = await database.transaction(async (sql) => {
      const batch = `SELECT id FROM "WebhookEvent" WHERE "receivedAt" >= $1 AND "receivedAt" < $2 ORDER BY id LIMIT ${DELETE_BATCH}`;
      await sql.query(`DELETE FROM "ForwardMessage" WHERE "eventId" IN (${batch})`, range);
      return (await sql.query(`DELETE FROM "WebhookEvent" WHERE id IN (${batch}) RETURNING id`, range)).length;
    });
    rows += deleted;
    if (deleted < DELETE_BATCH) return { rows, method: "delete" };
  }
}
