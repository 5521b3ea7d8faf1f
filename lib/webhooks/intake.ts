import "server-only";
import { getDatabase } from "../db";
import { webhookSettings } from "../env";
import type { Prisma } from "../generated/prisma/client";
import {
  dedupeKeyFor,
  isHandledEvent,
  parseWebhookBytes,
  rawBodyProblem,
  type ParsedEvent,
  type ParseResult,
} from "./envelope";
import { FactsError, factsFor, type Facts } from "./facts";
import { inWaves, project, projectionCtes, projectionKeys as keysOf, withProjection } from "./projection";
import { LevelMeter } from "./level-meter";
import { canDefer, deferProjections, intakeActivity, projectionBacklog, watchIntake } from "./projector";
import { retryingLockConflicts, oneLine, processingFailed } from "./statement-retry";
import { countRefusal } from "../audit/refusals";
import { isStorableDate, storableText } from "../storable";
import { SIGNATURE_HEADER, verifyWebhook, type HeaderReader } from "./verify";

/**
 * The webhook intake: authenticate, store, then acknowledge. An accepted event is in the database before the
 * 200 goes out; a duplicate is counted and acknowledged. 503 (Hubby retries) means the database could not be
 * reached, never that the content was at fault: Hubby would resend the same bytes until it gave up. Content the
 * database cannot hold as it is (lib/webhooks/storable.ts) is stored as quarantined or failed, with the reason.
 */

export const MAX_WEBHOOK_BYTES = 256 * 1024;
export const EVENT_ID_HEADERS = ["x-hubby-event-id", "event-id", "x-event-id", "webhook-id"];

/**
 * The answer to send (status and JSON body), and the body's event type when the intake parsed it (for the metrics,
 * which then need not parse the body again); undefined when the intake stopped before parsing.
 */
export type IntakeResult = {
  status: number;
  body: Record<string, unknown>;
  eventType?: string | null;
  /**
   * True when a new event was stored waiting to be forwarded (an endpoint was enabled as it committed): only then
   * does the receiver start a forwarding pass. With no endpoint, a pass per burst cost the database about as much as
   * the intake itself (docs/decisions/0072).
   */
  forward?: boolean;
};

export type StoredStatus = "processed" | "unhandled" | "failed" | "quarantined";

const KEPT_HEADERS = ["content-type", "user-agent", "x-request-id", SIGNATURE_HEADER, ...EVENT_ID_HEADERS];

export async function ingestWebhook(headers: HeaderReader, rawBody: Buffer, ip: string | null): Promise<IntakeResult> {
  const settings = webhookSettings();
  if (!settings.apiKey) {
    // Production refuses to start without a key (lib/env.ts); elsewhere say plainly what is missing.
    return { status: 503, body: { error: "Webhook intake is not configured (HUBBY_WEBHOOK_API_KEY)." } };
  }
  const verdict = verifyWebhook(headers, rawBody, {
    apiKey: settings.apiKey,
    authHeader: settings.authHeader,
    authPrefix: settings.authPrefix,
    signingSecret: settings.signingSecret,
    timestampHeader: settings.timestampHeader,
    toleranceMs: settings.toleranceMs,
  });
  if (!verdict.ok) {
    await countRefusal("webhook", verdict.reason, ip);
    return { status: 401, body: { error: "Unauthorized" } };
  }

  const headerEventId = EVENT_ID_HEADERS.map((name) => headers.get(name)).find((value) => value) ?? null;
  const parsed = parseWebhookBytes(rawBody, headerEventId);
  const eventId = parsed.ok ? parsed.event.eventId : headerEventId;
  const dedupeKey = dedupeKeyFor(eventId, rawBody);
  const kept: Record<string, string> = {};
  for (const name of [...KEPT_HEADERS, settings.timestampHeader]) {
    const value = headers.get(name);
    if (value !== null) kept[name] = storableText(value, 500);
  }
  const receivedAt = new Date();
  const base = {
    receivedAt,
    dedupeKey,
    headers: kept,
    ...bodyColumns(rawBody, parsed),
    // The id as shown in the inbox; deduplication uses dedupeKey, which hashes a long id rather than cutting it.
    eventId: eventId === null ? null : storableText(eventId, 200),
  };

  // Decide the outcome before touching the database: parsing and validation are pure.
  let outcome: { status: StoredStatus; error: string | null; facts?: Facts };
  if (!parsed.ok) outcome = { status: "quarantined", error: parsed.error };
  else outcome = evaluate(parsed.event, receivedAt);
  const columns = parsed.ok
    ? eventColumns(parsed.event)
    : { eventType: "unknown", eventAt: null, externalUserId: null, bookingId: null, packageId: null };

  // The event row's values, in EVENT_COLUMNS order. Times go as ISO strings: the drivers' own Date formatting
  // costs more than the statement's casts.
  const row = [
    receivedAt.toISOString(),
    columns.eventType,
    columns.eventAt instanceof Date ? columns.eventAt.toISOString() : columns.eventAt,
    dedupeKey,
    base.eventId,
    JSON.stringify(kept),
    base.rawBody,
    base.body,
    outcome.status,
    outcome.error === null ? null : storableText(outcome.error, 1000),
    outcome.status === "processed" ? receivedAt.toISOString() : null,
    columns.externalUserId,
    columns.bookingId,
    columns.packageId,
    base.rawBytes,
  ];
  const eventType = parsed.ok ? parsed.event.eventType : null;
  return {
    ...(await store({ delivery: { base, parsed }, row, facts: outcome.facts, status: outcome.status })),
    eventType,
  };
}

/** The event row's columns, in the order of the values ingestWebhook prepares. */
const EVENT_COLUMNS = `"receivedAt", "eventType", "eventAt", "dedupeKey", "eventId", "headers", "rawBody",
  "body", "status", "error", "processedAt", "externalUserId", "bookingId", "packageId", "rawBytes"`;
/**
 * The new events lib/forwarding/ has messages to make for, in its outbox (docs/decisions/0079): only while an
 * endpoint is enabled. Read in the statement that stores the events, so an endpoint enabled before it commits gets
 * them, and with none nothing is written. `forwarding` tells the receiver whether to start a forwarding pass.
 */
const MARK_FORWARDING = `fwd AS (INSERT INTO "WebhookForwardPending" ("eventId", "receivedAt")
    SELECT "id", "receivedAt" FROM ins WHERE EXISTS (SELECT 1 FROM "ForwardEndpoint" WHERE "enabled")
    RETURNING 1)`;
const FORWARDING = `EXISTS (SELECT 1 FROM fwd) AS "forwarding"`;
/** Where the values above sit in a row. */
const COLUMN = { eventType: 1, eventAt: 2, rawBody: 6, body: 7, status: 8, error: 9, processedAt: 10 } as const;

/**
 * Stores one event row (and its projection, when given) unless its dedupeKey is taken: the key is claimed in
 * WebhookDedupe (global across WebhookEvent's monthly partitions, docs/decisions/0063) with the event's id from
 * the table's sequence, and the row inserted only when the claim did. A concurrent claim of the same key waits for
 * the other statement and then claims nothing, so the event is stored once.
 */
const INSERT_ONE = `claim AS (INSERT INTO "WebhookDedupe" ("dedupeKey", "eventId", "receivedAt")
    VALUES ($4::text, nextval('"WebhookEvent_id_seq"'), $1::timestamptz)
    ON CONFLICT ("dedupeKey") DO NOTHING RETURNING "eventId"),
  ins AS (INSERT INTO "WebhookEvent" ("id", ${EVENT_COLUMNS})
    SELECT claim."eventId", $1::timestamptz, $2::text, $3::timestamptz, $4::text, $5::text, $6::jsonb, $7::text,
      $8::json, $9::"WebhookStatus", $10::text, $11::timestamptz, $12::text, $13::text, $14::text, $15::bytea
    FROM claim RETURNING "id", "dedupeKey", "receivedAt"),
  ${MARK_FORWARDING}`;

/** Counts a delivery of an event already stored, found through its dedupe row; answers its id. */
const COUNT_DUPLICATE = `UPDATE "WebhookEvent" AS w SET "duplicates" = w."duplicates" + 1, "lastDuplicateAt" = $2
  FROM "WebhookDedupe" AS d
  WHERE d."dedupeKey" = $1 AND w."id" = d."eventId" AND w."receivedAt" = d."receivedAt"
  RETURNING w."id"::text AS id`;

/** Stores the row (with the projection of `facts`) or counts it as a duplicate. Throws if the database refuses. */
async function storeRow(
  row: unknown[],
  facts: Facts | undefined,
  base: { dedupeKey: string; receivedAt: Date },
): Promise<{ id: string; duplicate: boolean; forward: boolean }> {
  const statement = withProjection({ text: INSERT_ONE, values: row }, facts, `"id"::text AS id, ${FORWARDING}`);
  // A prepared statement: the statement text depends only on which tables the event touches (a handful of
  // shapes), so it is parsed and planned once per connection rather than per delivery.
  const values = statement.values.map((value) => (value instanceof Date ? value.toISOString() : value));
  const inserted = await retryingLockConflicts("event statement", () =>
    getDatabase().prepared<{ id: string; forwarding: boolean }>(statement.text, values),
  );
  if (inserted.length > 0) return { id: inserted[0]!.id, duplicate: false, forward: inserted[0]!.forwarding };
  const rows = await getDatabase().prepared<{ id: string }>(COUNT_DUPLICATE, [
    base.dedupeKey,
    base.receivedAt.toISOString(),
  ]);
  return { id: rows[0]?.id ?? "", duplicate: true, forward: false };
}

/** One delivery, checked and parsed, ready to store: what both the group commit and the single path need. */
type Ready = { delivery: Delivery; row: unknown[]; facts: Facts | undefined; status: StoredStatus };

/**
 * Stores one event on its own: one statement on the raw driver, the event row and its projection only if the row
 * was new (not a duplicate). It commits as a whole or not at all, before the 200. A lone delivery takes this path;
 * so does each event of a batch whose group commit failed, which is how one event the database refuses cannot fail
 * the others. The database refusing it leads to storeAfterFailure; 503 only when the database cannot be reached.
 */
async function storeOne({ delivery, row, facts, status }: Ready): Promise<IntakeResult> {
  try {
    const stored = await storeRow(row, facts, delivery.base);
    return answerFor(stored, status);
  } catch (error) {
    return storeAfterFailure(error, { delivery, row, facts, status });
  }
}

function answerFor(stored: { id: string; duplicate: boolean; forward: boolean }, status: StoredStatus): IntakeResult {
  if (stored.duplicate) return { status: 200, body: { received: true, duplicate: true, id: stored.id || undefined } };
  return { status: 200, body: { received: true, id: stored.id, status }, forward: stored.forward };
}

/**
 * The group commit (docs/decisions/0053-webhook-group-commit.md): deliveries that arrive while a batch is being
 * written wait together and are written by the next one, a few statements for the lot (waves), each answered only
 * once the statement holding its event has committed. Nothing waits on a timer: a write starts after the turn of
 * the event loop that read the delivery (so deliveries read together are one batch), and a batch is everything
 * queued by then, up to MAX_BATCH. PGlite runs one statement at a time, so it writes one batch at a time; on
 * PostgreSQL two may be in flight, so one fills while the other commits (more made smaller batches, and cost more
 * per event, docs/decisions/0071).
 *
 * A batch's events are stored with a pending mark, and their projection is written by lib/webhooks/projector.ts
 * once the intake is quiet (docs/decisions/0071): the projection is most of a statement's cost, and written later,
 * in large statements, it no longer holds back the answers. Past the projector's backlog, batches project in their
 * statement again. A lone delivery's projection is written in the statement that stores it while the intake is idle
 * (so a delivery at a time reads back projected); during a burst, when another batch is being written or
 * projections wait, it is deferred like a batch's: written in line it cost several times a batched event
 * (docs/decisions/0072).
 */
const MAX_BATCH = 64;
/** The span over which intakeLoad averages. */
const LOAD_WINDOW_MS = 50;
const MAX_IN_FLIGHT = { pglite: 1, postgres: 2 } as const;

type Waiting = { ready: Ready; answer: (result: IntakeResult) => void };

// On globalThis: scripts/server.ts and Next.js's bundle may load this module separately in one process; they share
// one database, and so one queue.
const groupCommit = ((
  globalThis as {
    __webhookGroupCommit?: {
      queue: Waiting[];
      inFlight: number;
      lastBusyAt: number;
      flush: NodeJS.Immediate | null;
      /** Deliveries waiting for their write or being written, averaged over the last LOAD_WINDOW_MS. */
      load?: LevelMeter;
    };
  }
).__webhookGroupCommit ??= { queue: [], inFlight: 0, lastBusyAt: 0, flush: null });

// Set apart from the rest, so that a queue made by an older copy of this module (a reload in development) gets one.
const load = (groupCommit.load ??= new LevelMeter(LOAD_WINDOW_MS, performance.now()));

/**
 * How many deliveries have been waiting for their write lately, on average: about the number Hubby sends at once
 * under a burst, and below one while deliveries come and go. lib/forwarding/ holds its passes back under a burst
 * (docs/decisions/0079).
 */
export function intakeLoad(): number {
  return load.mean(performance.now());
}

watchIntake(() =>
  groupCommit.queue.length > 0 || groupCommit.inFlight > 0 ? 0 : performance.now() - groupCommit.lastBusyAt,
);

function store(ready: Ready): Promise<IntakeResult> {
  return new Promise((answer) => {
    load.change(performance.now(), 1);
    groupCommit.queue.push({
      ready,
      answer: (result) => {
        load.change(performance.now(), -1);
        answer(result);
      },
    });
    // After this turn of the event loop, not now: deliveries whose bytes arrived together are read in the same
    // turn and join one batch. Written at once, the first would start a batch of one, and on PGlite (which runs in
    // this thread) the others would wait for it, then start batches of one in turn.
    groupCommit.flush ??= setImmediate(() => {
      groupCommit.flush = null;
      startWriting();
    });
    intakeActivity();
  });
}

function startWriting() {
  const limit = MAX_IN_FLIGHT[getDatabase().kind];
  while (groupCommit.inFlight < limit && groupCommit.queue.length > 0) {
    const batch = groupCommit.queue.splice(0, MAX_BATCH);
    const busy = groupCommit.inFlight > 0 || projectionBacklog() > 0;
    groupCommit.inFlight += 1;
    void writeBatch(batch, busy).finally(() => {
      groupCommit.inFlight -= 1;
      groupCommit.lastBusyAt = performance.now();
      startWriting();
    });
  }
}

async function writeBatch(batch: Waiting[], busy: boolean): Promise<void> {
  const deferred = canDefer(batch.length) && (busy || batch.length > 1);
  if (batch.length === 1 && !deferred) {
    batch[0]!.answer(await storeOne(batch[0]!.ready));
    return;
  }
  for (const wave of waves(batch, deferred)) {
    let answers: IntakeResult[];
    try {
      answers = await storeWave(
        wave.map((waiting) => waiting.ready),
        deferred,
      );
    } catch {
      // The statement stored nothing. Each event on its own path: the ones the database takes are stored, the one
      // it refuses is kept as failed (storeAfterFailure), and 503 only if the database cannot be reached.
      answers = await Promise.all(wave.map((waiting) => storeOne(waiting.ready)));
    }
    wave.forEach((waiting, index) => waiting.answer(answers[index]!));
  }
}

/**
 * Splits a batch into waves, each stored by one statement: no dedupeKey twice in a wave (a resend within the batch
 * is then a duplicate of the committed first delivery), nor, when the wave writes the projection, a projection row.
 */
function waves(batch: Waiting[], deferred: boolean): Waiting[][] {
  return inWaves(batch, ({ ready }) => [
    `event:${ready.delivery.base.dedupeKey}`,
    ...(!deferred && ready.facts ? keysOf(ready.facts) : []),
  ]);
}

/**
 * The event rows of a wave, one text array per column through unnest (the text does not depend on the wave's size),
 * inserted where their key's claim in WebhookDedupe succeeded; the projection CTEs (projectionCtes) follow, and `dup`
 * counts a delivery of each event that was already stored. `dup` cannot see the dedupe rows `claim` inserts (one
 * statement, one snapshot), so it counts exactly the events that were not new.
 */
const INSERT_WAVE = `v AS (SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
    $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[])
    AS v(c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14)),
  claim AS (INSERT INTO "WebhookDedupe" ("dedupeKey", "eventId", "receivedAt")
    SELECT v.c3, nextval('"WebhookEvent_id_seq"'), v.c0::timestamptz FROM v ORDER BY v.c3
    ON CONFLICT ("dedupeKey") DO NOTHING RETURNING "dedupeKey", "eventId"),
  ins AS (INSERT INTO "WebhookEvent" ("id", ${EVENT_COLUMNS})
    SELECT claim."eventId", v.c0::timestamptz, v.c1, v.c2::timestamptz, v.c3, v.c4, v.c5::jsonb, v.c6, v.c7::json,
      v.c8::"WebhookStatus", v.c9, v.c10::timestamptz, v.c11, v.c12, v.c13, decode(v.c14, 'hex')
    FROM v JOIN claim ON claim."dedupeKey" = v.c3
    RETURNING "dedupeKey", "id", "receivedAt"),
  ${MARK_FORWARDING}`;

/** The events of a deferred wave whose projection is still to be written (those with facts, `$n`), marked pending. */
const MARK_PENDING = (keys: number) => `pend AS (INSERT INTO "WebhookProjectionPending" ("eventId", "receivedAt")
  SELECT "id", "receivedAt" FROM ins WHERE "dedupeKey" = ANY($${keys}::text[]))`;

// `d."dedupeKey" = ANY(…)` repeats the join's condition as one the dedupe key's index answers. Without it, the plan
// prepared while WebhookDedupe was small hashed the wave's keys and scanned the whole table, in every statement,
// for a cost that grew with every event stored (docs/decisions/0072).
const COUNT_DUPLICATES = (keys: number, ats: number) => `dup AS (UPDATE "WebhookEvent" AS w
  SET "duplicates" = w."duplicates" + 1, "lastDuplicateAt" = v.at::timestamptz
  FROM unnest($${keys}::text[], $${ats}::text[]) AS v(key, at) JOIN "WebhookDedupe" AS d ON d."dedupeKey" = v.key
  WHERE d."dedupeKey" = ANY($${keys}::text[]) AND w."id" = d."eventId" AND w."receivedAt" = d."receivedAt"
  RETURNING w."dedupeKey", w."id")`;

const waveTexts = new Map<string, string>();

/**
 * Stores a wave (events with distinct dedupeKeys, and no projection row in common unless `deferred`) in one
 * statement: it commits whole or not at all, before any of its answers. With `deferred`, the events are marked
 * pending instead of projected, and handed to the projector once committed. Answers in the wave's order; throws,
 * having stored nothing, if the statement fails.
 */
async function storeWave(wave: Ready[], deferred: boolean): Promise<IntakeResult[]> {
  // Rows by key, so that concurrent statements take their locks in one order.
  const rows = [...wave].sort((a, b) => compare(a.delivery.base.dedupeKey, b.delivery.base.dedupeKey));
  const values: unknown[] = EVENT_COLUMN_COUNT.map((_, column) => rows.map((ready) => textOf(ready.row[column])));
  const withFacts = rows.filter((ready) => ready.facts);
  let projection: { ctes: string[]; values: unknown[] };
  if (deferred) {
    projection = { ctes: [MARK_PENDING(values.length + 1)], values: [withFacts.map((r) => r.delivery.base.dedupeKey)] };
  } else {
    projection = projectionCtes(
      withFacts.map((ready) => ({ dedupeKey: ready.delivery.base.dedupeKey, facts: ready.facts! })),
      values.length,
    );
  }
  values.push(...projection.values);
  const duplicates = COUNT_DUPLICATES(values.length + 1, values.length + 2);
  values.push(
    rows.map((ready) => ready.delivery.base.dedupeKey),
    rows.map((ready) => ready.delivery.base.receivedAt.toISOString()),
  );
  const shape = projection.ctes.join("\n");
  let text = waveTexts.get(shape);
  if (text === undefined) {
    text = `WITH ${[INSERT_WAVE, ...projection.ctes, duplicates].join(",\n")}
      SELECT "dedupeKey", "id"::text AS id, true AS inserted, ${FORWARDING} FROM ins
      UNION ALL SELECT "dedupeKey", "id"::text AS id, false AS inserted, false FROM dup`;
    waveTexts.set(shape, text);
  }
  const waveText = text;
  const stored = await retryingLockConflicts(`wave statement (${wave.length} events)`, () =>
    getDatabase().prepared<{ dedupeKey: string; id: string; inserted: boolean; forwarding: boolean }>(waveText, values),
  );
  const byKey = new Map(stored.map((row) => [row.dedupeKey, row]));
  if (deferred) {
    deferProjections(
      withFacts.flatMap((ready) => {
        const row = byKey.get(ready.delivery.base.dedupeKey);
        if (!row?.inserted) return [];
        return [{ eventId: row.id, receivedAt: ready.delivery.base.receivedAt, facts: ready.facts! }];
      }),
    );
  }
  return Promise.all(
    wave.map(async (ready): Promise<IntakeResult> => {
      const row = byKey.get(ready.delivery.base.dedupeKey);
      if (!row) {
        // Neither inserted nor counted: another delivery of it committed while this statement ran (its snapshot
        // could not see the row). Counted on the single path, as a duplicate.
        return storeOne(ready);
      }
      if (row.inserted) {
        return { status: 200, body: { received: true, id: row.id, status: ready.status }, forward: row.forwarding };
      }
      return { status: 200, body: { received: true, duplicate: true, id: row.id } };
    }),
  );
}

const EVENT_COLUMN_COUNT = Array.from({ length: 15 });

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** A value as the text its column's cast reads; bytes as hex, which decode() reads. */
function textOf(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("hex");
  return value instanceof Date ? value.toISOString() : String(value);
}

/**
 * The columns that keep the body, once (docs/decisions/0063). JSON text goes in "body", a `json` column, which keeps
 * the input text verbatim: the exact bytes come back as "body"::text. Other UTF-8 text goes in rawBody as it is.
 * Bytes that are not UTF-8 text (invalid UTF-8, NUL bytes, which a text column refuses) are kept exactly in rawBytes,
 * a bytea column, with a readable rendering in rawBody (U+FFFD in their place): an escaped text form instead would
 * need un-escaping by every reader, and could not be told apart from a body that contained the escape itself.
 * "JSON" means what the parser read as JSON that PostgreSQL can store (lib/storable.ts), so the json cast cannot fail.
 */
function bodyColumns(
  rawBody: Buffer,
  parsed: ParseResult,
): { body: string | null; rawBody: string | null; rawBytes: Uint8Array<ArrayBuffer> | null } {
  const text = rawBody.toString("utf8");
  if (rawBodyProblem(rawBody) !== null) {
    return { body: null, rawBody: text.replaceAll("\0", "\uFFFD"), rawBytes: new Uint8Array(rawBody) };
  }
  const isJson = parsed.ok || (parsed.payload !== null && parsed.payload !== undefined);
  return isJson ? { body: text, rawBody: null, rawBytes: null } : { body: null, rawBody: text, rawBytes: null };
}

/** What the handler will do with an event: its facts, or why it cannot be applied. Pure. */
function evaluate(event: ParsedEvent, receivedAt: Date): { status: StoredStatus; error: string | null; facts?: Facts } {
  if (!isHandledEvent(event.eventType)) {
    return { status: "unhandled", error: `No handler for event type "${event.eventType.slice(0, 100)}".` };
  }
  try {
    return { status: "processed", error: null, facts: factsFor({ ...event, eventType: event.eventType }, receivedAt) };
  } catch (error) {
    if (error instanceof FactsError) return { status: "failed", error: error.message };
    throw error;
  }
}

/** Runs the handler for one event inside the caller's transaction; returns what to record on the event row. */
export async function applyEvent(
  tx: Prisma.TransactionClient,
  event: ParsedEvent,
  receivedAt: Date,
): Promise<{ status: StoredStatus; error: string | null }> {
  const outcome = evaluate(event, receivedAt);
  if (outcome.facts) await project((text, values) => tx.$executeRawUnsafe(text, ...values), outcome.facts);
  return { status: outcome.status, error: outcome.error };
}

export function eventColumns(event: ParsedEvent) {
  const str = (value: unknown) => (typeof value === "string" && value.length <= 200 ? value : null);
  return {
    eventType: storableText(event.eventType, 200),
    // A timestamp outside the years PostgreSQL reads is left out here; the handler marks the event failed for it.
    eventAt: event.eventAt && isStorableDate(event.eventAt) ? event.eventAt : null,
    externalUserId: str(event.data.external_user_id),
    bookingId: str(event.data.booking_id),
    packageId: str(event.data.package_id),
  };
}

type Delivery = {
  base: {
    receivedAt: Date;
    dedupeKey: string;
    headers: Record<string, string>;
    body: string | null;
    rawBody: string | null;
    rawBytes: Uint8Array<ArrayBuffer> | null;
    eventId: string | null;
  };
  parsed: ParseResult;
};

/**
 * The statement that stores the event failed (and rolled back whole): typically the projection (a number out of a
 * column's range), else content that slipped past lib/webhooks/storable.ts. Keep the event anyway so it can be
 * replayed: as failed with the event's columns, else as a row of only the columns that always store (the body as
 * text, selected headers, the reason). A concurrent delivery of the same event may have stored it meanwhile: that
 * is a duplicate. Only when the database cannot be reached at all is the answer 503, so Hubby retries.
 */
async function storeAfterFailure(error: unknown, { delivery, row }: Ready): Promise<IntakeResult> {
  const { base, parsed } = delivery;
  const reason = oneLine(error);
  try {
    const why = parsed.ok ? processingFailed(reason) : parsed.error;
    let refused = reason;
    if (parsed.ok) {
      const full = withColumns(row, { status: "failed", error: storableText(why, 1000), processedAt: null });
      const stored = await storeLogged(full, base, why);
      if ("answer" in stored) return stored.answer;
      refused = oneLine(stored.refused);
    }
    const status: StoredStatus = parsed.ok ? "failed" : "quarantined";
    const plainError = `${why} Kept as the raw body only; the database refused the rest: ${refused}`;
    const plain = withColumns(row, {
      eventType: parsed.ok ? storableText(parsed.event.eventType, 200) : "unknown",
      eventAt: null,
      rawBody: base.rawBody ?? base.body,
      body: null,
      status,
      error: storableText(plainError, 1000),
      processedAt: null,
    }).map((value, index) => (index > COLUMN.processedAt && index < 14 ? null : value));
    const stored = await storeLogged(plain, base, plainError);
    if ("answer" in stored) return stored.answer;
    throw stored.refused;
  } catch (failure) {
    console.error(`[webhooks] could not store event, answering 503: ${oneLine(failure)}`);
    return { status: 503, body: { error: "Temporarily unable to store the event; retry later." } };
  }
}

/** The row with some columns replaced. */
function withColumns(row: unknown[], columns: Partial<Record<keyof typeof COLUMN, unknown>>): unknown[] {
  const copy = [...row];
  for (const [name, value] of Object.entries(columns)) copy[COLUMN[name as keyof typeof COLUMN]] = value;
  return copy;
}

/**
 * Stores the row without a projection, or counts a duplicate (a concurrent delivery may have won). The database
 * refusing the row is returned, for the caller to try a plainer one.
 */
async function storeLogged(
  row: unknown[],
  base: Delivery["base"],
  why: string,
): Promise<{ answer: IntakeResult } | { refused: unknown }> {
  try {
    const stored = await storeRow(row, undefined, base);
    const status = row[COLUMN.status] as StoredStatus;
    if (!stored.duplicate) console.error(`[webhooks] event ${stored.id} stored as ${status}: ${oneLine(why)}`);
    return { answer: answerFor(stored, status) };
  } catch (refused) {
    return { refused };
  }
}
