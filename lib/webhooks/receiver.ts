import "server-only";
import { clientAddress } from "../client-ip";
import { ingestWebhook, MAX_WEBHOOK_BYTES, type IntakeResult } from "./intake";
import type { HeaderReader } from "./verify";
import { isHandledEvent } from "./envelope";
import { recordWebhookIntake } from "../metrics";

/**
 * Hubby's webhook receiver, `POST /api/webhooks/hubby`, independent of the HTTP server that carries it. Its two
 * entry points only translate: lib/webhooks/node-handler.ts (node:http, ahead of Next.js in scripts/server.ts: how
 * `npm run dev` / `npm start` answer) and app/api/webhooks/hubby/route.ts (the Next.js route, when Next.js runs on
 * its own). Authentication is lib/webhooks/verify.ts on the raw bytes, not a staff session.
 */

export const WEBHOOK_PATH = "/api/webhooks/hubby";

export type WebhookDelivery = {
  method: string;
  headers: HeaderReader;
  /** The peer's address as the server saw it; null where the entry point cannot tell (a Next.js route). */
  remoteAddress: string | null;
  /**
   * The body, read only after the method and the declared length pass: its bytes, "too-large" as soon as more than
   * `cap` bytes arrived (the rest is never buffered), or "aborted" when the sender went away first.
   */
  readBody(cap: number): Promise<Buffer | "too-large" | "aborted">;
};

/** The answer to send: status, JSON text and headers (the entry point adds what its server computes). */
export type WebhookReply = { status: number; json: string; headers: Record<string, string> };

/** Null when the sender went away before its body arrived: there is no one to answer. */
export async function receiveWebhook(delivery: WebhookDelivery): Promise<WebhookReply | null> {
  const startedAt = performance.now();
  if (delivery.method !== "POST") {
    return reply({ status: 405, body: { error: "Method not allowed: use POST." } }, { allow: "POST" });
  }
  if (Number(delivery.headers.get("content-length") ?? "0") > MAX_WEBHOOK_BYTES) return tooLarge();
  const body = await delivery.readBody(MAX_WEBHOOK_BYTES);
  if (body === "aborted") return null;
  if (body === "too-large") return tooLarge();
  let result: IntakeResult;
  try {
    result = await ingestWebhook(delivery.headers, body, senderAddress(delivery.headers, delivery.remoteAddress));
  } catch (error) {
    console.error("[webhooks] intake failed:", error);
    result = { status: 503, body: { error: "Temporarily unable to store the event; retry later." } };
  }
  recordWebhookIntake(
    result.eventType !== undefined ? result.eventType : typeInBody(body),
    result,
    startedAt,
    isHandledEvent,
  );
  if (result.forward) notifyStored();
  return reply(result);
}

// On globalThis: instrumentation.ts (which registers the listener) and scripts/server.ts (which serves the
// receiver) load separate copies of this module in one process.
const storedListeners = globalThis as typeof globalThis & { __webhookStoredListener?: () => void };

/**
 * Registers the one listener told, after the fact, that a new event was committed waiting to be forwarded (never for
 * a duplicate, nor while no endpoint is enabled): lib/forwarding/ starts forwarding at once instead of at its next
 * sweep. The forwarding outbox ("WebhookForwardPending", written with the event) says what is left to forward, so a
 * listener that never ran (a crash right after the commit) loses nothing.
 */
export function onWebhookStored(listener: (() => void) | null): void {
  storedListeners.__webhookStoredListener = listener ?? undefined;
}

function notifyStored() {
  try {
    storedListeners.__webhookStoredListener?.();
  } catch (error) {
    console.error("[webhooks] the stored-event listener failed:", error);
  }
}

/** The body's `event`, for a delivery the intake refused before parsing it (the metrics' type label). */
function typeInBody(body: Buffer): string | null {
  try {
    const event = (JSON.parse(body.toString("utf8")) as { event?: unknown } | null)?.event;
    return typeof event === "string" ? event : null;
  } catch {
    return null;
  }
}

/**
 * The sender's address for the refusal counts: the nearest hop of X-Forwarded-For (lib/client-ip.ts: the address
 * the console's server or a trusted proxy saw, never the hops a sender wrote itself), else the peer.
 */
export function senderAddress(headers: HeaderReader, remoteAddress: string | null): string | null {
  return clientAddress(headers) ?? remoteAddress ?? null;
}

/** Body chunks kept up to a cap: `add` says false, and keeps nothing more, once the total passes it. */
export class CappedBody {
  private readonly chunks: Uint8Array[] = [];
  private size = 0;

  constructor(private readonly cap: number) {}

  add(chunk: Uint8Array): boolean {
    this.size += chunk.byteLength;
    if (this.size > this.cap) return false;
    this.chunks.push(chunk);
    return true;
  }

  bytes(): Buffer {
    return Buffer.concat(this.chunks, this.size);
  }
}

/** 413 with `connection: close`: the server closes the socket once it is sent, so the sender cannot stream on. */
function tooLarge(): WebhookReply {
  return reply(
    { status: 413, body: { error: `Body larger than ${MAX_WEBHOOK_BYTES} bytes.` } },
    { connection: "close" },
  );
}

function reply(result: IntakeResult, extra: Record<string, string> = {}): WebhookReply {
  return {
    status: result.status,
    json: JSON.stringify(result.body),
    headers: {
      "content-type": "application/json",
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
      ...extra,
    },
  };
}
