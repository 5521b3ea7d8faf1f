import "server-only";
import { getDatabase, type SqlRunner } from "../db";
import { registerJobHandler } from "../jobs/jobs";

/**
 * WebhookEvent's monthly partitions (docs/decisions/0063-webhook-storage.md). The names are a contract with the
 * retention job: `WebhookEvent_pYYYY_MM` holds [the first of that month 00:00 UTC, the first of the next month), and
 * `WebhookEvent_default` catches anything outside the months created. Months are created ahead of time (at start
 * and by the daily `webhook-partitions` job); a month created late, after rows for it landed in the default
 * partition, takes those rows over.
 */

export const DEFAULT_PARTITION = "WebhookEvent_default";
const NAME_PATTERN = /^WebhookEvent_p(\d{4})_(\d{2})$/;
/** Serialises partition changes across instances (next to the bootstrap's 72410001..72410003). */
const PARTITION_LOCK_KEY = 72_410_004;

/**
 * A transaction-scoped advisory lock rather than Database.withExclusiveLock: on PGlite that is one queue for the
 * whole process, and a caller already holding it (the retention job drops months under its own lock) would wait
 * for itself.
 */
async function lockPartitions(sql: SqlRunner): Promise<void> {
  await sql.query(`SELECT pg_advisory_xact_lock(${PARTITION_LOCK_KEY}) AS locked`);
}

export type WebhookPartition = { name: string; monthStart: Date; monthEnd: Date; rowEstimate: number };

/** The first instant (UTC) of the month holding `at`. */
export function monthStartOf(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
}

export function addMonths(monthStart: Date, months: number): Date {
  return new Date(Date.UTC(monthStart.getUTCFullYear(), monthStart.getUTCMonth() + months, 1));
}

/** `WebhookEvent_p2026_12` for any instant of December 2026 (UTC). */
export function partitionName(at: Date): string {
  const month = monthStartOf(at);
  return `WebhookEvent_p${month.getUTCFullYear()}_${String(month.getUTCMonth() + 1).padStart(2, "0")}`;
}

/** The month partitions, oldest first, with the planner's row estimate (0 for a partition never analysed). */
export async function listWebhookPartitions(sql: SqlRunner = getDatabase().sql): Promise<WebhookPartition[]> {
  const rows = await sql.query<{ name: string; estimate: number }>(
    `SELECT c.relname AS name, c.reltuples::float8 AS estimate
       FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = '"WebhookEvent"'::regclass`,
  );
  const partitions: WebhookPartition[] = [];
  for (const row of rows) {
    const match = NAME_PATTERN.exec(row.name);
    if (!match) continue;
    const monthStart = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, 1));
    partitions.push({
      name: row.name,
      monthStart,
      monthEnd: addMonths(monthStart, 1),
      rowEstimate: Math.max(0, Math.round(Number(row.estimate))),
    });
  }
  return partitions.sort((a, b) => a.monthStart.getTime() - b.monthStart.getTime());
}

/**
 * Creates the month partitions from `now`'s month through `monthsAhead` months later that are missing; answers the
 * names created. Safe to run from several instances at once (one lock) and again (a month that exists is left).
 */
export async function ensureWebhookPartitions(now: Date = new Date(), monthsAhead = 3): Promise<string[]> {
  const first = monthStartOf(now);
  return ensureWebhookMonths(first, addMonths(first, Math.max(0, Math.floor(monthsAhead))));
}

/** Creates the missing month partitions from `from`'s month through `to`'s month (both included). */
export async function ensureWebhookMonths(from: Date, to: Date, sql?: SqlRunner): Promise<string[]> {
  const months: Date[] = [];
  for (let month = monthStartOf(from); month <= to; month = addMonths(month, 1)) months.push(month);
  if (sql) return createMissing(sql, months);
  return getDatabase().transaction(async (tx) => {
    await lockPartitions(tx);
    return createMissing(tx, months);
  });
}

async function createMissing(sql: SqlRunner, months: Date[]): Promise<string[]> {
  const existing = new Set((await listWebhookPartitions(sql)).map((partition) => partition.name));
  const created: string[] = [];
  for (const month of months) {
    const name = partitionName(month);
    if (existing.has(name)) continue;
    await createMonth(sql, month);
    created.push(name);
  }
  return created;
}

/** The constraints that reference WebhookEvent, as the migration made them (recreated after a move). */
const REFERENCES = [
  {
    table: "ForwardMessage",
    name: "ForwardMessage_eventId_eventReceivedAt_fkey",
    definition: `FOREIGN KEY ("eventId", "eventReceivedAt") REFERENCES "WebhookEvent"("id", "receivedAt") ON DELETE CASCADE ON UPDATE CASCADE`,
  },
  {
    table: "WebhookDedupe",
    name: "WebhookDedupe_eventId_receivedAt_fkey",
    definition: `FOREIGN KEY ("eventId", "receivedAt") REFERENCES "WebhookEvent"("id", "receivedAt") ON DELETE CASCADE ON UPDATE CASCADE`,
  },
];

/**
 * Creates one month's partition. Rows of that month already in the default partition (the month was not created
 * in time) would make the creation fail, so they move into it, keeping their ids: out of the default partition into
 * a holding table, then back through the parent once the month exists. Deleting them would cascade to their dedupe
 * rows and forwarding messages, so the two references are dropped for the move and added back after (which checks
 * every reference again: a rare repair, not the daily path).
 */
async function createMonth(sql: SqlRunner, month: Date): Promise<void> {
  const name = partitionName(month);
  const range = [month.toISOString(), addMonths(month, 1).toISOString()];
  const [stray] = await sql.query<{ found: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM "${DEFAULT_PARTITION}" WHERE "receivedAt" >= $1::timestamptz
       AND "receivedAt" < $2::timestamptz) AS found`,
    range,
  );
  const create = `CREATE TABLE "${name}" PARTITION OF "WebhookEvent"
    FOR VALUES FROM ('${range[0]}') TO ('${range[1]}')`;
  if (!stray?.found) {
    await sql.exec(create);
    return;
  }
  for (const reference of REFERENCES) {
    await sql.exec(`ALTER TABLE "${reference.table}" DROP CONSTRAINT "${reference.name}"`);
  }
  await sql.exec(`CREATE TEMP TABLE webhook_month_move (LIKE "WebhookEvent") ON COMMIT DROP`);
  await sql.query(
    `INSERT INTO webhook_month_move SELECT * FROM "${DEFAULT_PARTITION}"
      WHERE "receivedAt" >= $1::timestamptz AND "receivedAt" < $2::timestamptz`,
    range,
  );
  await sql.query(
    `DELETE FROM "${DEFAULT_PARTITION}" WHERE "receivedAt" >= $1::timestamptz AND "receivedAt" < $2::timestamptz`,
    range,
  );
  await sql.exec(create);
  await sql.exec(`INSERT INTO "WebhookEvent" SELECT * FROM webhook_month_move`);
  await sql.exec(`DROP TABLE webhook_month_move`);
  for (const reference of REFERENCES) {
    await sql.exec(`ALTER TABLE "${reference.table}" ADD CONSTRAINT "${reference.name}" ${reference.definition}`);
  }
}

export type DroppedMonth = { name: string; dropped: boolean; events: number; forwardMessages: number };

/**
 * Removes one month of events: its forwarding messages and dedupe rows first (they reference it), then the
 * partition is detached and dropped, in one transaction. `monthStart` must be the first instant of a UTC month.
 * A month with no partition drops nothing. Dropping forgets the month's dedupe keys: a resend of one of its events
 * afterwards is stored as new.
 */
export async function dropWebhookMonth(monthStart: Date): Promise<DroppedMonth> {
  if (Number.isNaN(monthStart.getTime()) || monthStartOf(monthStart).getTime() !== monthStart.getTime()) {
    throw new Error(`dropWebhookMonth needs the first instant of a UTC month, not ${String(monthStart)}.`);
  }
  const name = partitionName(monthStart);
  const range = [monthStart.toISOString(), addMonths(monthStart, 1).toISOString()];
  return getDatabase().transaction(async (sql) => {
    await lockPartitions(sql);
    const [found] = await sql.query<{ exists: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS exists`, [`"${name}"`]);
    if (!found?.exists) return { name, dropped: false, events: 0, forwardMessages: 0 };
    const [messages] = await sql.query<{ n: number }>(
      `WITH gone AS (DELETE FROM "ForwardMessage"
         WHERE "eventReceivedAt" >= $1::timestamptz AND "eventReceivedAt" < $2::timestamptz RETURNING 1)
       SELECT count(*)::int AS n FROM gone`,
      range,
    );
    await sql.query(
      `DELETE FROM "WebhookDedupe" WHERE "receivedAt" >= $1::timestamptz AND "receivedAt" < $2::timestamptz`,
      range,
    );
    const [events] = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${name}"`);
    await sql.exec(`ALTER TABLE "WebhookEvent" DETACH PARTITION "${name}"`);
    await sql.exec(`DROP TABLE "${name}"`);
    return { name, dropped: true, events: events?.n ?? 0, forwardMessages: messages?.n ?? 0 };
  });
}

/** Months created ahead of the current one, at start and by the daily job. */
export const PARTITION_MONTHS_AHEAD = 3;

/** Registers the daily partition job's handler (instrumentation.ts). */
export function registerPartitionJobs(): void {
  registerJobHandler("webhook-partitions", async () => {
    await ensureWebhookPartitions(new Date(), PARTITION_MONTHS_AHEAD);
  });
}
