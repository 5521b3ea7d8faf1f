import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Pagination } from "@/components/pagination";
import { Badge } from "@/components/ui/badge";
import { DataTable, type Column } from "@/components/data-table";
import { requirePermission } from "@/lib/auth/staff";
import { formatMoney } from "@/lib/bookings/quote";
import {
  CAMPAIGN_PAGE_SIZE,
  campaignPageQuerySchema,
  campaignProgress,
  campaignRows,
  getCampaign,
  ROW_FILTERS,
  type CampaignRowView,
  type PerDestination,
  type RowFilter,
} from "@/lib/campaigns/queries";
import { utcStamp } from "@/lib/format";
import { campaignFunnel } from "@/lib/campaigns/funnel";
import { promoCodesHref } from "@/lib/promo-codes/filters";
import { campaignStepLabels, travelersHref } from "@/lib/travelers/filters";
import { parseRouteParams, parseSearchParams, uuidRouteParams, type RawSearchParams } from "@/lib/url-params";
import { IgnoredParamsNotice } from "@/components/ignored-params-notice";
import { CampaignProgress, CheckProgress, RetryFailedButton, RunButton } from "./campaign-controls";
import { ReviewQueue } from "./review-queue";

export const metadata: Metadata = { title: "Campaign" };

const STATUS_VARIANT = {
  checking: "info",
  rejected: "danger",
  draft: "default",
  running: "info",
  paused: "warning",
  cancelled: "danger",
  done: "success",
} as const;

const when = (date: Date | null) => utcStamp(date);

const perDestinationColumns = (money: (cents: number) => string): Column<PerDestination>[] => [
  { id: "destination", header: "Destination", cell: (entry) => entry.destination },
  { id: "packages", header: "Packages", cell: (entry) => entry.rows },
  { id: "cost", header: "B2B cost", cell: (entry) => money(entry.costCents) },
  { id: "value", header: "B2C value", cell: (entry) => money(entry.priceCents) },
];

const rowColumns: Column<CampaignRowView>[] = [
  { id: "line", header: "Line", cell: (row) => row.line },
  { id: "outcome", header: "Outcome", cell: (row) => (row.state === "review" ? "needs review" : row.state) },
  {
    id: "traveler",
    header: "Traveler",
    className: "font-mono text-xs",
    cell: (row) => row.externalUserId || <span className="font-sans text-muted-foreground">promo code</span>,
  },
  { id: "destination", header: "Destination", cell: (row) => row.destinations.join(";") },
  {
    id: "booking",
    header: "Booking",
    className: "font-mono text-xs",
    cell: (row) =>
      row.intentId ? (
        <Link className="underline" href={`/bookings/${row.intentId}`}>
          {row.hubbyBookingId ?? "intent"}
        </Link>
      ) : (
        "—"
      ),
  },
  {
    id: "packages",
    header: "Packages",
    className: "font-mono text-xs",
    cell: (row) => row.packageIds.join(", ") || "—",
  },
  { id: "error", header: "Error", className: "text-sm text-destructive", cell: (row) => row.error ?? "" },
];

export default async function CampaignPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<RawSearchParams>;
}) {
  await requirePermission("campaigns.run");
  const route = parseRouteParams(uuidRouteParams, await params);
  const campaign = route && (await getCampaign(route.id));
  if (!campaign) notFound();
  const { id } = campaign;
  const { values: query, ignored } = parseSearchParams(campaignPageQuerySchema, await searchParams);

  const checking = campaign.status === "checking";
  const rejected = campaign.status === "rejected";
  const draft = campaign.status === "draft";
  const defaultFilter: RowFilter = draft ? "errors" : "all";
  const filter = query.rows ?? defaultFilter;
  const { page } = query;
  const [rows, progress, funnel] = await Promise.all([
    checking || rejected ? Promise.resolve({ rows: [], total: 0 }) : campaignRows(id, filter, page),
    campaignProgress(id),
    draft || checking || rejected ? Promise.resolve([]) : campaignFunnel(id),
  ]);
  const ran = !draft && !checking && !rejected;
  const money = (cents: number) => formatMoney(cents, campaign.currency);

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-col gap-1">
        <p className="text-sm">
          <Link href="/campaigns" className="underline">
            Campaigns
          </Link>
        </p>
        <h1 className="flex items-center gap-2 text-xl font-semibold">
          {campaign.name} <Badge variant={STATUS_VARIANT[campaign.status]}>{campaign.status}</Badge>
        </h1>
        <p className="text-sm text-muted-foreground">
          File <strong>{campaign.fileName}</strong> · SHA-256 <code className="text-xs">{campaign.checksum}</code>
        </p>
        <p className="text-sm text-muted-foreground">
          Dry run by {campaign.actorEmail} at {when(campaign.createdAt)}
          {campaign.startedByEmail ? ` · started by ${campaign.startedByEmail} at ${when(campaign.startedAt)}` : ""}
          {campaign.finishedAt ? ` · ended ${when(campaign.finishedAt)}` : ""}
        </p>
      </div>

      <IgnoredParamsNotice names={ignored} />
      {checking && progress && <CheckProgress campaignId={campaign.id} initial={progress} />}

      {rejected && (
        <section
          className="flex flex-col gap-2 rounded-lg border border-destructive/50 p-4"
          aria-labelledby="rejected-heading"
          data-testid="campaign-rejected"
        >
          <h2 id="rejected-heading" className="text-sm font-semibold">
            The dry run rejected this file
          </h2>
          <p className="text-sm text-destructive" role="alert">
            {campaign.statusNote}
          </p>
          <p className="text-sm text-muted-foreground">
            Nothing was kept from it and nothing was sent.{" "}
            <Link href="/campaigns/new" className="underline">
              Upload a corrected file
            </Link>
            .
          </p>
        </section>
      )}

      {!checking && !rejected && (
        <section className="flex flex-col gap-3 rounded-lg border p-4" aria-labelledby="dry-run-heading">
          <h2 id="dry-run-heading" className="text-sm font-semibold">
            Dry run
          </h2>
          <dl className="grid grid-cols-2 gap-2 text-sm sm:grid-cols-4">
            <Stat label="Rows" value={campaign.rowCount} />
            <Stat label="Valid rows" value={campaign.validCount} />
            <Stat label="Rows with errors" value={campaign.errorCount} />
            <Stat label="Travelers" value={campaign.travelers} />
            {campaign.promoCodeRows > 0 && <Stat label="Promo codes (no traveler)" value={campaign.promoCodeRows} />}
            <Stat label="Packages" value={campaign.packages} />
            <Stat label="B2B cost" value={money(campaign.costCents)} />
            <Stat label="B2C value" value={money(campaign.priceCents)} />
          </dl>
          {campaign.promoCodeRows > 0 && (
            <p className="text-sm" role="note" data-testid="campaign-promo-codes">
              {campaign.promoCodeRows} row{campaign.promoCodeRows === 1 ? " has" : "s have"} an empty external_user_id:{" "}
              {campaign.promoCodeRows === 1 ? "it issues" : "each issues"} one promo code (a booking without a traveler,
              whose code and claim link you hand out) instead of a package on a traveler&apos;s eSIM. Their cost is in
              the totals.{" "}
              {ran && (
                <Link className="underline" href={promoCodesHref({ campaign: campaign.id })}>
                  See the codes
                </Link>
              )}
            </p>
          )}
          {campaign.perDestination.length > 0 && (
            <DataTable
              label="Per destination"
              columns={perDestinationColumns(money)}
              rows={campaign.perDestination.slice(0, 50)}
              rowKey={(entry) => entry.destination}
              empty=""
            />
          )}
          {draft && (
            <RunButton
              campaignId={campaign.id}
              checksum={campaign.checksum}
              disabled={campaign.validCount === 0}
              rows={campaign.validCount}
              cost={money(campaign.costCents)}
              label={`Run: issue ${campaign.validCount} booking${campaign.validCount === 1 ? "" : "s"} for ${money(campaign.costCents)}`}
            />
          )}
          {draft && campaign.errorCount > 0 && (
            <p className="text-sm text-muted-foreground">
              Rows with errors are not sent. Fix them in a new file and dry-run it as a new campaign.
            </p>
          )}
        </section>
      )}

      {ran && progress && <CampaignProgress key={campaign.status} campaignId={campaign.id} initial={progress} />}
      {ran && progress && progress.review > 0 && <ReviewQueue campaignId={campaign.id} count={progress.review} />}
      {ran && progress && progress.failed > 0 && progress.status !== "running" && (
        <div>
          <RetryFailedButton campaignId={campaign.id} failed={progress.failed} />
        </div>
      )}

      {funnel.length > 0 && (
        <section className="flex flex-col gap-2 rounded-lg border p-4" aria-labelledby="funnel-heading">
          <h2 id="funnel-heading" className="text-sm font-semibold">
            Funnel (from Hubby&apos;s webhooks)
          </h2>
          <ol className="flex flex-wrap gap-4 text-sm" data-testid="campaign-funnel">
            {funnel.map((entry, index) => (
              <li key={entry.step} className="flex flex-col">
                <Link
                  className="underline"
                  href={travelersHref({ campaign: campaign.id, step: entry.step })}
                  data-testid={`funnel-${entry.step}`}
                >
                  <span className="text-lg font-semibold">{entry.travelers}</span> {campaignStepLabels[entry.step]}
                </Link>
                {index > 0 && funnel[index - 1]!.travelers > 0 && (
                  <span className="text-xs text-muted-foreground">
                    {Math.round((entry.travelers / funnel[index - 1]!.travelers) * 100)}% of the step before
                  </span>
                )}
              </li>
            ))}
          </ol>
        </section>
      )}

      {!checking && !rejected && (
        <section className="flex flex-col gap-2" aria-labelledby="rows-heading">
          <div className="flex flex-wrap items-center justify-between gap-2">
            <h2 id="rows-heading" className="text-sm font-semibold">
              Rows
            </h2>
            <div className="flex flex-wrap gap-3 text-sm">
              <a className="underline" href={`/campaigns/${campaign.id}/rows.csv?only=errors`}>
                Download errors (CSV)
              </a>
              <a className="underline" href={`/campaigns/${campaign.id}/rows.csv`}>
                Download results (CSV)
              </a>
            </div>
          </div>
          <nav aria-label="Row filter" className="flex flex-wrap gap-2 text-sm">
            {ROW_FILTERS.map((option) => (
              <Link
                key={option}
                href={`/campaigns/${campaign.id}?rows=${option}`}
                aria-current={option === filter ? "page" : undefined}
                className={option === filter ? "font-semibold underline" : "text-muted-foreground underline"}
              >
                {option}
              </Link>
            ))}
          </nav>
          <DataTable
            label="Campaign rows"
            columns={rowColumns}
            rows={rows.rows}
            rowKey={(row) => String(row.line)}
            empty="No rows here."
          />
          <Pagination page={page} pageSize={CAMPAIGN_PAGE_SIZE} total={rows.total} />
        </section>
      )}
    </div>
  );
}

function Stat({ label, value }: { label: string; value: string | number }) {
  return (
    <div className="flex flex-col">
      <dt className="text-xs text-muted-foreground">{label}</dt>
      <dd className="font-semibold">{value}</dd>
    </div>
  );
}
