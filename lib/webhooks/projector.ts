import "server-only";
import { getDatabase } from "../db";
import { registerJobHandler, sendJob } from "../jobs/jobs";
import { log } from "../log";
import { metrics } from "../metrics";
import { storableText } from "../storable";
import { isHandledEvent, parseWebhookBody } from "./envelope";
import { FactsError, factsFor, type Facts } from "./facts";
import { inWaves, projectionCtes, projectionKeys } from "./projection";
import { isRefusedContent, oneLine, processingFailed, retryingLockConflicts } from "./statement-retry";

/**
 * The deferred projection (docs/decisions/0071). Under a burst the intake (lib/webhooks/intake.ts) answers each
 * delivery once its event row is committed, together with a row in "WebhookProjectionPending", and hands the
 * event's facts here; the projection (Traveler, TravelerBooking, TravelerPackage, UsageSample, promo codes) is
 * written right after, in large statements, once the intake has been quiet for a moment (or at the latest
 * MAX_DEFER_MS after it was held back). A lone delivery is still projected in the statement that stores it.
 *
 * Safe because the projection is order-independent and idempotent (lib/webhooks/projection.ts): writing an event's
 * projection later, or twice, gives the same rows. Each statement deletes the pending rows of its events and writes
 * only the projections of the rows it deleted, so two writers (this instance and the sweep of another) never both
 * write one. What a crash loses from memory is still pending in the table: the sweep (every minute, and at start)
 * projects it from the stored body.
 */

export type DeferredProjection = { eventId: string; receivedAt: Date; facts: Facts };

/** Events a statement group takes at once: a few waves of rows, each one statement. */
const SLICE = 512;
/** Deferred projections held in memory at most; past it, the intake projects in the statement again. */
const MAX_BACKLOG = 8_192;
/** The intake counts as quiet once it has had nothing to write for this long. */
const QUIET_MS = 40;
/** How long a projection waits at most while the intake stays busy: then one slice is written regardless. */
const MAX_DEFER_MS = 5_000;

type ProjectorState = {
  queue: DeferredProjection[];
  running: Promise<void> | null;
  timer: NodeJS.Timeout | null;
  /** Milliseconds since the intake last had work (0 while it has some). */
  intakeQuietFor: () => number;
};

// On globalThis, as the intake's queue: scripts/server.ts and Next.js's bundle may load this module separately.
const state = ((globalThis as { __webhookProjector?: ProjectorState }).__webhookProjector ??= {
  queue: [],
  running: null,
  timer: null,
  intakeQuietFor: () => Number.POSITIVE_INFINITY,
});

/** The intake tells how long it has been quiet; the projector writes while it is. */
export function watchIntake(quietFor: () => number): void {
  state.intakeQuietFor = quietFor;
}

/** Whether `count` more deferred projections fit in memory. */
export function canDefer(count: number): boolean {
  return state.queue.length + count <= MAX_BACKLOG;
}

/** Events committed with a pending row, whose projection is to be written. */
export function deferProjections(items: DeferredProjection[]): void {
  if (items.length === 0) return;
  state.queue.push(...items);
  metrics().webhookProjectionBacklog.set(state.queue.length);
  schedule();
}

/** The intake has work again, or has just run out of it: the projector looks again after QUIET_MS. */
export function intakeActivity(): void {
  schedule();
}

/** Deferred projections this instance holds in memory, not yet written. */
export function projectionBacklog(): number {
  return state.queue.length;
}

/** Pending rows in the database: events whose projection no instance has written yet (the metrics' gauge). */
export async function pendingProjections(): Promise<number> {
  const [row] = await getDatabase().sql.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM "WebhookProjectionPending"`,
  );
  return row?.n ?? 0;
}

/**
 * Writes every deferred projection now, whatever the intake is doing, and resolves once none is left: for a
 * graceful stop, and for tests that read the projection right after a burst.
 */
export async function settleProjections(): Promise<void> {
  while (state.queue.length > 0 || state.running) {
    if (!state.running) start();
    await state.running;
  }
}

function schedule() {
  if (state.running || state.queue.length === 0 || state.timer) return;
  const quiet = state.intakeQuietFor();
  const wait = quiet >= QUIET_MS ? 0 : QUIET_MS - quiet;
  state.timer = setTimeout(() => {
    state.timer = null;
    if (state.running || state.queue.length === 0) return;
    if (state.intakeQuietFor() >= QUIET_MS || heldSince() >= MAX_DEFER_MS) start();
    else schedule();
  }, wait);
  state.timer.unref();
}

/** How long the oldest deferred projection has waited. */
function heldSince(): number {
  const oldest = state.queue[0];
  return oldest ? Date.now() - oldest.receivedAt.getTime() : 0;
}

function start() {
  if (state.timer) clearTimeout(state.timer);
  state.timer = null;
  state.running = writeDeferred()
    .catch((error: unknown) => console.error(`[webhooks] deferred projection failed: ${oneLine(error)}`))
    .finally(() => {
      state.running = null;
      metrics().webhookProjectionBacklog.set(state.queue.length);
      schedule();
    });
}

/** Slices of the queue while the intake stays quiet; at least one (a forced start, or settleProjections). */
async function writeDeferred() {
  do {
    await projectSlice(state.queue.splice(0, SLICE));
    metrics().webhookProjectionBacklog.set(state.queue.length);
  } while (state.queue.length > 0 && state.intakeQuietFor() >= QUIET_MS);
}

/**
 * Writes the projections of a slice in waves (no projection row twice in one statement). A wave the database
 * refuses is written event by event, so one event's content cannot hold back the others; the event whose projection
 * is refused is kept as failed, as the intake keeps one whose statement fails. When the database cannot be reached,
 * the events stay pending for the sweep.
 */
async function projectSlice(items: DeferredProjection[]): Promise<void> {
  for (const wave of inWaves(items, (item) => projectionKeys(item.facts))) {
    try {
      await writeProjections(wave);
      continue;
    } catch (error) {
      if (!isRefusedContent(error)) return leavePending(wave, error);
    }
    for (const item of wave) {
      try {
        await writeProjections([item]);
      } catch (error) {
        if (isRefusedContent(error)) await markFailed(item, error);
        else leavePending([item], error);
      }
    }
  }
}

function leavePending(items: DeferredProjection[], error: unknown) {
  console.error(
    `[webhooks] ${items.length} projections left pending for the sweep, the database could not write them: ${oneLine(error)}`,
  );
}

const statementTexts = new Map<string, string>();

/**
 * One statement: delete the events' pending rows and write the projections of the rows it deleted (`ins` names
 * them, as the intake's statement names the event rows it inserted). A row another writer deleted first is not in
 * `ins`, so its projection is written once.
 */
async function writeProjections(items: DeferredProjection[]): Promise<number> {
  const rows = [...items].sort((a, b) => Number(BigInt(a.eventId) - BigInt(b.eventId)));
  const projection = projectionCtes(
    rows.map((item) => ({ dedupeKey: item.eventId, facts: item.facts })),
    1,
  );
  const shape = projection.ctes.join("\n");
  let text = statementTexts.get(shape);
  if (text === undefined) {
    const claim = `ins AS (DELETE FROM "WebhookProjectionPending" WHERE "eventId" = ANY($1::bigint[])
      RETURNING "eventId"::text AS "dedupeKey")`;
    text = `WITH ${[claim, ...projection.ctes].join(",\n")}\nSELECT count(*)::int AS written FROM ins`;
    statementTexts.set(shape, text);
  }
  const statement = text;
  const values = [rows.map((item) => item.eventId), ...projection.values];
  const [result] = await retryingLockConflicts(`projection statement (${rows.length} events)`, () =>
    getDatabase().prepared<{ written: number }>(statement, values),
  );
  return result?.written ?? 0;
}

/** The database refused the event's projection: the event is kept as failed with the reason, to be replayed. */
async function markFailed(item: DeferredProjection, error: unknown) {
  const reason = storableText(processingFailed(oneLine(error)), 1000);
  try {
    await getDatabase().prepared(
      `WITH ins AS (DELETE FROM "WebhookProjectionPending" WHERE "eventId" = $1::bigint RETURNING "eventId")
       UPDATE "WebhookEvent" SET "status" = 'failed', "error" = $3::text, "processedAt" = NULL
       WHERE "id" IN (SELECT "eventId" FROM ins) AND "receivedAt" = $2::timestamptz`,
      [item.eventId, item.receivedAt.toISOString(), reason],
    );
    console.error(`[webhooks] event ${item.eventId} stored as failed: ${reason}`);
  } catch (failure) {
    leavePending([item], failure);
  }
}

/**
 * The sweep: projects pending rows received at least `olderThanMs` ago, which the instance that stored them did
 * not write (it crashed, or stopped before it could), reading each event's facts again from its stored body. A
 * pending row whose event is gone (retention) is deleted. Answers how many were projected.
 */
export async function projectLeftBehind(options: { olderThanMs: number; limit?: number }): Promise<number> {
  const limit = options.limit ?? SLICE;
  let projected = 0;
  for (;;) {
    const rows = await getDatabase().sql.query<{
      eventId: string;
      receivedAt: Date | string;
      body: string | null;
      storedEventId: string | null;
      found: boolean;
    }>(
      `SELECT p."eventId"::text AS "eventId", p."receivedAt", e."body"::text AS body, e."eventId" AS "storedEventId",
         e."id" IS NOT NULL AS found
       FROM "WebhookProjectionPending" p
       LEFT JOIN "WebhookEvent" e ON e."id" = p."eventId" AND e."receivedAt" = p."receivedAt"
       WHERE p."receivedAt" <= now() - make_interval(secs => $1::double precision)
       ORDER BY p."eventId" LIMIT $2::int`,
      [options.olderThanMs / 1000, limit],
    );
    const items: DeferredProjection[] = [];
    const gone: string[] = [];
    for (const row of rows) {
      const receivedAt = new Date(row.receivedAt);
      const facts = row.found ? factsOf(row.body, row.storedEventId, receivedAt) : null;
      if (facts) items.push({ eventId: row.eventId, receivedAt, facts });
      else gone.push(row.eventId);
    }
    if (gone.length > 0) {
      await getDatabase().sql.query(`DELETE FROM "WebhookProjectionPending" WHERE "eventId" = ANY($1::bigint[])`, [
        gone,
      ]);
    }
    await projectSlice(items);
    projected += items.length;
    if (rows.length < limit) return projected;
  }
}

/** The facts of a stored event, as the intake derived them; null when its body no longer yields any. */
function factsOf(body: string | null, storedEventId: string | null, receivedAt: Date): Facts | null {
  if (body === null) return null;
  const parsed = parseWebhookBody(body, storedEventId);
  if (!parsed.ok || !isHandledEvent(parsed.event.eventType)) return null;
  try {
    return factsFor({ ...parsed.event, eventType: parsed.event.eventType }, receivedAt);
  } catch (error) {
    if (error instanceof FactsError) return null;
    throw error;
  }
}

/** A pending row older than this is another instance's only if that instance is stuck or gone. */
const SWEEP_AFTER_MS = 30_000;

/** The sweep's job (every minute), and one sweep at start for what a crash left (instrumentation.ts). */
export function registerProjectionJobs(): void {
  registerJobHandler("webhook-projection-sweep", async ({ trigger }) => {
    const projected = await projectLeftBehind({ olderThanMs: trigger === "start" ? 0 : SWEEP_AFTER_MS });
    if (projected > 0) log("webhooks").info({ trigger, projected }, "projected events left pending");
  });
}

/** Queues one sweep of everything pending, whatever its age, once the job system runs (a crash leaves some). */
export async function queueProjectionSweepAtStart(): Promise<void> {
  await sendJob("webhook-projection-sweep", { trigger: "start" });
}
