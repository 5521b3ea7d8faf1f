import type { Metadata } from "next";
import { AlertTriangle } from "lucide-react";
import { requirePermission, type CurrentStaff } from "@/lib/auth/staff";
import { may } from "@/lib/auth/roles";
import { getEnv } from "@/lib/env";
import {
  listEventTypes,
  listWebhookEvents,
  webhookHealth,
  webhookQuerySchema,
  webhookStatuses,
  type WebhookQuery,
} from "@/lib/webhooks/queries";
import { Pagination } from "@/components/pagination";
import { DateRangeFilter, FilterBar, SelectFilter, TextFilter } from "@/components/list/filter-bar";
import { StreamedScreen } from "@/components/list/streamed-screen";
import { utcStamp } from "@/lib/format";
import { EventsPerHourChart } from "./events-per-hour-chart";
import { latestReconciliation } from "@/lib/webhooks/reconcile";
import { ReconciliationPanel } from "./reconciliation-panel";
import { ReplayMatching } from "./replay-matching";
import { WebhookTable } from "./webhook-table";
import { isFiltered, parseSearchParams, type RawSearchParams } from "@/lib/url-params";
import { IgnoredParamsNotice } from "@/components/ignored-params-notice";
import { openIncidents } from "@/lib/alerts/incidents";
import Link from "next/link";

export const metadata: Metadata = { title: "Webhooks" };

const HEALTH_HOURS = 24;
const WEBHOOK_ALERT_RULES = [
  "webhook_silence",
  "webhook_auth_failures",
  "webhook_failed_events",
  "webhook_lag_p95",
] as const;

function Figure({ label, value, tone }: { label: string; value: string | number; tone?: "warning" | "danger" }) {
  const color =
    tone === "danger"
      ? "text-red-700 dark:text-red-300"
      : tone === "warning"
        ? "text-amber-700 dark:text-amber-300"
        : "";
  return (
    <div className="rounded-md border p-3">
      <div className="text-xs text-muted-foreground">{label}</div>
      <div className={`text-lg font-semibold ${color}`}>{value}</div>
    </div>
  );
}

const seconds = (value: number | null) =>
  value === null
    ? "—"
    : value < 120
      ? `${Math.round(value)} s`
      : value < 7200
        ? `${Math.round(value / 60)} min`
        : `${(value / 3600).toFixed(1)} h`;

export default async function WebhooksPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  const staff = await requirePermission("webhooks.view");
  const { values: query, ignored } = parseSearchParams(webhookQuerySchema, await searchParams);
  return (
    <StreamedScreen
      title="Webhooks"
      description="Every event Hubby delivered, stored before it was acknowledged: the intake's health, then the inbox to filter by type, status, traveler, booking, package or date, open an event to see its body and what it changed, and replay what failed. Times in UTC."
    >
      <WebhookInbox staff={staff} query={query} ignored={ignored} />
    </StreamedScreen>
  );
}

async function WebhookInbox({
  staff,
  query,
  ignored,
}: {
  staff: CurrentStaff;
  query: WebhookQuery;
  ignored: string[];
}) {
  const mayReconcile = may(staff, "webhooks.reconcile");
  const [{ rows, total, pageSize }, types, health, reconciliation, incidents] = await Promise.all([
    listWebhookEvents(query),
    listEventTypes(),
    webhookHealth({ hours: HEALTH_HOURS }),
    mayReconcile ? latestReconciliation() : null,
    // The banner and the panel read the alert incidents, so they say what the bell, email and chat said.
    openIncidents(WEBHOOK_ALERT_RULES),
  ]);
  const silence = incidents.find((incident) => incident.ruleKey === "webhook_silence");
  const otherIncidents = incidents.filter((incident) => incident !== silence);

  return (
    <>
      <section aria-labelledby="health-heading" className="flex flex-col gap-3 rounded-lg border p-4">
        <h2 id="health-heading" className="text-sm font-semibold">
          Intake health, last {HEALTH_HOURS} hours
        </h2>
        {silence && (
          <p
            role="alert"
            data-testid="silence-banner"
            className="flex items-center gap-2 rounded-md bg-amber-100 p-2 text-sm text-amber-900 dark:bg-amber-900/40 dark:text-amber-100"
          >
            <AlertTriangle className="h-4 w-4" aria-hidden />
            {silence.summary}{" "}
            <Link href={`/alerts?incident=${silence.id}`} className="underline">
              {silence.acknowledgedAt
                ? `Acknowledged by ${silence.acknowledgedByName ?? silence.acknowledgedByEmail}`
                : "Open incident"}
            </Link>
          </p>
        )}
        {otherIncidents.length > 0 && (
          <ul
            className="flex flex-col gap-1 text-sm"
            aria-label="Open webhook incidents"
            data-testid="webhook-incidents"
          >
            {otherIncidents.map((incident) => (
              <li key={incident.id} className="flex items-center gap-2 text-red-700 dark:text-red-300">
                <AlertTriangle className="h-4 w-4" aria-hidden />
                <Link href={`/alerts?incident=${incident.id}`} className="underline">
                  {incident.title}
                </Link>
                {incident.acknowledgedAt && (
                  <span className="text-xs text-muted-foreground">
                    acknowledged by {incident.acknowledgedByName ?? incident.acknowledgedByEmail}
                  </span>
                )}
              </li>
            ))}
          </ul>
        )}
        <div className="grid grid-cols-2 gap-2 sm:grid-cols-4 lg:grid-cols-8">
          <Figure label="Events" value={health.total} />
          <Figure label="Processed" value={health.counts.processed} />
          <Figure label="Unhandled" value={health.counts.unhandled} />
          <Figure label="Failed" value={health.counts.failed} tone={health.counts.failed ? "danger" : undefined} />
          <Figure
            label="Quarantined"
            value={health.counts.quarantined}
            tone={health.counts.quarantined ? "warning" : undefined}
          />
          <Figure label="Duplicates" value={health.duplicates} />
          <Figure label="Auth failures" value={health.authFailures} tone={health.authFailures ? "danger" : undefined} />
          <Figure
            label="Lag p50 / p95"
            value={`${seconds(health.lagSeconds.p50)} / ${seconds(health.lagSeconds.p95)}`}
          />
        </div>
        {health.backfilledExcluded > 0 && (
          <p className="text-xs text-muted-foreground" data-testid="backfilled-excluded">
            {health.backfilledExcluded} backfilled events excluded from the lag: received in the last {health.hours} h
            but dated before it (replays or history), so their age is not a delivery delay.
          </p>
        )}
        {health.signedButOld > 0 && (
          <p
            role="alert"
            className="flex items-center gap-2 rounded-md bg-amber-100 p-2 text-sm text-amber-900 dark:bg-amber-900/40 dark:text-amber-100"
            data-testid="signed-but-old"
          >
            <AlertTriangle className="h-4 w-4" aria-hidden />
            {health.signedButOld} correctly signed deliveries were refused because their timestamp was older than the
            tolerance ({getEnv().HUBBY_WEBHOOK_TOLERANCE_SECONDS} s): most likely Hubby&apos;s retries, signed with the
            original time. Raise HUBBY_WEBHOOK_TOLERANCE_SECONDS above Hubby&apos;s retry schedule (30 minutes), then
            refresh travelers from Hubby to recover what was missed.
          </p>
        )}
        {health.refusalReasons.length > 0 && (
          <p className="text-xs text-muted-foreground" data-testid="refusal-reasons">
            Refused deliveries by reason:{" "}
            {health.refusalReasons.map((entry) => `${entry.reason} × ${entry.count}`).join(", ")}.
          </p>
        )}
        <EventsPerHourChart series={health.series} types={health.types} />
        <p className="text-xs text-muted-foreground">
          Last event received:{" "}
          {health.lastReceivedAt ? utcStamp(health.lastReceivedAt, { precision: "second" }) : "never"}. Lag is the time
          from the event&apos;s own timestamp to its arrival.
        </p>
      </section>

      {mayReconcile && <ReconciliationPanel run={reconciliation} />}

      <IgnoredParamsNotice names={ignored} />

      <FilterBar action="/webhooks" state={query} filtered={isFiltered(webhookQuerySchema, query)}>
        <SelectFilter name="type" label="Event type" value={query.type} any="All types" options={types} />
        <SelectFilter name="status" label="Status" value={query.status} all="All" options={webhookStatuses} />
        <TextFilter name="user" label="external_user_id" value={query.user} />
        <TextFilter name="booking" label="booking_id" value={query.booking} className="w-40" />
        <TextFilter name="package" label="package_id" value={query.package} className="w-40" />
        <DateRangeFilter from={query.from} to={query.to} />
        {query.sort !== "-receivedAt" && <input type="hidden" name="sort" value={query.sort} />}
      </FilterBar>

      {may(staff, "webhooks.replay") && total > 0 && (
        <ReplayMatching
          total={total}
          filter={{
            type: query.type,
            status: query.status,
            from: query.from ?? "",
            to: query.to ?? "",
            user: query.user ?? "",
            booking: query.booking ?? "",
            package: query.package ?? "",
          }}
        />
      )}

      <WebhookTable rows={rows} sort={query.sort} />
      <Pagination page={query.page} pageSize={pageSize} total={total} />
    </>
  );
}
