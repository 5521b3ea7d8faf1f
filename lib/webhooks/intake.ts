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
import { project, withProjection } from "./projection";
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

  try {
    // One statement on the raw driver: the event row, and its projection only if the row was new (not a
    // duplicate). It commits as a whole or not at all, before the 200.
    const statement = withProjection(
      {
        text: `INSERT INTO "WebhookEvent" ("receivedAt", "eventType", "eventAt", "dedupeKey", "eventId", "headers", "rawBody",
           "payload", "status", "error", "processedAt", "externalUserId", "bookingId", "packageId", "rawBytes")
         VALUES ($1::timestamptz, $2::text, $3::timestamptz, $4::text, $5::text, $6::jsonb, $7::text, $8::jsonb,
           $9::"WebhookStatus", $10::text, $11::timestamptz, $12::text, $13::text, $14::text, $15::bytea)
         ON CONFLICT ("dedupeKey") DO NOTHING RETURNING "id"`,
        values: [
          receivedAt,
          columns.eventType,
          columns.eventAt,
          dedupeKey,
          base.eventId,
          JSON.stringify(kept),
          base.rawBody,
          JSON.stringify(columns.payload ?? null),
          outcome.status,
          outcome.error === null ? null : storableText(outcome.error, 1000),
          outcome.status === "processed" ? receivedAt : null,
          columns.externalUserId,
          columns.bookingId,
          columns.packageId,
          base.rawBytes,
        ],
      },
      outcome.facts,
    );
    // A prepared statement: the statement text depends only on which tables the event touches (a handful of
    // shapes), so it is parsed and planned once per connection rather than per delivery.
    // Times go as ISO strings: the drivers' own Date formatting costs more than the statement's casts.
    const values = statement.values.map((value) => (value instanceof Date ? value.toISOString() : value));
    const inserted = await getDatabase().prepared<{ id: string }>(statement.text, values);
    const stored = inserted.length === 0 ? { duplicate: true as const } : { id: inserted[0]!.id };
    if ("duplicate" in stored) {
      const rows = await getDatabase().prepared<{ id: string }>(
        `UPDATE "WebhookEvent" SET "duplicates" = "duplicates" + 1, "lastDuplicateAt" = $2
         WHERE "dedupeKey" = $1 RETURNING "id"::text AS id`,
        [dedupeKey, receivedAt],
      );
      return { status: 200, body: { received: true, duplicate: true, id: rows[0]?.id } };
    }
    return { status: 200, body: { received: true, id: stored.id, status: outcome.status } };
  } catch (error) {
    return storeAfterFailure(error, { base, parsed });
  }
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
