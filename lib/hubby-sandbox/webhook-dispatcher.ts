import crypto from "node:crypto";
import { deliveryHeaders } from "../webhooks/samples";
import type { SimClock } from "./clock";
import type { Random } from "./random";
import type { SandboxEvent } from "./simulation";

/**
 * Delivers events the way Hubby does (reference §5.2): the `{event, timestamp, data}` envelope, the partner's
 * API-key header, `x-hubby-signature: sha256=<hex>` over `{timestamp}.{body}` when a signing secret is configured,
 * retries after 1, 5 and 30 minutes of simulated time, then the event is dropped. Some events are delivered twice
 * and deliveries are not ordered.
 */

export type WebhookTarget = {
  url: string;
  apiKey: string;
  authHeader: string;
  authPrefix: string;
  signingSecret?: string;
  timestampHeader: string;
};

export type Delivery = {
  eventId: string;
  event: string;
  body: string;
  attempt: number;
  dueAt: number;
  duplicate: boolean;
};

export type DeliveryLogEntry = {
  eventId: string;
  event: string;
  attempt: number;
  at: string;
  status: number | null;
  error: string | null;
  outcome: "delivered" | "retrying" | "dropped";
};

export const RETRY_DELAYS_MS = [60_000, 5 * 60_000, 30 * 60_000];
const ATTEMPT_TIMEOUT_MS = 10_000;
const MAX_CONCURRENT = 4;
const LOG_SIZE = 500;

export class WebhookDispatcher {
  pending: Delivery[] = [];
  readonly log: DeliveryLogEntry[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  paused: boolean;
  stats = { delivered: 0, failedAttempts: 0, dropped: 0, duplicatesSent: 0 };

  constructor(
    private target: WebhookTarget,
    private readonly clock: SimClock,
    private readonly random: Random,
    private readonly options: { duplicateRate: number; paused?: boolean; onChange?: () => void },
  ) {
    this.paused = options.paused ?? false;
  }

  setTarget(target: Partial<WebhookTarget>) {
    this.target = { ...this.target, ...target };
  }

  enqueue(event: SandboxEvent) {
    const eventId = `evt_${crypto.randomUUID().replaceAll("-", "")}`;
    const body = JSON.stringify({
      // The newest docs say to deduplicate on event_id; it travels in the body and as a header.
      event_id: eventId,
      event: event.event,
      timestamp: event.timestamp,
      data: event.data,
    });
    // A few simulated seconds of jitter: events close together do not arrive in order. Events from the past
    // (history, or a clock that jumped) are due at once.
    const dueAt = Date.parse(event.timestamp) + this.random.int(0, 5_000);
    this.pending.push({ eventId, event: event.event, body, attempt: 1, dueAt, duplicate: false });
    if (this.random.chance(this.options.duplicateRate)) {
      this.pending.push({
        eventId,
        event: event.event,
        body,
        attempt: 1,
        dueAt: dueAt + this.random.int(1_000, 30_000),
        duplicate: true,
      });
    }
    this.options.onChange?.();
  }

  /** Sends what is due. Returns the attempts it started, so tests can await them. */
  pump(): Promise<void>[] {
    if (this.paused) return [];
    const now = this.clock.now();
    const due = this.pending.filter((delivery) => delivery.dueAt <= now).sort((a, b) => a.dueAt - b.dueAt);
    const started: Promise<void>[] = [];
    for (const delivery of due) {
      if (this.inFlight.size >= MAX_CONCURRENT) break;
      this.pending.splice(this.pending.indexOf(delivery), 1);
      const attempt: Promise<void> = this.attempt(delivery).finally(() => this.inFlight.delete(attempt));
      this.inFlight.add(attempt);
      started.push(attempt);
    }
    return started;
  }

  /** Delivers everything due now, including retries that fall due while doing so (tests step the clock). */
  async drain() {
    for (;;) {
      this.pump();
      if (this.inFlight.size === 0) return;
      await Promise.all([...this.inFlight]);
    }
  }

  headersFor(body: string, eventId: string, now = Date.now()): Record<string, string> {
    return {
      ...deliveryHeaders(body, this.target, now),
      "user-agent": "Hubby-Webhooks-Sandbox/1.0",
      "x-hubby-event-id": eventId,
    };
  }

  private async attempt(delivery: Delivery) {
    let status: number | null = null;
    let error: string | null = null;
    try {
      const response = await fetch(this.target.url, {
        method: "POST",
        headers: this.headersFor(delivery.body, delivery.eventId),
        body: delivery.body,
        redirect: "manual",
        signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
      });
      status = response.status;
      await response.arrayBuffer().catch(() => undefined);
    } catch (caught) {
      error =
        caught instanceof Error
          ? caught.cause instanceof Error
            ? caught.cause.message
            : caught.message
          : String(caught);
    }
    const ok = status !== null && status >= 200 && status < 300;
    let outcome: DeliveryLogEntry["outcome"] = "delivered";
    if (ok) {
      this.stats.delivered += 1;
      if (delivery.duplicate) this.stats.duplicatesSent += 1;
    } else {
      this.stats.failedAttempts += 1;
      const delay = RETRY_DELAYS_MS[delivery.attempt - 1];
      if (delay === undefined) {
        outcome = "dropped";
        this.stats.dropped += 1;
      } else {
        outcome = "retrying";
        this.pending.push({ ...delivery, attempt: delivery.attempt + 1, dueAt: this.clock.now() + delay });
      }
    }
    this.log.unshift({
      eventId: delivery.eventId,
      event: delivery.event,
      attempt: delivery.attempt,
      at: new Date().toISOString(),
      status,
      error,
      outcome,
    });
    this.log.length = Math.min(this.log.length, LOG_SIZE);
    this.options.onChange?.();
  }
}
