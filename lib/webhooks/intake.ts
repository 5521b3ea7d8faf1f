import "server-only";
import { db, getDatabase } from "../db";
import { webhookSettings } from "../env";
import type { Prisma } from "../generated/prisma/client";
import { dedupeKeyFor, isHandledEvent, parseWebhookBody, type ParsedEvent } from "./envelope";
import { FactsError, factsFor, type Facts } from "./facts";
import { project, withProjection } from "./projection";
import { SIGNATURE_HEADER, verifyWebhook, type HeaderReader } from "./verify";

/**
 * The webhook intake: authenticate, store, then acknowledge. An accepted event is in the database before the
 * 200 goes out; a database failure answers 503 so Hubby retries; a duplicate is counted and acknowledged.
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
  });
  if (!verdict.ok) {
    await db()
      .webhookAuthFailure.create({ data: { reason: verdict.reason, ip } })
      .catch(() => undefined);
    return { status: 401, body: { error: "Unauthorized" } };
  }

  const text = rawBody.toString("utf8");
  const headerEventId = EVENT_ID_HEADERS.map((name) => headers.get(name)).find((value) => value) ?? null;
  const parsed = parseWebhookBody(text, headerEventId);
  const dedupeKey = dedupeKeyFor(parsed.ok ? parsed.event.eventId : headerEventId, rawBody);
  const kept: Record<string, string> = {};
  for (const name of [...KEPT_HEADERS, settings.timestampHeader]) {
    const value = headers.get(name);
    if (value !== null) kept[name] = value.slice(0, 500);
  }
  const receivedAt = new Date();
  const base = {
    receivedAt,
    dedupeKey,
    headers: kept,
    rawBody: text,
    eventId: parsed.ok ? parsed.event.eventId : headerEventId,
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
           "payload", "status", "error", "processedAt", "externalUserId", "bookingId", "packageId")
         VALUES ($1::timestamptz, $2::text, $3::timestamptz, $4::text, $5::text, $6::jsonb, $7::text, $8::jsonb,
           $9::"WebhookStatus", $10::text, $11::timestamptz, $12::text, $13::text, $14::text)
         ON CONFLICT ("dedupeKey") DO NOTHING RETURNING "id"`,
        values: [
          receivedAt,
          columns.eventType,
          columns.eventAt,
          dedupeKey,
          base.eventId,
          JSON.stringify(kept),
          text,
          JSON.stringify(columns.payload ?? null),
          outcome.status,
          outcome.error,
          outcome.status === "processed" ? receivedAt : null,
          columns.externalUserId,
          columns.bookingId,
          columns.packageId,
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
    return storeAfterFailure(error, { base, parsed, dedupeKey });
  }
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
    eventType: event.eventType.slice(0, 200),
    eventAt: event.eventAt,
    payload: toJson(event.payload),
    externalUserId: str(event.data.external_user_id),
    bookingId: str(event.data.booking_id),
    packageId: str(event.data.package_id),
  };
}

function toJson(value: unknown): Prisma.InputJsonValue {
  return (value ?? null) as Prisma.InputJsonValue;
}

/**
 * The projection failed inside the transaction (rolled back): keep the event anyway, as failed, so it can be
 * replayed. A concurrent delivery of the same event may have stored it meanwhile: that is a duplicate. If the
 * database is unreachable, answer 503 and let Hubby retry.
 */
async function storeAfterFailure(
  error: unknown,
  context: {
    base: {
      receivedAt: Date;
      dedupeKey: string;
      headers: Record<string, string>;
      rawBody: string;
      eventId: string | null;
    };
    parsed: ReturnType<typeof parseWebhookBody>;
    dedupeKey: string;
  },
): Promise<IntakeResult> {
  const message = error instanceof Error ? error.message : String(error);
  try {
    const existing = await db().webhookEvent.findUnique({
      where: { dedupeKey: context.dedupeKey },
      select: { id: true },
    });
    if (existing) {
      await db().webhookEvent.update({
        where: { id: existing.id },
        data: { duplicates: { increment: 1 }, lastDuplicateAt: context.base.receivedAt },
      });
      return { status: 200, body: { received: true, duplicate: true, id: String(existing.id) } };
    }
    if (!context.parsed.ok) throw error;
    const row = await db().webhookEvent.create({
      data: {
        ...context.base,
        ...eventColumns(context.parsed.event),
        status: "failed",
        error: `Processing failed: ${message.slice(0, 500)}`,
      },
      select: { id: true },
    });
    console.error(`[webhooks] event ${row.id} stored as failed:`, message);
    return { status: 200, body: { received: true, id: String(row.id), status: "failed" } };
  } catch (second) {
    console.error(
      "[webhooks] could not store event, answering 503:",
      second instanceof Error ? second.message : second,
    );
    return { status: 503, body: { error: "Temporarily unable to store the event; retry later." } };
  }
}
