import { isUtf8 } from "node:buffer";
import crypto from "node:crypto";
import { z } from "zod";
import { storableText, unstorableJsonReason } from "../storable";

/**
 * Parses a webhook body into one event (reference §5.1): the `{event, timestamp, data}` envelope (with an optional
 * `event_id`), and the legacy flat promo-code form `{promocode, booking_id, redeemed_at}` without an envelope.
 */

export const handledEvents = [
  "package.usage.20_percent",
  "package.usage.50_percent",
  "package.usage.80_percent",
  "esim.installed",
  "esim.removed",
  "package.activated",
  "promo_code.redeemed",
  "booking.within_cutoff",
  "booking.about_to_depart",
  "package.purchased",
  "topup.completed",
] as const;
export type HandledEvent = (typeof handledEvents)[number];

export type ParsedEvent = {
  eventType: string;
  eventAt: Date | null;
  eventId: string | null;
  data: Record<string, unknown>;
  payload: unknown;
};

export type ParseResult = { ok: true; event: ParsedEvent } | { ok: false; error: string; payload: unknown };

const envelopeSchema = z.object({
  event: z.string().min(1).max(200),
  timestamp: z.string().max(100).optional(),
  data: z.record(z.string(), z.unknown()).default({}),
  event_id: z.union([z.string().min(1).max(200), z.number()]).optional(),
});

const legacyPromoSchema = z.object({
  promocode: z.string().min(1),
  booking_id: z.string().optional(),
  redeemed_at: z.string().optional(),
});

function parseDate(value: unknown): Date | null {
  if (typeof value !== "string") return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : new Date(time);
}

/**
 * Why the body's bytes are not a faithful UTF-8 text (then rawBody cannot hold them and they are kept as bytes),
 * or null. JSON is UTF-8 (RFC 8259); decoding anything else would silently replace bytes with U+FFFD.
 */
export function rawBodyProblem(rawBody: Buffer): string | null {
  if (!isUtf8(rawBody)) return "The body is not valid UTF-8; its exact bytes are kept.";
  if (rawBody.includes(0)) return "The body contains NUL bytes; its exact bytes are kept.";
  return null;
}

/** Parses a delivery as received: bytes that are not UTF-8 text are quarantined before any JSON parsing. */
export function parseWebhookBytes(rawBody: Buffer, headerEventId: string | null): ParseResult {
  const problem = rawBodyProblem(rawBody);
  if (problem) return { ok: false, error: problem, payload: null };
  return parseWebhookBody(rawBody.toString("utf8"), headerEventId);
}

export function parseWebhookBody(rawBody: string, headerEventId: string | null): ParseResult {
  let payload: unknown;
  try {
    payload = JSON.parse(rawBody);
  } catch {
    return { ok: false, error: "The body is not valid JSON.", payload: null };
  }
  // JSON the database cannot hold as jsonb is quarantined whole: its fields would not fit the text columns either.
  const unstorable = unstorableJsonReason(payload);
  if (unstorable) return { ok: false, error: unstorable, payload: null };
  const envelope = envelopeSchema.safeParse(payload);
  if (envelope.success) {
    const { event, timestamp, data, event_id } = envelope.data;
    return {
      ok: true,
      event: {
        eventType: event,
        eventAt: parseDate(timestamp),
        eventId: headerEventId ?? (event_id === undefined ? null : String(event_id)),
        data,
        payload,
      },
    };
  }
  const legacy = legacyPromoSchema.safeParse(payload);
  if (legacy.success) {
    return {
      ok: true,
      event: {
        eventType: "promo_code.redeemed",
        eventAt: parseDate(legacy.data.redeemed_at),
        eventId: headerEventId,
        data: legacy.data,
        payload,
      },
    };
  }
  return { ok: false, error: "The body is JSON but neither Hubby envelope form.", payload };
}

export function isHandledEvent(eventType: string): eventType is HandledEvent {
  return (handledEvents as readonly string[]).includes(eventType);
}

/** Longer event ids are deduplicated on their hash: a unique btree entry must stay under ~2.7 KB. */
export const MAX_PLAIN_EVENT_ID = 200;

/**
 * `event_id` when Hubby sent one, else a hash of the exact bytes (a retried delivery repeats them). An id that is
 * long, or holds what a text column refuses, is hashed (over its UTF-16 code units, so no two ids collapse into
 * one), which keeps the key the same on every retry of the delivery.
 */
export function dedupeKeyFor(eventId: string | null, rawBody: Buffer | string): string {
  if (!eventId) return `sha256:${crypto.createHash("sha256").update(rawBody).digest("hex")}`;
  if (eventId.length <= MAX_PLAIN_EVENT_ID && storableText(eventId) === eventId) return `id:${eventId}`;
  return `id-sha256:${crypto.createHash("sha256").update(Buffer.from(eventId, "utf16le")).digest("hex")}`;
}
