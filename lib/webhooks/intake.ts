import "server-only";
import { db, getDatabase } from "../db";
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
import { project, projectionCtes, projectionKeys as keysOf, withProjection } from "./projection";
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

export type IntakeResult = { status: number; body: Record<string, unknown> };

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
    ...bodyColumns(rawBody),
    // The id as shown in the inbox; deduplication uses dedupeKey, which hashes a long id rather than cutting it.
    eventId: eventId === null ? null : storableText(eventId, 200),
  };

  // Decide the outcome before touching the database: parsing and validation are pure.
  let outcome: { status: StoredStatus; error: string | null; facts?: Facts };
  if (!parsed.ok) outcome = { status: "quarantined", error: parsed.error };
  else outcome = evaluate(parsed.event, receivedAt);
  const columns = parsed.ok
    ? eventColumns(parsed.event)
    : {
        eventType: "unknown",
        eventAt: null,
        payload: parsed.payload,
        externalUserId: null,
        bookingId: null,
        packageId: null,
      };

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
    JSON.stringify(columns.payload ?? null),
    outcome.status,
    outcome.error === null ? null : storableText(outcome.error, 1000),
    outcome.status === "processed" ? receivedAt.toISOString() : null,
    columns.externalUserId,
    columns.bookingId,
    columns.packageId,
    base.rawBytes,
  ];
  return store({ delivery: { base, parsed }, row, facts: outcome.facts, status: outcome.status });
}

/** The event row's columns, in the order of the values ingestWebhook prepares. */
const EVENT_COLUMNS = `"receivedAt", "eventType", "eventAt", "dedupeKey", "eventId", "headers", "rawBody",
  "payload", "status", "error", "processedAt", "externalUserId", "bookingId", "packageId", "rawBytes"`;

/** One delivery, checked and parsed, ready to store: what both the group commit and the single path need. */
type Ready = { delivery: Delivery; row: unknown[]; facts: Facts | undefined; status: StoredStatus };

/**
 * Stores one event on its own: one statement on the raw driver, the event row and its projection only if the row
 * was new (not a duplicate). It commits as a whole or not at all, before the 200. A lone delivery takes this path;
 * so does each event of a batch whose group commit failed, which is how one event the database refuses cannot fail
 * the others. The database refusing it leads to storeAfterFailure; 503 only when the database cannot be reached.
 */
async function storeOne({ delivery, row, facts, status }: Ready): Promise<IntakeResult> {
  const { base } = delivery;
  try {
    const statement = withProjection(
      {
        text: `INSERT INTO "WebhookEvent" (${EVENT_COLUMNS})
         VALUES ($1::timestamptz, $2::text, $3::timestamptz, $4::text, $5::text, $6::jsonb, $7::text, $8::jsonb,
           $9::"WebhookStatus", $10::text, $11::timestamptz, $12::text, $13::text, $14::text, $15::bytea)
         ON CONFLICT ("dedupeKey") DO NOTHING RETURNING "id"`,
        values: row,
      },
      facts,
    );
    // A prepared statement: the statement text depends only on which tables the event touches (a handful of
    // shapes), so it is parsed and planned once per connection rather than per delivery.
    const values = statement.values.map((value) => (value instanceof Date ? value.toISOString() : value));
    const inserted = await getDatabase().prepared<{ id: string }>(statement.text, values);
    if (inserted.length === 0) {
      const rows = await getDatabase().prepared<{ id: string }>(
        `UPDATE "WebhookEvent" SET "duplicates" = "duplicates" + 1, "lastDuplicateAt" = $2
         WHERE "dedupeKey" = $1 RETURNING "id"::text AS id`,
        [base.dedupeKey, base.receivedAt],
      );
      return { status: 200, body: { received: true, duplicate: true, id: rows[0]?.id } };
    }
    return { status: 200, body: { received: true, id: inserted[0]!.id, status } };
  } catch (error) {
    return storeAfterFailure(error, delivery);
  }
}

/**
 * The group commit (docs/decisions/0053-webhook-group-commit.md): deliveries that arrive while a batch is being
 * written wait together and are written by the next one, a few statements for the lot (waves), each answered only
 * once the statement holding its event has committed. Nothing waits on a timer: a lone delivery is written at once
 * (storeOne), and a batch is simply everything that queued during the previous write, up to MAX_BATCH. PGlite runs
 * one statement at a time, so it writes one batch at a time; on PostgreSQL a few batches may be in flight, so
 * some fill while others commit.
 */
const MAX_BATCH = 64;
const MAX_IN_FLIGHT = { pglite: 1, postgres: 4 } as const;

type Waiting = { ready: Ready; answer: (result: IntakeResult) => void };

// On globalThis: scripts/server.ts and Next.js's bundle may load this module separately in one process; they share
// one database, and so one queue.
const groupCommit = ((
  globalThis as { __webhookGroupCommit?: { queue: Waiting[]; inFlight: number } }
).__webhookGroupCommit ??= { queue: [], inFlight: 0 });

function store(ready: Ready): Promise<IntakeResult> {
  return new Promise((answer) => {
    groupCommit.queue.push({ ready, answer });
    startWriting();
  });
}

function startWriting() {
  const limit = MAX_IN_FLIGHT[getDatabase().kind];
  while (groupCommit.inFlight < limit && groupCommit.queue.length > 0) {
    const batch = groupCommit.queue.splice(0, MAX_BATCH);
    groupCommit.inFlight += 1;
    void writeBatch(batch).finally(() => {
      groupCommit.inFlight -= 1;
      startWriting();
    });
  }
}

async function writeBatch(batch: Waiting[]): Promise<void> {
  if (batch.length === 1) {
    batch[0]!.answer(await storeOne(batch[0]!.ready));
    return;
  }
  for (const wave of waves(batch)) {
    let answers: IntakeResult[];
    try {
      answers = await storeWave(wave.map((waiting) => waiting.ready));
    } catch {
      // The statement stored nothing. Each event on its own path: the ones the database takes are stored, the one
      // it refuses is kept as failed (storeAfterFailure), and 503 only if the database cannot be reached.
      answers = await Promise.all(wave.map((waiting) => storeOne(waiting.ready)));
    }
    wave.forEach((waiting, index) => waiting.answer(answers[index]!));
  }
}

/**
 * Splits a batch into waves, each stored by one statement: an event goes in the first wave that holds neither its
 * dedupeKey (a resend within the batch is then a duplicate of the committed first delivery) nor a projection row
 * it writes (one statement cannot update a row twice). Usually one or two waves.
 */
function waves(batch: Waiting[]): Waiting[][] {
  const result: { events: Waiting[]; keys: Set<string> }[] = [];
  for (const waiting of batch) {
    const keys = [`event:${waiting.ready.delivery.base.dedupeKey}`, ...projectionKeys(waiting.ready)];
    let wave = result.find((candidate) => keys.every((key) => !candidate.keys.has(key)));
    if (!wave) result.push((wave = { events: [], keys: new Set() }));
    wave.events.push(waiting);
    for (const key of keys) wave.keys.add(key);
  }
  return result.map((wave) => wave.events);
}

function projectionKeys(ready: Ready): string[] {
  return ready.facts ? keysOf(ready.facts) : [];
}

/**
 * The event rows of a wave, one text array per column through unnest (the text does not depend on the wave's size),
 * inserted unless stored already; the projection CTEs (projectionCtes) follow, and `dup` counts a delivery of each
 * event that was already stored. `dup` cannot see rows `ins` inserts (one statement, one snapshot), so it counts
 * exactly the events that were not new.
 */
const INSERT_WAVE = `ins AS (INSERT INTO "WebhookEvent" (${EVENT_COLUMNS})
  SELECT v.c0::timestamptz, v.c1, v.c2::timestamptz, v.c3, v.c4, v.c5::jsonb, v.c6, v.c7::jsonb,
    v.c8::"WebhookStatus", v.c9, v.c10::timestamptz, v.c11, v.c12, v.c13, decode(v.c14, 'hex')
  FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
    $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[])
    AS v(c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14)
  ON CONFLICT ("dedupeKey") DO NOTHING
  RETURNING "dedupeKey", "id")`;

const COUNT_DUPLICATES = (keys: number, ats: number) => `dup AS (UPDATE "WebhookEvent" AS w
  SET "duplicates" = w."duplicates" + 1, "lastDuplicateAt" = v.at::timestamptz
  FROM unnest($${keys}::text[], $${ats}::text[]) AS v(key, at)
  WHERE w."dedupeKey" = v.key
  RETURNING w."dedupeKey", w."id")`;

const waveTexts = new Map<string, string>();

/**
 * Stores a wave (events with distinct dedupeKeys and no projection row in common) in one statement: it commits
 * whole or not at all, before any of its answers. Answers in the wave's order; throws, having stored nothing, if
 * the statement fails.
 */
async function storeWave(wave: Ready[]): Promise<IntakeResult[]> {
  // Rows by key, so that concurrent statements take their locks in one order.
  const rows = [...wave].sort((a, b) => compare(a.delivery.base.dedupeKey, b.delivery.base.dedupeKey));
  const values: unknown[] = EVENT_COLUMN_COUNT.map((_, column) => rows.map((ready) => textOf(ready.row[column])));
  const projection = projectionCtes(
    rows.flatMap((ready) => (ready.facts ? [{ dedupeKey: ready.delivery.base.dedupeKey, facts: ready.facts }] : [])),
    values.length,
  );
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
      SELECT "dedupeKey", "id"::text AS id, true AS inserted FROM ins
      UNION ALL SELECT "dedupeKey", "id"::text AS id, false AS inserted FROM dup`;
    waveTexts.set(shape, text);
  }
  const stored = await getDatabase().prepared<{ dedupeKey: string; id: string; inserted: boolean }>(text, values);
  const byKey = new Map(stored.map((row) => [row.dedupeKey, row]));
  return Promise.all(
    wave.map(async (ready): Promise<IntakeResult> => {
      const row = byKey.get(ready.delivery.base.dedupeKey);
      if (!row) {
        // Neither inserted nor counted: another delivery of it committed while this statement ran (its snapshot
        // could not see the row). Counted on the single path, as a duplicate.
        return storeOne(ready);
      }
      if (row.inserted) return { status: 200, body: { received: true, id: row.id, status: ready.status } };
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
 * The columns that keep the body. Bytes that are UTF-8 text go in rawBody as they are. Others (invalid UTF-8,
 * NUL bytes, which a text column refuses) are kept exactly in rawBytes, a bytea column, with a readable rendering
 * in rawBody (U+FFFD in their place): an escaped text form instead would need un-escaping by every reader of
 * rawBody, and could not be told apart from a body that contained the escape itself.
 */
function bodyColumns(rawBody: Buffer): { rawBody: string; rawBytes: Uint8Array<ArrayBuffer> | null } {
  const text = rawBody.toString("utf8");
  if (rawBodyProblem(rawBody) === null) return { rawBody: text, rawBytes: null };
  return { rawBody: text.replaceAll("\0", "\uFFFD"), rawBytes: new Uint8Array(rawBody) };
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
    payload: toJson(event.payload),
    externalUserId: str(event.data.external_user_id),
    bookingId: str(event.data.booking_id),
    packageId: str(event.data.package_id),
  };
}

function toJson(value: unknown): Prisma.InputJsonValue {
  return (value ?? null) as Prisma.InputJsonValue;
}

type Delivery = {
  base: {
    receivedAt: Date;
    dedupeKey: string;
    headers: Record<string, string>;
    rawBody: string;
    rawBytes: Uint8Array<ArrayBuffer> | null;
    eventId: string | null;
  };
  parsed: ParseResult;
};

/**
 * The statement that stores the event failed (and rolled back whole): typically the projection (a number out of a
 * column's range), else content that slipped past lib/webhooks/storable.ts. Keep the event anyway so it can be
 * replayed: as failed with the event's columns, else as a row of only the columns that always store (the raw body,
 * selected headers, the reason). A concurrent delivery of the same event may have stored it meanwhile: that is a
 * duplicate. Only when the database cannot be reached at all is the answer 503, so Hubby retries.
 */
async function storeAfterFailure(error: unknown, { base, parsed }: Delivery): Promise<IntakeResult> {
  const reason = oneLine(error);
  try {
    const why = parsed.ok ? `Processing failed: ${reason}` : parsed.error;
    let refused = reason;
    if (parsed.ok) {
      const full = await storeUnlessDuplicate({ ...base, ...eventColumns(parsed.event), status: "failed", error: why });
      if ("answer" in full) return full.answer;
      refused = oneLine(full.refused);
    }
    const plain = await storeUnlessDuplicate({
      ...base,
      eventType: parsed.ok ? storableText(parsed.event.eventType, 200) : "unknown",
      status: parsed.ok ? "failed" : "quarantined",
      error: `${why} Kept as the raw body only; the database refused the rest: ${refused}`,
    });
    if ("answer" in plain) return plain.answer;
    throw plain.refused;
  } catch (failure) {
    console.error(`[webhooks] could not store event, answering 503: ${oneLine(failure)}`);
    return { status: 503, body: { error: "Temporarily unable to store the event; retry later." } };
  }
}

/**
 * Stores the row unless its event is already stored (then counts a duplicate: a concurrent delivery may have won).
 * The database refusing the row is returned, for the caller to try a plainer one; a failed lookup, meaning the
 * database cannot be reached, is thrown.
 */
async function storeUnlessDuplicate(
  data: Prisma.WebhookEventUncheckedCreateInput & { dedupeKey: string; receivedAt: Date; status: StoredStatus },
): Promise<{ answer: IntakeResult } | { refused: unknown }> {
  const existing = await db().webhookEvent.findUnique({ where: { dedupeKey: data.dedupeKey }, select: { id: true } });
  if (existing) {
    await db().webhookEvent.update({
      where: { id: existing.id },
      data: { duplicates: { increment: 1 }, lastDuplicateAt: data.receivedAt },
    });
    return { answer: { status: 200, body: { received: true, duplicate: true, id: String(existing.id) } } };
  }
  try {
    const row = await db().webhookEvent.create({
      data: { ...data, error: storableText(data.error ?? "", 1000) },
      select: { id: true },
    });
    console.error(`[webhooks] event ${row.id} stored as ${data.status}: ${oneLine(data.error)}`);
    return { answer: { status: 200, body: { received: true, id: String(row.id), status: data.status } } };
  } catch (refused) {
    return { refused };
  }
}

/** An error as one log or column line, without its stack. */
function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return storableText(message.replace(/\s+/g, " ").trim(), 500);
}
