import Link from "next/link";
import { AlertTriangle } from "lucide-react";
import { formatMoney } from "@/lib/bookings/quote";
import { formatNumber, utcStamp } from "@/lib/format";
import { campaignStepLabels, travelersHref } from "@/lib/travelers/filters";
import {
  atRisk,
  campaignsWithFunnel,
  hubbyHealth,
  spendAndValue,
  travelerActivity,
  webhookEventsPerDay,
} from "@/lib/overview/queries";
import type { OverviewRange } from "@/lib/overview/range";
import { DailyLinesChart, StackedDailyChart } from "./lazy-charts";

/**
 * The overview's widgets: each an async server component that reads its own aggregate, rendered by the page inside
 * its own Suspense boundary (OverviewCard + WidgetSkeleton), so a slow figure never holds the others.
 */

function Figure({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div className="flex flex-col">
      <span className="text-2xl font-semibold tabular-nums" data-testid={testId}>
        {value}
      </span>
      <span className="text-xs text-muted-foreground">{label}</span>
    </div>
  );
}

const rangeWords = (range: OverviewRange) =>
  range.from === range.to ? range.from : `${range.from} to ${range.to} (UTC)`;

export async function TravelersWidget({ range }: { range: OverviewRange }) {
  const activity = await travelerActivity(range);
  return (
    <>
      <div className="flex flex-wrap gap-6">
        <Figure label="travelers" value={formatNumber(activity.travelers)} testId="overview-travelers" />
        <Figure label="active packages" value={formatNumber(activity.activePackages)} />
        <Figure label="eSIM installs" value={formatNumber(activity.installs)} testId="overview-installs" />
        <Figure label="package activations" value={formatNumber(activity.activations)} />
      </div>
      <DailyLinesChart
        series={activity.series}
        keys={[
          { key: "installs", label: "eSIM installs" },
          { key: "activations", label: "Package activations" },
        ]}
        label={`eSIM installs and package activations per day, ${rangeWords(range)}`}
      />
      <p className="text-xs text-muted-foreground">
        Travelers and active packages as of{" "}
        <span data-testid="overview-totals-as-of">{utcStamp(activity.totalsAsOf)}</span> (counted every few minutes).
        Installs and activations as Hubby reported them by webhook, per day received.{" "}
        <Link className="underline" href={travelersHref({})}>
          All travelers
        </Link>
      </p>
    </>
  );
}

export async function AtRiskWidget() {
  const queues = await atRisk();
  return (
    <div className="grid gap-4 sm:grid-cols-2">
      {queues.map((queue) => (
        <div key={queue.id} className="flex flex-col gap-2" data-testid={`at-risk-${queue.id}`}>
          <Link href={queue.href} className="flex items-baseline gap-2 hover:underline">
            <span className="text-2xl font-semibold tabular-nums">
              {queue.countIsMore ? `more than ${formatNumber(queue.count)}` : formatNumber(queue.count)}
            </span>
            <span className="text-sm">{queue.label}</span>
          </Link>
          {queue.travelers.length > 0 ? (
            <ul className="flex flex-col gap-1 text-sm">
              {queue.travelers.map((traveler) => (
                <li key={traveler.externalUserId} className="flex justify-between gap-2">
                  <Link
                    className="truncate font-mono hover:underline"
                    href={`/travelers/${encodeURIComponent(traveler.externalUserId)}`}
                  >
                    {traveler.externalUserId}
                  </Link>
                  {traveler.nextDepartureAt && (
                    <span className="shrink-0 text-xs text-muted-foreground">
                      departs {utcStamp(traveler.nextDepartureAt)}
                    </span>
                  )}
                </li>
              ))}
            </ul>
          ) : (
            <p className="text-sm text-muted-foreground">Nobody right now.</p>
          )}
          {queue.count > queue.travelers.length && (
            <Link className="text-xs underline" href={queue.href}>
              {queue.countIsMore
                ? `See them in the travelers list (more than ${formatNumber(queue.count)})`
                : `See all ${formatNumber(queue.count)} in the travelers list`}
            </Link>
          )}
        </div>
      ))}
    </div>
  );
}

export async function WebhookEventsWidget({ range }: { range: OverviewRange }) {
  const events = await webhookEventsPerDay(range);
  return (
    <>
      <p className="text-sm">
        <span className="font-semibold tabular-nums" data-testid="overview-webhook-total">
          {formatNumber(events.total)}
        </span>{" "}
        events received, {rangeWords(range)}.
      </p>
      {events.types.length === 0 ? (
        <p className="py-6 text-center text-sm text-muted-foreground">No webhook events in this period.</p>
      ) : (
        <StackedDailyChart
          series={events.series}
          keys={events.types.map((type) => ({ key: type, label: type }))}
          label={`Webhook events per day by type, ${rangeWords(range)}`}
        />
      )}
      <Link className="text-xs underline" href={`/webhooks?from=${range.from}&to=${range.to}`}>
        Open these in the webhook inbox
      </Link>
    </>
  );
}

export async function SpendWidget({ range }: { range: OverviewRange }) {
  const { byCurrency } = await spendAndValue(range);
  if (byCurrency.length === 0) {
    return (
      <p className="py-6 text-center text-sm text-muted-foreground">
        No booking confirmed by Hubby in this period.{" "}
        <Link className="underline" href="/bookings">
          Bookings
        </Link>
      </p>
    );
  }
  return (
    <>
      {byCurrency.map((money) => (
        <div key={money.currency} className="flex flex-col gap-3" data-testid={`spend-${money.currency}`}>
          <div className="flex flex-wrap gap-6">
            <Figure
              label="spend at B2B"
              value={formatMoney(money.costCents, money.currency)}
              testId={`spend-cost-${money.currency}`}
            />
            <Figure
              label="value at B2C"
              value={formatMoney(money.priceCents, money.currency)}
              testId={`spend-price-${money.currency}`}
            />
            <Figure label="bookings confirmed" value={formatNumber(money.bookings)} />
          </div>
          <DailyLinesChart
            series={money.series}
            keys={[
              { key: "costCents", label: "Spend (B2B)" },
              { key: "priceCents", label: "Value (B2C)" },
            ]}
            money={money.currency}
            label={`Spend at B2B and value at B2C per day in ${money.currency}, ${rangeWords(range)}`}
          />
          <table className="w-full text-sm" aria-label={`Spend and value per destination (${money.currency})`}>
            <thead>
              <tr className="text-left text-xs text-muted-foreground">
                <th className="font-normal">Destination</th>
                <th className="text-right font-normal">Spend (B2B)</th>
                <th className="text-right font-normal">Value (B2C)</th>
              </tr>
            </thead>
            <tbody>
              {money.destinations.map((row) => (
                <tr key={row.destination} className="border-t border-border">
                  <td className="py-1">{row.name}</td>
                  <td className="py-1 text-right tabular-nums">{formatMoney(row.costCents, money.currency)}</td>
                  <td className="py-1 text-right tabular-nums">{formatMoney(row.priceCents, money.currency)}</td>
                </tr>
              ))}
              {money.otherDestinations && (
                <tr className="border-t border-border text-muted-foreground">
                  <td className="py-1">{money.otherDestinations.count} other destinations</td>
                  <td className="py-1 text-right tabular-nums">
                    {formatMoney(money.otherDestinations.costCents, money.currency)}
                  </td>
                  <td className="py-1 text-right tabular-nums">
                    {formatMoney(money.otherDestinations.priceCents, money.currency)}
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      ))}
      <p className="text-xs text-muted-foreground">
        Bookings Hubby confirmed, on the day they were written, at the catalog prices their preview quoted.{" "}
        <Link className="underline" href={`/bookings?status=SENT&from=${range.from}&to=${range.to}`}>
          These bookings
        </Link>
      </p>
    </>
  );
}

export async function CampaignsWidget() {
  const campaigns = await campaignsWithFunnel();
  if (campaigns.length === 0) {
    return (
      <p className="py-6 text-center text-sm text-muted-foreground">
        No campaign yet.{" "}
        <Link className="underline" href="/campaigns/new">
          New campaign
        </Link>
      </p>
    );
  }
  return (
    <ul className="flex flex-col gap-3">
      {campaigns.map((campaign) => {
        const issued = campaign.funnel[0]?.travelers ?? 0;
        return (
          <li key={campaign.id} className="flex flex-col gap-1" data-testid={`overview-campaign-${campaign.id}`}>
            <div className="flex items-baseline justify-between gap-2">
              <Link className="truncate font-medium hover:underline" href={`/campaigns/${campaign.id}`}>
                {campaign.name}
              </Link>
              <span className="shrink-0 text-xs text-muted-foreground">{campaign.status}</span>
            </div>
            <ol className="grid grid-cols-4 gap-1 text-xs">
              {campaign.funnel.map((step) => (
                <li key={step.step}>
                  <Link
                    className="flex flex-col rounded border border-border p-1 hover:bg-muted"
                    href={travelersHref({ campaign: campaign.id, step: step.step })}
                  >
                    <span className="font-semibold tabular-nums">{formatNumber(step.travelers)}</span>
                    <span className="text-muted-foreground">
                      {campaignStepLabels[step.step]}
                      {issued > 0 && step.step !== "issued"
                        ? ` (${Math.round((step.travelers / issued) * 100)} %)`
                        : ""}
                    </span>
                  </Link>
                </li>
              ))}
            </ol>
          </li>
        );
      })}
    </ul>
  );
}

const seconds = (value: number | null) =>
  value === null ? "—" : value < 120 ? `${Math.round(value)} s` : `${Math.round(value / 60)} min`;

export async function HealthWidget({ mayReadApiLog }: { mayReadApiLog: boolean }) {
  const health = await hubbyHealth();
  const { api, webhooks } = health;
  return (
    <div className="grid gap-4 sm:grid-cols-2">
      <div className="flex flex-col gap-2" data-testid="health-api">
        <h3 className="text-xs font-medium text-muted-foreground">Hubby API, last {health.hours} h</h3>
        <div className="flex flex-wrap gap-6">
          <Figure label="calls" value={formatNumber(api.total)} />
          <Figure label="failed" value={formatNumber(api.failed)} />
          <Figure label="p95 duration" value={api.p95Ms === null ? "—" : `${formatNumber(api.p95Ms)} ms`} />
        </div>
        {api.lastFailure ? (
          <p className="text-xs text-muted-foreground">
            Last failure {utcStamp(api.lastFailure.at)}: {api.lastFailure.endpoint}
            {api.lastFailure.status ? ` (${api.lastFailure.status})` : ""}
            {api.lastFailure.error ? `: ${api.lastFailure.error}` : ""}
          </p>
        ) : (
          <p className="text-xs text-muted-foreground">No failed call.</p>
        )}
        {mayReadApiLog && (
          <Link className="text-xs underline" href="/api-log">
            Hubby API log
          </Link>
        )}
      </div>
      <div className="flex flex-col gap-2" data-testid="health-webhooks">
        <h3 className="text-xs font-medium text-muted-foreground">Webhooks, last {health.hours} h</h3>
        <div className="flex flex-wrap gap-6">
          <Figure label="received" value={formatNumber(webhooks.total)} />
          <Figure label="failed or quarantined" value={formatNumber(webhooks.failed)} />
          <Figure label="refused (auth)" value={formatNumber(webhooks.authFailures)} />
          <Figure label="p95 delay, event to receipt" value={seconds(webhooks.lagSeconds.p95)} />
        </div>
        <p className="text-xs text-muted-foreground">
          Last received: {utcStamp(webhooks.lastReceivedAt)}.
          {webhooks.backfilledExcluded > 0 &&
            ` ${formatNumber(webhooks.backfilledExcluded)} backfilled events excluded from the delay (dated before the window).`}
        </p>
        {webhooks.silence && (
          <p
            role="alert"
            data-testid="health-silence"
            className="flex items-center gap-2 rounded-md bg-amber-100 p-2 text-xs text-amber-900"
          >
            <AlertTriangle className="h-4 w-4 shrink-0" aria-hidden />
            {webhooks.silence.summary}
            {webhooks.silence.acknowledgedBy ? ` Acknowledged by ${webhooks.silence.acknowledgedBy}.` : ""}
          </p>
        )}
        <Link className="text-xs underline" href="/webhooks">
          Webhook inbox and health
        </Link>
      </div>
    </div>
  );
}
