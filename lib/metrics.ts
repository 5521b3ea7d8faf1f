import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/**
 * The console's Prometheus metrics (prom-client), served by GET /api/metrics (app/api/metrics/route.ts) when
 * METRICS_TOKEN is set. Two kinds:
 *
 * - Events of this instance, counted where they happen: webhook intakes, Hubby calls, job runs. Sum them across
 *   instances (`sum by (…) (rate(…))`).
 * - State of the shared database, read at scrape time: job queue depths, campaign rows by outcome, sign-in
 *   failures and throttles recorded in the audit trail. Every instance reports the same values: take `max`.
 *
 * On globalThis: the webhook receiver runs in scripts/server.ts's copy of this module and the route in Next.js's
 * bundled copy; both must count into the one registry.
 */

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

function createMetrics() {
  const registry = new Registry();
  registry.setDefaultLabels({ service: "hubby-console" });
  collectDefaultMetrics({ register: registry, prefix: "console_process_" });
  return {
    registry,
    webhookIntakes: new Counter({
      name: "console_webhook_intakes_total",
      help: "Webhook deliveries answered, by event type (unknown types as 'other') and outcome.",
      labelNames: ["type", "outcome"] as const,
      registers: [registry],
    }),
    webhookIntakeSeconds: new Histogram({
      name: "console_webhook_intake_seconds",
      help: "Time from the delivery's arrival to its answer (body read, verified, stored; projected unless deferred).",
      labelNames: ["outcome"] as const,
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    webhookProjectionBacklog: new Gauge({
      name: "console_webhook_projection_backlog",
      help: "Stored webhook events whose projection this instance has yet to write (deferred under a burst).",
      registers: [registry],
    }),
    hubbyCalls: new Counter({
      name: "console_hubby_calls_total",
      help: "Calls to Hubby's API by endpoint and HTTP status ('none' when no reply came).",
      labelNames: ["endpoint", "status"] as const,
      registers: [registry],
    }),
    hubbyCallSeconds: new Histogram({
      name: "console_hubby_call_seconds",
      help: "Duration of one call to Hubby's API (one attempt), by endpoint.",
      labelNames: ["endpoint"] as const,
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    jobRuns: new Counter({
      name: "console_job_runs_total",
      help: "Background job attempts run by this instance, by queue and outcome (completed or failed).",
      labelNames: ["queue", "outcome"] as const,
      registers: [registry],
    }),
    jobSeconds: new Histogram({
      name: "console_job_seconds",
      help: "Duration of one background job attempt, by queue.",
      labelNames: ["queue"] as const,
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300],
      registers: [registry],
    }),
    jobQueueDepth: new Gauge({
      name: "console_job_queue_jobs",
      help: "Jobs in the shared queues by state (queued, active, failed kept for retry); same on every instance.",
      labelNames: ["queue", "state"] as const,
      registers: [registry],
    }),
    campaignRows: new Gauge({
      name: "console_campaign_rows",
      help: "Campaign rows in the shared database by outcome (sent, failed, review, …); same on every instance.",
      labelNames: ["outcome"] as const,
      registers: [registry],
    }),
    forwardDeliveries: new Counter({
      name: "console_forward_deliveries_total",
      help: "Forwarding attempts made by this instance, by endpoint id and outcome (delivered, retry, failed).",
      labelNames: ["endpoint", "outcome"] as const,
      registers: [registry],
    }),
    forwardDeliverySeconds: new Histogram({
      name: "console_forward_delivery_seconds",
      help: "Time from an event's receipt to its delivery at an endpoint (retries included), by endpoint id.",
      labelNames: ["endpoint"] as const,
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 15, 60, 300, 1800, 7200, 43200, 129600],
      registers: [registry],
    }),
    forwardPending: new Gauge({
      name: "console_forward_messages_pending",
      help: "Forwarding messages waiting for their first or next attempt, by endpoint id; same on every instance.",
      labelNames: ["endpoint"] as const,
      registers: [registry],
    }),
    forwardEndpointsDisabled: new Gauge({
      name: "console_forward_endpoints_disabled",
      help: "Endpoints the console disabled (410 Gone, or 5 days of failures) until staff enable them; same on every instance.",
      registers: [registry],
    }),
    webhookProjectionPending: new Gauge({
      name: "console_webhook_projection_pending",
      help: "Stored webhook events whose projection no instance has written yet (deferred, or left by a crash for the sweep); same on every instance.",
      registers: [registry],
    }),
    signInProblems: new Gauge({
      name: "console_sign_in_events",
      help: "Sign-in failures and throttled attempts kept in the audit trail; same on every instance.",
      labelNames: ["kind"] as const,
      registers: [registry],
    }),
  };
}

export type ConsoleMetrics = ReturnType<typeof createMetrics>;

const globalForMetrics = globalThis as typeof globalThis & { __consoleMetrics?: ConsoleMetrics };

export function metrics(): ConsoleMetrics {
  globalForMetrics.__consoleMetrics ??= createMetrics();
  return globalForMetrics.__consoleMetrics;
}

/**
 * Counts one answered webhook delivery. The type comes from the body's `event` only when `isKnownType` accepts it,
 * so a sender cannot grow the label set; the outcome from the answer (processed, duplicate, unauthorized, …).
 */
export function recordWebhookIntake(
  eventType: string | null,
  answer: { status: number; body: Record<string, unknown> },
  startedAt: number,
  isKnownType: (type: string) => boolean,
) {
  // Not JSON, no type, or one the console does not know: "other" (the intake quarantined, refused or kept it).
  const type = eventType !== null && isKnownType(eventType) ? eventType : "other";
  const outcome = webhookOutcome(answer);
  metrics().webhookIntakes.inc({ type, outcome });
  metrics().webhookIntakeSeconds.observe({ outcome }, (performance.now() - startedAt) / 1000);
}

function webhookOutcome(answer: { status: number; body: Record<string, unknown> }): string {
  if (answer.status === 200) {
    if (answer.body.duplicate === true) return "duplicate";
    return typeof answer.body.status === "string" ? answer.body.status : "stored";
  }
  if (answer.status === 401) return "unauthorized";
  if (answer.status === 413) return "too_large";
  if (answer.status === 503) return "unavailable";
  return `http_${answer.status}`;
}

export function recordHubbyCall(endpoint: string, status: number | null, durationMs: number) {
  metrics().hubbyCalls.inc({ endpoint, status: status === null ? "none" : String(status) });
  metrics().hubbyCallSeconds.observe({ endpoint }, durationMs / 1000);
}

export function recordJobRun(queue: string, outcome: "completed" | "failed", durationMs: number) {
  metrics().jobRuns.inc({ queue, outcome });
  metrics().jobSeconds.observe({ queue }, durationMs / 1000);
}

/**
 * Counts one forwarding attempt. The endpoint label is the endpoint's id (a small set staff or configuration made,
 * never a URL, which may carry credentials); a delivered attempt also observes receipt → delivered.
 */
export function recordForwardAttempt(
  endpointId: number,
  outcome: "delivered" | "retry" | "failed",
  receivedAt: Date | null,
  deliveredAt: Date,
) {
  const endpoint = String(endpointId);
  metrics().forwardDeliveries.inc({ endpoint, outcome });
  if (outcome === "delivered" && receivedAt) {
    metrics().forwardDeliverySeconds.observe(
      { endpoint },
      Math.max(0, deliveredAt.getTime() - receivedAt.getTime()) / 1000,
    );
  }
}
