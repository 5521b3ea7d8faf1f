import "server-only";
import { getDatabase, type SqlRunner } from "../db";
import { dropWebhookMonth as dropWebhookPartition } from "../webhooks/partitions";
import { addMonths, monthLabel } from "./periods";

/**
 * The months of stored webhook events, and dropping one. Kept small and apart: when WebhookEvent is partitioned by
 * month (`WebhookEvent_pYYYY_MM`, range [month start, next month start) on "receivedAt", plus
 * `WebhookEvent_default`), a month is a partition, detached and dropped whole; otherwise its rows are deleted in
 * batches. Either way its forwarding messages go first (their foreign key would block the detach).
 */

/** Rows per delete statement, so dropping an unpartitioned month never holds a long lock. */
const DELETE_BATCH = 5_000;

export type StoredMonth = { monthStart: Date; rows: number };

const partitionName = (monthStart: Date) => `WebhookEvent_p${monthLabel(monthStart).replace("-", "_")}`;
const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The partitions of WebhookEvent (none when it is a plain table). */
async function partitions(sql: SqlRunner): Promise<string[]> {
  const rows = await sql.query<{ name: string }>(
    `SELECT child.relname AS name
       FROM pg_inherits i
       JOIN pg_class parent ON parent.oid = i.inhparent
       JOIN pg_namespace ns ON ns.oid = parent.relnamespace
       JOIN pg_class child ON child.oid = i.inhrelid
      WHERE parent.relname = 'WebhookEvent' AND ns.nspname = current_schema()
      ORDER BY child.relname`,
  );
  return rows.map((row) => row.name);
}

const monthGroups = (table: string) =>
  `SELECT to_char(date_trunc('month', "receivedAt" AT TIME ZONE 'UTC'), 'YYYY-MM') AS month, count(*)::int AS rows
     FROM ${quoted(table)} GROUP BY 1`;

/** Every month that holds events, oldest first, with its row count. */
export async function listWebhookMonths(): Promise<StoredMonth[]> {
  const { sql } = getDatabase();
  const children = await partitions(sql);
  const counts = new Map<string, number>();
  if (children.length === 0) {
    for (const row of await sql.query<{ month: string; rows: number }>(monthGroups("WebhookEvent"))) {
      counts.set(row.month, row.rows);
    }
  } else {
    for (const child of children) {
      const month = /^WebhookEvent_p(\d{4})_(\d{2})$/.exec(child);
      if (month) {
        const [row] = await sql.query<{ rows: number }>(`SELECT count(*)::int AS rows FROM ${quoted(child)}`);
        if (row && row.rows > 0)
          counts.set(`${month[1]}-${month[2]}`, (counts.get(`${month[1]}-${month[2]}`) ?? 0) + row.rows);
      } else {
        // The default partition (or any other) holds events of months without their own partition.
        for (const row of await sql.query<{ month: string; rows: number }>(monthGroups(child))) {
          counts.set(row.month, (counts.get(row.month) ?? 0) + row.rows);
        }
      }
    }
  }
  return [...counts.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([month, rows]) => ({ monthStart: new Date(`${month}-01T00:00:00.000Z`), rows }));
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
  if ((await partitions(database.sql)).includes(name)) {
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
