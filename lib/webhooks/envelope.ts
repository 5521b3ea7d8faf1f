import crypto from "node:crypto";
import { z } from "zod";

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

export function parseWebhookBody(rawBody: string, headerEventId: string | null): ParseResult {
  let payload: unknown;
  try {
    payload = JSON.parse(rawBody);
  } catch {
    return { ok: false, error: "The body is not valid JSON.", payload: null };
  }
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

/** `event_id` when Hubby sent one, else a hash of the exact bytes (a retried delivery repeats them). */
export function dedupeKeyFor(eventId: string | null, rawBody: Buffer | string): string {
  return eventId ? `id:${eventId}` : `sha256:${crypto.createHash("sha256").update(rawBody).digest("hex")}`;
}
