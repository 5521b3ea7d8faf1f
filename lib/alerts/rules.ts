import type { Permission, StaffRole } from "../auth/roles";

/**
 * The alert rules the console evaluates (lib/alerts/evaluate.ts), with their defaults. Pure: the rules screen, the
 * account page's subscriptions and the evaluation read the same list. A rule's `permission` is the one needed to
 * open the screen its messages link to: staff see (and may subscribe to) only the incidents they could act on.
 */

export const alertRuleKeys = [
  "webhook_silence",
  "webhook_auth_failures",
  "webhook_failed_events",
  "webhook_lag_p95",
  "hubby_error_rate",
  "hubby_latency_p95",
  "hubby_unreachable",
  "campaign_finished",
  "campaign_breaker_paused",
  "campaign_ended_with_problems",
  "departures_not_installed",
  "usage_crossed_80",
  "booking_intent_unknown",
  "forwarding_endpoint_failing",
] as const;
export type AlertRuleKey = (typeof alertRuleKeys)[number];

export type AlertGroup = "webhooks" | "hubby" | "campaigns" | "travelers" | "bookings" | "forwarding";

export type AlertRuleDefinition = {
  key: AlertRuleKey;
  label: string;
  group: AlertGroup;
  /** What the threshold means, with its unit, for the rules screen. */
  thresholdLabel: string;
  threshold: number;
  min: number;
  max: number;
  /** Whole numbers only. */
  integer: boolean;
  remindHours: number;
  /** What the scope narrows, when the rule has one; null: the rule has no scope to set. */
  scopeLabel: string | null;
  /** A digest lists its items (travelers) in one message. */
  digest: boolean;
  /** Notify when it resolves (a campaign "finished" has nothing to resolve). */
  notifyResolve: boolean;
  permission: Permission;
};

const rule = (
  definition: Omit<AlertRuleDefinition, "integer" | "scopeLabel" | "digest" | "notifyResolve"> &
    Partial<Pick<AlertRuleDefinition, "integer" | "scopeLabel" | "digest" | "notifyResolve">>,
): AlertRuleDefinition => ({ integer: true, scopeLabel: null, digest: false, notifyResolve: true, ...definition });

export const alertRules: Record<AlertRuleKey, AlertRuleDefinition> = {
  webhook_silence: rule({
    key: "webhook_silence",
    label: "Webhooks silent while packages are active",
    group: "webhooks",
    thresholdLabel: "hours without a webhook",
    threshold: 6,
    min: 0.25,
    max: 720,
    integer: false,
    remindHours: 6,
    permission: "webhooks.view",
  }),
  webhook_auth_failures: rule({
    key: "webhook_auth_failures",
    label: "Webhook authentication failures",
    group: "webhooks",
    thresholdLabel: "refusals per 10 minutes (alert above)",
    threshold: 20,
    min: 0,
    max: 1_000_000,
    remindHours: 4,
    permission: "webhooks.view",
  }),
  webhook_failed_events: rule({
    key: "webhook_failed_events",
    label: "Failed or quarantined webhook events",
    group: "webhooks",
    thresholdLabel: "events in the last 24 hours (alert above)",
    threshold: 0,
    min: 0,
    max: 1_000_000,
    remindHours: 12,
    scopeLabel: "event type (empty: all)",
    permission: "webhooks.view",
  }),
  webhook_lag_p95: rule({
    key: "webhook_lag_p95",
    label: "Webhook ingestion lag (p95, last hour)",
    group: "webhooks",
    thresholdLabel: "seconds (alert above)",
    threshold: 900,
    min: 1,
    max: 7 * 86_400,
    remindHours: 6,
    permission: "webhooks.view",
  }),
  hubby_error_rate: rule({
    key: "hubby_error_rate",
    label: "Hubby API error rate (15 minutes)",
    group: "hubby",
    thresholdLabel: "% of calls failed (alert above; 5 calls at least)",
    threshold: 20,
    min: 0,
    max: 100,
    integer: false,
    remindHours: 2,
    scopeLabel: "endpoint, e.g. POST /bookings (empty: all)",
    permission: "apiLog.read",
  }),
  hubby_latency_p95: rule({
    key: "hubby_latency_p95",
    label: "Hubby API latency (p95, 15 minutes)",
    group: "hubby",
    thresholdLabel: "milliseconds (alert above)",
    threshold: 5_000,
    min: 1,
    max: 600_000,
    remindHours: 2,
    scopeLabel: "endpoint, e.g. GET /native/user-dashboard (empty: all)",
    permission: "apiLog.read",
  }),
  hubby_unreachable: rule({
    key: "hubby_unreachable",
    label: "Hubby unreachable",
    group: "hubby",
    thresholdLabel: "latest calls in a row without any HTTP reply",
    threshold: 3,
    min: 1,
    max: 1_000,
    remindHours: 1,
    permission: "apiLog.read",
  }),
  campaign_finished: rule({
    key: "campaign_finished",
    label: "Campaign finished",
    group: "campaigns",
    thresholdLabel: "hours the incident stays open after the campaign finished",
    threshold: 24,
    min: 1,
    max: 720,
    remindHours: 1_000,
    notifyResolve: false,
    permission: "campaigns.run",
  }),
  campaign_breaker_paused: rule({
    key: "campaign_breaker_paused",
    label: "Campaign paused by its circuit breaker",
    group: "campaigns",
    thresholdLabel: "minutes paused before alerting",
    threshold: 0,
    min: 0,
    max: 10_080,
    remindHours: 4,
    permission: "campaigns.run",
  }),
  campaign_ended_with_problems: rule({
    key: "campaign_ended_with_problems",
    label: "Campaign ended with failed or review rows",
    group: "campaigns",
    thresholdLabel: "failed, unknown or review rows (alert above)",
    threshold: 0,
    min: 0,
    max: 1_000_000,
    remindHours: 24,
    permission: "campaigns.run",
  }),
  departures_not_installed: rule({
    key: "departures_not_installed",
    label: "Departing soon, eSIM not installed (digest)",
    group: "travelers",
    thresholdLabel: "hours before departure",
    threshold: 48,
    min: 1,
    max: 24 * 366,
    remindHours: 12,
    digest: true,
    permission: "travelers.search",
  }),
  usage_crossed_80: rule({
    key: "usage_crossed_80",
    label: "Travelers crossed 80 % of their data (digest)",
    group: "travelers",
    thresholdLabel: "days looked back",
    threshold: 1,
    min: 1,
    max: 366,
    remindHours: 24,
    digest: true,
    permission: "travelers.search",
  }),
  booking_intent_unknown: rule({
    key: "booking_intent_unknown",
    label: "Booking left UNKNOWN (reply lost)",
    group: "bookings",
    thresholdLabel: "minutes UNKNOWN",
    threshold: 30,
    min: 1,
    max: 10_080,
    remindHours: 4,
    permission: "bookings.view",
  }),
  forwarding_endpoint_failing: rule({
    key: "forwarding_endpoint_failing",
    label: "Forwarding endpoint failing or disabled",
    group: "forwarding",
    // The retry schedule tries again after 5 s, 5 min and 30 min: an hour of failures is more than a blip.
    thresholdLabel: "minutes of failed attempts (a disabled endpoint alerts at once)",
    threshold: 60,
    min: 0,
    max: 7_200,
    remindHours: 6,
    permission: "forwarding.manage",
  }),
};

export const alertGroupLabels: Record<AlertGroup, string> = {
  webhooks: "Webhooks",
  hubby: "Hubby API",
  campaigns: "Campaigns",
  travelers: "Travelers",
  bookings: "Bookings",
  forwarding: "Forwarding",
};

/** The rules whose email reaches a role when its staff have not chosen (account page, "Alert emails"). */
export const roleEmailDefaults: Record<StaffRole, readonly AlertRuleKey[]> = {
  support: ["departures_not_installed", "usage_crossed_80"],
  campaign_manager: ["campaign_finished", "campaign_breaker_paused", "campaign_ended_with_problems"],
  // Everything operational: the digests are support's daily work, not an admin's page.
  admin: alertRuleKeys.filter((key) => !alertRules[key].digest),
};

export function isAlertRuleKey(value: unknown): value is AlertRuleKey {
  return typeof value === "string" && (alertRuleKeys as readonly string[]).includes(value);
}

export type RuleSettings = { enabled: boolean; threshold: number; scope: string; remindHours: number };

export function defaultSettings(key: AlertRuleKey): RuleSettings {
  const definition = alertRules[key];
  return { enabled: true, threshold: definition.threshold, scope: "", remindHours: definition.remindHours };
}
