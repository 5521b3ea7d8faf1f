import "server-only";
import crypto from "node:crypto";
import { db, getDatabase } from "../db";
import { getEnv } from "../env";
import { ActionError } from "../errors";
import { recordForwardAttempt } from "../metrics";
import { namedBatcher } from "../jobs/batcher";
import { registerJobHandler } from "../jobs/jobs";
import { sampleEvent } from "../webhooks/samples";
import { intakeLoad } from "../webhooks/intake";
import { onWebhookStored } from "../webhooks/receiver";
import { headersOf, signingSecrets, syncConfiguredEndpoints } from "./endpoints";
import { failedTooLong, isSuccess, mayForwardNow, nextAttemptAt } from "./schedule";
import { signatureHeaders } from "./signing";
import { postWebhook } from "./transport";

/**
 * The forwarding engine (docs/decisions/0030, 0079). The intake puts each new event in the outbox,
 * "WebhookForwardPending", in the statement that stores it, while an endpoint is enabled. After the commit the
 * receiver tells this engine (onWebhookStored), which turns pending events into one message per subscribed endpoint
 * ("fan-out") and delivers the due messages at once, or, under a burst of deliveries, once it eases (a second at
 * most). The "forward-sweep" job runs the same pass every minute on whichever instance gets it:
 * it delivers scheduled retries and whatever a crashed instance left. A message is taken for one attempt with a
 * claim that runs out (CLAIM_MS), so after a crash another instance sends it again with the same webhook-id.
 */

/** Messages fanned out per statement. */
const FAN_OUT_BATCH = 500;
/** Attempts in flight at once per instance. */
const CONCURRENCY = 48;
/** How long a claimed message is left to its instance (longer than an attempt's timeout and rate-limit wait). */
const CLAIM_MS = 120_000;
/**
 * How long a stored event waits for neighbours before a pass starts: a pass per event would cost the database as much
 * as the intake itself (fan-out, claim, endpoint read), a pass per few milliseconds of events shares that cost.
 */
const COALESCE_MS = 20;
/** How long a pass waits for the attempts under way before it takes more (settledOrRound). */
const ROUND_MS = 20;
const SLOW_ROUND_MS = 250;
/** Retries due within this are timed in-process; later ones are left to the minute sweep. */
const TIMED_RETRY_HORIZON_MS = 60_000;

type Clock = () => Date;

type ClaimedMessage = {
  id: string;
  endpointId: number;
  eventId: string | null;
  webhookId: string;
  attempts: number;
  orderingKey: string | null;
  receivedAt: Date | null;
  /** What is sent, read with the claim: the stored event's text, its exact bytes when not UTF-8, or a test body. */
  rawBody: string | null;
  rawBytes: Uint8Array | null;
  ownBody: string | null;
};

/** Makes the messages of pending events, and takes those events out of the outbox; answers how many it took. */
export async function fanOut(limit = FAN_OUT_BATCH): Promise<number> {
  // One statement, so no transaction around it (BEGIN and COMMIT would be two more round trips per pass). Each event
  // is read by its key (id, receivedAt): the planner takes a DELETE's RETURNING for a handful of rows, so this is a
  // nested loop, each lookup in one month (pruned at run time). `= ANY` on both columns instead could make PostgreSQL
  // before 17 look up every pair of the two arrays' values. An event that is gone (its month dropped by retention)
  // leaves its outbox row deleted and no message.
  const rows = await getDatabase().prepared<{ events: number }>(
    `WITH taken AS (
         DELETE FROM "WebhookForwardPending" WHERE "eventId" = ANY(ARRAY(
           SELECT "eventId" FROM "WebhookForwardPending" ORDER BY "eventId" LIMIT $1 FOR UPDATE SKIP LOCKED))
         RETURNING "eventId", "receivedAt"
       ), pending AS (
         SELECT w.id, w."eventType", w."externalUserId", w."receivedAt" FROM taken t JOIN "WebhookEvent" w
           ON w.id = t."eventId" AND w."receivedAt" = t."receivedAt"
       ), made AS (
         INSERT INTO "ForwardMessage" ("endpointId", "eventId", "eventReceivedAt", "webhookId", "eventType", "orderingKey",
           "receivedAt", "status", "nextAttemptAt")
         SELECT e.id, p.id, p."receivedAt", 'msg_' || p.id || '_' || e.id, p."eventType",
           CASE WHEN e.ordered THEN p."externalUserId" END, p."receivedAt", 'pending', p."receivedAt"
         FROM pending p JOIN "ForwardEndpoint" e ON e.enabled
           AND (cardinality(e."eventTypes") = 0 OR p."eventType" = ANY(e."eventTypes"))
         ON CONFLICT ("endpointId", "eventId") DO NOTHING RETURNING 1
       )
       SELECT (SELECT count(*) FROM taken)::int AS events, (SELECT count(*) FROM made)::int AS messages`,
    [limit],
  );
  return rows[0]?.events ?? 0;
}

/**
 * Takes up to `limit` messages due at `now` for enabled endpoints. For an ordered endpoint a traveler's message
 * waits while an earlier one of the same traveler is still pending (being tried or waiting for its retry).
 */
async function claimDue(now: Date, limit: number): Promise<ClaimedMessage[]> {
  return getDatabase().prepared<ClaimedMessage>(
    `WITH due AS (
         SELECT m.id, m."eventId", m."eventReceivedAt" FROM "ForwardMessage" m JOIN "ForwardEndpoint" e ON e.id = m."endpointId"
         WHERE m.status = 'pending' AND m."nextAttemptAt" <= $1
           AND (m."claimedUntil" IS NULL OR m."claimedUntil" < $1)
           AND e.enabled AND e."disabledAt" IS NULL
           AND (m."orderingKey" IS NULL OR NOT EXISTS (
             SELECT 1 FROM "ForwardMessage" o WHERE o."endpointId" = m."endpointId"
               AND o."orderingKey" = m."orderingKey" AND o.status = 'pending' AND o.id < m.id))
         ORDER BY m."nextAttemptAt", m.id LIMIT $2 FOR UPDATE OF m SKIP LOCKED
       )
       UPDATE "ForwardMessage" m SET "claimedUntil" = $3 FROM due LEFT JOIN "WebhookEvent" w
         ON w.id = due."eventId" AND w."receivedAt" = due."eventReceivedAt"
       WHERE m.id = due.id
       RETURNING m.id::text AS id, m."endpointId" AS "endpointId", m."eventId"::text AS "eventId",
         m."webhookId" AS "webhookId", m.attempts, m."orderingKey" AS "orderingKey",
         m."receivedAt" AS "receivedAt", COALESCE(w."body"::text, w."rawBody") AS "rawBody",
         w."rawBytes" AS "rawBytes", m.body AS "ownBody"`,
    [now.toISOString(), limit, new Date(now.getTime() + CLAIM_MS).toISOString()],
  );
}

/** Per endpoint, when its next attempt may start (its rate limit, in this instance). */
const nextSlot = new Map<number, number>();

async function waitForSlot(endpointId: number, perSecond: number | null) {
  if (!perSecond) return;
  const now = Date.now();
  const slot = Math.max(now, nextSlot.get(endpointId) ?? 0);
  nextSlot.set(endpointId, slot + 1000 / perSecond);
  if (slot > now) await new Promise((resolve) => setTimeout(resolve, slot - now));
}

type Endpoint = NonNullable<Awaited<ReturnType<typeof endpointsOf>>[number]>;

/** The endpoints of a claimed batch, read once for all its messages. */
function endpointsOf(ids: number[]) {
  return db().forwardEndpoint.findMany({ where: { id: { in: ids } } });
}

/** One attempt of one claimed message, recorded with its outcome. */
async function attempt(
  message: ClaimedMessage,
  endpoint: Endpoint | undefined,
  clock: Clock,
): Promise<"delivered" | "retry" | "failed"> {
  if (!endpoint) return "failed";
  // Hubby's envelope as it arrived, byte for byte (the exact bytes when they were not UTF-8 text).
  const body = message.eventId
    ? message.rawBytes
      ? Buffer.from(message.rawBytes)
      : Buffer.from(message.rawBody ?? "", "utf8")
    : Buffer.from(message.ownBody ?? "", "utf8");
  await waitForSlot(endpoint.id, endpoint.rateLimitPerSecond);
  const sentAt = clock();
  const outcome = await postWebhook(
    endpoint.url,
    {
      ...headersOf(endpoint.headers),
      "user-agent": "hubby-console-forwarder",
      ...signatureHeaders(message.webhookId, sentAt, body, signingSecrets(endpoint, sentAt)),
    },
    body,
    { allowPrivate: getEnv().HUBBY_FORWARD_ALLOW_PRIVATE },
  );
  const at = new Date(sentAt.getTime() + outcome.latencyMs);
  const delivered = outcome.kind === "reply" && isSuccess(outcome.status);
  const attempts = message.attempts + 1;
  const statusCode = outcome.kind === "reply" ? outcome.status : null;
  // 410 Gone: the receiver says it will never take this; the message fails now (staff recover it once fixed).
  const gone = statusCode === 410;
  const retryAt = delivered || gone ? null : nextAttemptAt(attempts, at);
  const status = delivered ? "delivered" : retryAt ? "pending" : "failed";
  const error =
    outcome.kind === "error" ? outcome.error : delivered ? null : `The endpoint answered ${outcome.status}.`;
  const failingSince = delivered ? null : (endpoint.failingSince ?? at);
  // The endpoint as read before this attempt: disabled only once, by whichever attempt first qualifies.
  const disableReason = gone
    ? "The endpoint answered 410 Gone."
    : !delivered && failedTooLong(failingSince, at)
      ? "Every attempt failed for 5 days."
      : null;
  if (delivered && endpoint.failingSince === null) {
    // The common case changes nothing on the endpoint: recorded with its neighbours in one statement.
    await deliveredAttempts.add({
      messageId: message.id,
      endpointId: endpoint.id,
      at: at.toISOString(),
      statusCode,
      latencyMs: outcome.latencyMs,
      response: outcome.kind === "reply" ? outcome.reply : null,
      attempts,
    });
    recordForwardAttempt(endpoint.id, "delivered", message.receivedAt ? new Date(message.receivedAt) : null, at);
    return "delivered";
  }
  // One statement, so the attempt, the message and the endpoint change together without a transaction
  // (PostgreSQL runs every data-modifying CTE whether or not it is read).
  await getDatabase().sql.query(
    `WITH attempt AS (
       INSERT INTO "ForwardAttempt" ("messageId", "endpointId", "at", "succeeded", "statusCode", "latencyMs", "error",
         "response")
       VALUES ($1::bigint, $2::int, $3::timestamptz, $4::boolean, $5::int, $6::int, $7::text, $8::text) RETURNING 1
     ), message AS (
       UPDATE "ForwardMessage" SET "status" = $9::"ForwardMessageStatus", "attempts" = $10::int,
         "lastAttemptAt" = $3::timestamptz, "lastStatus" = $5::int, "lastError" = $7::text,
         "nextAttemptAt" = $11::timestamptz, "claimedUntil" = NULL,
         "deliveredAt" = CASE WHEN $4::boolean THEN $3::timestamptz ELSE "deliveredAt" END
       WHERE id = $1::bigint RETURNING 1
     )
     UPDATE "ForwardEndpoint" SET
       "failingSince" = CASE WHEN $4::boolean THEN NULL ELSE COALESCE("failingSince", $3::timestamptz) END,
       "disabledReason" = CASE WHEN $12::text IS NOT NULL AND "disabledAt" IS NULL THEN $12::text
         ELSE "disabledReason" END,
       "disabledAt" = CASE WHEN $12::text IS NOT NULL AND "disabledAt" IS NULL THEN $3::timestamptz ELSE "disabledAt" END
     WHERE id = $2::int`,
    [
      message.id,
      endpoint.id,
      at.toISOString(),
      delivered,
      statusCode,
      outcome.latencyMs,
      error,
      outcome.kind === "reply" ? outcome.reply : null,
      status,
      attempts,
      retryAt?.toISOString() ?? null,
      disableReason,
    ],
  );
  if (disableReason && endpoint.disabledAt === null) {
    console.error(`[forwarding] endpoint ${endpoint.id} (${endpoint.url}) disabled: ${disableReason}`);
  }
  const result = status === "pending" ? "retry" : status;
  recordForwardAttempt(endpoint.id, result, message.receivedAt ? new Date(message.receivedAt) : null, at);
  return result;
}

type DeliveredAttempt = {
  messageId: string;
  endpointId: number;
  at: string;
  statusCode: number | null;
  latencyMs: number;
  response: string | null;
  attempts: number;
};

/**
 * Group commit of successful attempts to endpoints that were not failing (lib/jobs/batcher.ts): attempts finishing
 * within a few milliseconds of each other are stored, and their messages marked delivered, by one statement. An
 * attempt counts as finished only once its batch is stored; after a crash before that, the claim runs out and the
 * message is sent again with the same webhook-id (at least once).
 */
const deliveredAttempts = namedBatcher<DeliveredAttempt>("forward-attempts", {
  flushMs: 5,
  maxBatch: 200,
  write: async (entries) => {
    await getDatabase().prepared(
      `WITH done AS (
         SELECT * FROM unnest($1::bigint[], $2::int[], $3::timestamptz[], $4::int[], $5::int[], $6::text[], $7::int[])
           AS t("messageId", "endpointId", at, "statusCode", "latencyMs", response, attempts)
       ), attempt AS (
         INSERT INTO "ForwardAttempt" ("messageId", "endpointId", "at", "succeeded", "statusCode", "latencyMs", "response")
         SELECT "messageId", "endpointId", at, true, "statusCode", "latencyMs", response FROM done RETURNING 1
       )
       UPDATE "ForwardMessage" m SET "status" = 'delivered', "attempts" = d.attempts, "lastAttemptAt" = d.at,
         "lastStatus" = d."statusCode", "lastError" = NULL, "nextAttemptAt" = NULL, "claimedUntil" = NULL,
         "deliveredAt" = d.at
       FROM done d WHERE m.id = d."messageId"`,
      [
        entries.map((entry) => entry.messageId),
        entries.map((entry) => entry.endpointId),
        entries.map((entry) => entry.at),
        entries.map((entry) => entry.statusCode),
        entries.map((entry) => entry.latencyMs),
        entries.map((entry) => entry.response),
        entries.map((entry) => entry.attempts),
      ],
    );
  },
});

export type PassOutcome = { events: number; delivered: number; retrying: number; failed: number };

/**
 * One forwarding pass: fans out the pending events (unless `mayFanOut` says wait: the engine's hold under a burst)
 * and delivers every message due, up to CONCURRENCY at once, until nothing is left to take (a message finishing may
 * free an ordered successor). `clock` is injectable so tests run the retry schedule without waiting for it.
 */
export async function runForwardingPass(
  clock: Clock = () => new Date(),
  mayFanOut: () => boolean = () => true,
): Promise<PassOutcome> {
  const outcome: PassOutcome = { events: 0, delivered: 0, retrying: 0, failed: 0 };
  const running = new Set<Promise<void>>();
  // Attempts finished so far: one that finishes while a claim is being read may free an ordered successor the claim
  // could not see yet, so the pass ends only after a claim that started with nothing finishing during it.
  let finished = 0;
  for (;;) {
    // Under a burst the engine's passes take no new events (mayFanOut) and deliver the messages already made. Once
    // allowed, a fan-out empties the outbox, however much a burst put in it.
    if (mayFanOut()) {
      for (let taken = FAN_OUT_BATCH; taken === FAN_OUT_BATCH;) {
        taken = await fanOut();
        outcome.events += taken;
      }
    }
    const free = CONCURRENCY - running.size;
    const finishedBeforeClaim = finished;
    // Stopping: the attempts under way finish (and are recorded), nothing more is taken.
    const claimed = free > 0 && !engine().stopping ? await claimDue(clock(), free) : [];
    const endpoints = claimed.length
      ? new Map(
          (await endpointsOf([...new Set(claimed.map((message) => message.endpointId))])).map((row) => [row.id, row]),
        )
      : new Map<number, Endpoint>();
    for (const message of claimed) {
      const work: Promise<void> = attempt(message, endpoints.get(message.endpointId), clock)
        .then((result) => {
          if (result === "delivered") outcome.delivered++;
          else if (result === "retry") outcome.retrying++;
          else outcome.failed++;
        })
        .catch((error: unknown) => console.error(`[forwarding] message ${message.id}:`, error))
        .finally(() => {
          finished++;
          running.delete(work);
        });
      running.add(work);
    }
    if (running.size === 0 && claimed.length === 0 && finished === finishedBeforeClaim) return outcome;
    if (running.size > 0 && (claimed.length === 0 || running.size >= CONCURRENCY)) await settledOrRound(running);
  }
}

/**
 * Waits until every attempt under way has finished, or ROUND_MS has passed and one more has (or SLOW_ROUND_MS, so
 * that a slow endpoint holds the others' new messages back that long at most). Not for the first one to finish:
 * taking what one finished attempt freed would cost a fan-out and a claim per message, and under a burst those
 * statements cost the intake more than the deliveries themselves. Nor a fixed poll: an attempt that takes its 15 s
 * would run the pass's statements every ROUND_MS meanwhile.
 */
async function settledOrRound(running: Set<Promise<void>>): Promise<void> {
  if (await settledWithin(Promise.all(running), ROUND_MS)) return;
  if (running.size > 0) await settledWithin(Promise.race(running), SLOW_ROUND_MS);
}

/** Whether `work` settled within `ms`. */
async function settledWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const settled = await Promise.race([
    work.then(() => true),
    new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms))),
  ]);
  clearTimeout(timer);
  return settled;
}

type EngineState = {
  /** Set by registerForwarding: this process forwards on its own (tests drive runForwardingPass instead). */
  automatic: boolean;
  running: Promise<void> | null;
  again: boolean;
  timer: NodeJS.Timeout | null;
  /** A pass asked for by a stored event, starting after COALESCE_MS once the intake lets it (readyToForward). */
  soon: NodeJS.Timeout | null;
  /** When the oldest event stored since the last pass started was stored (performance clock), or null. */
  heldSince: number | null;
  /** Set by stopForwarding: no pass starts and a running one takes nothing more. */
  stopping: boolean;
};
const globalEngine = globalThis as typeof globalThis & { __forwardingEngine?: EngineState };
function engine(): EngineState {
  globalEngine.__forwardingEngine ??= {
    automatic: false,
    running: null,
    again: false,
    timer: null,
    soon: null,
    heldSince: null,
    stopping: false,
  };
  return globalEngine.__forwardingEngine;
}

/** After staff made something due: forward it now where this process forwards on its own. */
function nudge() {
  if (engine().automatic) void kickForwarding();
}

/** Starts a pass now, or one more after the running one: the receiver calls this after every stored event. */
export function kickForwarding(): Promise<void> {
  const state = engine();
  if (state.stopping) return Promise.resolve();
  if (state.running) {
    state.again = true;
    return state.running;
  }
  state.running = (async () => {
    do {
      state.again = false;
      await runForwardingPass(undefined, () => {
        if (!readyToForward(state)) return false;
        // What is stored from now on is held anew; what is in the outbox now, this fan-out takes.
        state.heldSince = null;
        return true;
      }).catch((error: unknown) => console.error("[forwarding] pass failed:", error));
      // Events stored during the pass: the next one waits as the first did (kickSoon), for neighbours and the intake.
      while (state.again && !state.stopping) {
        await new Promise((resolve) => setTimeout(resolve, COALESCE_MS));
        if (readyToForward(state)) break;
      }
    } while (state.again && !state.stopping);
    await timeNextRetry().catch(() => undefined);
  })().finally(() => {
    state.running = null;
    // An event stored while the last pass was ending (timing the next retry) asked for one more.
    if (state.again && !state.stopping) {
      state.again = false;
      kickSoon();
    }
  });
  return state.running;
}

/** After a stored event: a pass shortly, shared with the events stored meanwhile (or one more after the running one). */
function kickSoon() {
  const state = engine();
  if (state.stopping) return;
  state.heldSince ??= performance.now();
  if (state.running) {
    state.again = true;
    return;
  }
  state.soon ??= setTimeout(function check() {
    state.soon = readyToForward(state) ? null : setTimeout(check, COALESCE_MS);
    if (!state.soon) void kickForwarding();
  }, COALESCE_MS);
}

/** Whether the events this process stored may be forwarded now, or wait for a burst to ease (mayForwardNow). */
function readyToForward(state: EngineState): boolean {
  return mayForwardNow(intakeLoad(), state.heldSince === null ? null : performance.now() - state.heldSince);
}

/** Retries due within the next minute (the 5 s one) are timed here; later ones are the sweep's. */
async function timeNextRetry() {
  const next = await db().forwardMessage.findFirst({
    where: { status: "pending", nextAttemptAt: { not: null } },
    orderBy: { nextAttemptAt: "asc" },
    select: { nextAttemptAt: true },
  });
  const state = engine();
  if (state.timer) clearTimeout(state.timer);
  state.timer = null;
  if (!next?.nextAttemptAt) return;
  const wait = next.nextAttemptAt.getTime() - Date.now();
  if (wait > TIMED_RETRY_HORIZON_MS) return;
  state.timer = setTimeout(() => void kickForwarding(), Math.max(wait, 0) + 10);
  state.timer.unref();
}

/**
 * A graceful stop (scripts/server.ts, before the database closes): no new pass, the running one finishes the attempts
 * it holds and takes nothing more. What it did not take stays pending for the next start or another instance.
 */
export async function stopForwarding(): Promise<void> {
  const state = engine();
  state.stopping = true;
  for (const timer of [state.timer, state.soon]) if (timer) clearTimeout(timer);
  state.timer = null;
  state.soon = null;
  await state.running;
}

/** Registers the sweep job's handler and the receiver's listener, and syncs HUBBY_FORWARD_ENDPOINTS (instrumentation.ts). */
export function registerForwarding(): void {
  engine().automatic = true;
  registerJobHandler("forward-sweep", async () => {
    await kickForwarding();
  });
  onWebhookStored(kickSoon);
  void syncConfiguredEndpoints()
    .then(() => kickForwarding())
    .catch((error: unknown) => console.error("[forwarding] could not load HUBBY_FORWARD_ENDPOINTS:", error));
}

/** Staff: try one message again now (one more attempt when its schedule is used up). */
export async function retryMessage(id: bigint): Promise<{ endpointId: number }> {
  const message = await db().forwardMessage.findUnique({ where: { id }, select: { endpointId: true, status: true } });
  if (!message) throw new ActionError("This message no longer exists.");
  if (message.status === "pending") throw new ActionError("This message is already waiting for its next attempt.");
  await db().forwardMessage.update({
    where: { id },
    data: { status: "pending", nextAttemptAt: new Date(), claimedUntil: null },
  });
  nudge();
  return { endpointId: message.endpointId };
}

/** Staff: every failed message of an endpoint created since `since` is tried again; answers how many. */
export async function recoverFailed(endpointId: number, since: Date): Promise<number> {
  const { count } = await db().forwardMessage.updateMany({
    where: { endpointId, status: "failed", createdAt: { gte: since } },
    data: { status: "pending", nextAttemptAt: new Date(), claimedUntil: null },
  });
  if (count > 0) nudge();
  return count;
}

/**
 * Staff: forward a stored event again (a replay in the inbox does not). Its existing messages are sent again with
 * their webhook-id; endpoints that subscribe now and never had it get it too.
 */
export async function forwardEventAgain(eventId: bigint): Promise<number> {
  const event = await db().webhookEvent.findFirst({ where: { id: eventId }, select: { id: true } });
  if (!event) throw new ActionError("This event no longer exists.");
  // One statement rather than a Prisma transaction: on PGlite a Prisma transaction beside the engine's raw ones
  // can wait on each other for ever.
  const [reset] = await getDatabase().sql.query<{ count: number }>(
    `WITH flagged AS (
       INSERT INTO "WebhookForwardPending" ("eventId", "receivedAt")
       SELECT id, "receivedAt" FROM "WebhookEvent" WHERE id = $1::bigint ON CONFLICT DO NOTHING RETURNING 1
     ),
     reopened AS (
       UPDATE "ForwardMessage" SET "status" = 'pending', "nextAttemptAt" = now(), "claimedUntil" = NULL
       WHERE "eventId" = $1::bigint AND "status" <> 'pending' RETURNING 1
     )
     SELECT (SELECT count(*) FROM reopened)::int AS count, (SELECT count(*) FROM flagged)::int AS flagged`,
    [String(eventId)],
  );
  nudge();
  return reset?.count ?? 0;
}

/** Staff: a sample event sent to one endpoint, signed like the rest and logged like the rest. */
export async function sendTestEvent(endpointId: number): Promise<bigint> {
  const endpoint = await db().forwardEndpoint.findUnique({ where: { id: endpointId }, select: { id: true } });
  if (!endpoint) throw new ActionError("This endpoint no longer exists.");
  const now = new Date();
  const sample = sampleEvent(
    "package.activated",
    { externalUserId: "test_traveler", bookingId: "test_booking", packageId: "test_package" },
    now,
  );
  const message = await db().forwardMessage.create({
    data: {
      endpointId,
      webhookId: `msg_test_${crypto.randomUUID().replaceAll("-", "")}`,
      eventType: "package.activated",
      body: JSON.stringify(sample),
      receivedAt: now,
      nextAttemptAt: now,
    },
    select: { id: true },
  });
  nudge();
  return message.id;
}
