import type { Metadata } from "next";
import Link from "next/link";
import { audit } from "@/lib/audit/audit";
import { may } from "@/lib/auth/roles";
import { requirePermission } from "@/lib/auth/staff";
import {
  promoCodeFilterKey,
  promoCodesHref,
  promoSourceLabels,
  promoStatusLabels,
  readPromoCodeQuery,
} from "@/lib/promo-codes/filters";
import {
  campaignsWithPromoCodes,
  listPromoCodes,
  PROMO_CODE_EXPORT_MAX_ROWS,
  promoCodeCounts,
  type PromoCodeCounts,
} from "@/lib/promo-codes/queries";
import { storeMissingPromoCodes } from "@/lib/promo-codes/store";
import { getRequestId } from "@/lib/request-id";
import type { RawSearchParams } from "@/lib/url-params";
import { DataTable, type Column } from "@/components/data-table";
import { IgnoredParamsNotice } from "@/components/ignored-params-notice";
import { ExportLink } from "@/components/list/export-link";
import { DateRangeFilter, FilterBar, SelectFilter, TextFilter } from "@/components/list/filter-bar";
import { ListHeader } from "@/components/list/list-header";
import { Pagination } from "@/components/pagination";
import { buttonVariants } from "@/components/ui/button";
import { PromoCodeTable } from "./promo-code-table";

export const metadata: Metadata = { title: "Promo codes" };

const rate = (redeemed: number, issued: number) => (issued > 0 ? `${Math.round((redeemed / issued) * 100)}%` : "—");

const dateFieldOptions = { issued: "Issue", redeemed: "Redemption" };

const byCampaignColumns: Column<PromoCodeCounts["byCampaign"][number]>[] = [
  {
    id: "campaign",
    header: "Issued by",
    cell: (entry) => (
      <Link className="underline" href={promoCodesHref({ campaign: entry.campaignId ?? "none" })}>
        {entry.campaignId ? `Campaign ${entry.name ?? entry.campaignId.slice(0, 8)}` : "Single bookings"}
      </Link>
    ),
  },
  { id: "issued", header: "Issued", cell: (entry) => entry.issued },
  { id: "redeemed", header: "Redeemed", cell: (entry) => entry.redeemed },
  { id: "rate", header: "Rate", cell: (entry) => rate(entry.redeemed, entry.issued) },
];

export default async function PromoCodesPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  const staff = await requirePermission("promoCodes.view");
  const { values: query, ignored } = readPromoCodeQuery(await searchParams);
  // Codes of bookings settled just before a stop are stored from their replies now (lib/promo-codes/store.ts).
  await storeMissingPromoCodes();
  const [{ rows, total, pageSize }, counts, campaigns] = await Promise.all([
    listPromoCodes(query),
    promoCodeCounts(),
    campaignsWithPromoCodes(),
  ]);
  const filterKey = promoCodeFilterKey(query);
  // Codes are vouchers anyone can redeem: who looked at which ones is recorded.
  await audit({
    actor: staff,
    action: "promo_codes.view",
    targetType: query.intent ? "booking_intent" : query.campaign && query.campaign !== "none" ? "campaign" : undefined,
    targetId: query.intent ?? (query.campaign !== "none" ? query.campaign : undefined),
    result: "ok",
    details: { filter: filterKey, page: query.page, rows: rows.length, total },
    requestId: await getRequestId(),
  });
  const mayExport = may(staff, "promoCodes.export");
  const exportHref = `/promo-codes/export.csv${filterKey ? `?${filterKey}` : ""}`;

  return (
    <div className="flex flex-col gap-4">
      <ListHeader
        title="Promo codes"
        actions={
          may(staff, "promoCodes.issue") && (
            <Link href="/bookings/new?mode=promo" className={buttonVariants({ size: "sm" })}>
              Issue promo codes
            </Link>
          )
        }
      >
        Codes issued by bookings without a traveler (one by one or from a campaign file), with their claim and deep
        links, and Hubby&apos;s redemptions (<code>promo_code.redeemed</code>). A redeemed code the console did not
        issue is listed as issued outside the console. Times in UTC.
      </ListHeader>

      <IgnoredParamsNotice names={ignored} />

      <section className="flex flex-col gap-3 rounded-lg border p-4" aria-labelledby="counts-heading">
        <h2 id="counts-heading" className="text-sm font-semibold">
          Issued and redeemed
        </h2>
        <dl className="grid grid-cols-2 gap-2 text-sm sm:grid-cols-4" data-testid="promo-counts">
          <Stat label="Issued by the console" value={counts.issued} testId="count-issued" />
          <Stat label="Of them redeemed" value={counts.redeemed} testId="count-redeemed" />
          <Stat label="Redemption rate" value={rate(counts.redeemed, counts.issued)} />
          <Stat label="Redeemed, issued outside the console" value={counts.outside} testId="count-outside" />
        </dl>
        {counts.byCampaign.length > 0 && (
          <DataTable
            label="By campaign"
            columns={byCampaignColumns}
            rows={counts.byCampaign}
            rowKey={(entry) => entry.campaignId ?? "single"}
            testIdPrefix="by-campaign-"
            empty=""
          />
        )}
      </section>

      <FilterBar action="/promo-codes" state={query} filtered={filterKey !== ""}>
        <TextFilter name="q" label="Code starts with" value={query.q} className="w-44 font-mono" placeholder="D9DZ4…" />
        <SelectFilter name="status" label="Status" value={query.status} options={promoStatusLabels} />
        <SelectFilter name="source" label="Origin" value={query.source} options={promoSourceLabels} />
        <SelectFilter
          name="campaign"
          label="Campaign"
          value={query.campaign}
          any="Any"
          options={[["none", "Single bookings"], ...campaigns.map((campaign) => [campaign.id, campaign.name] as const)]}
        />
        <SelectFilter name="dates" label="Dates of" value={query.dates} options={dateFieldOptions} />
        <DateRangeFilter from={query.from} to={query.to} />
        {query.intent && <input type="hidden" name="intent" value={query.intent} />}
      </FilterBar>

      {query.intent && (
        <p className="text-sm">
          The codes of{" "}
          <Link className="underline" href={`/bookings/${query.intent}`}>
            one booking
          </Link>
          .
        </p>
      )}

      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className="text-sm text-muted-foreground" data-testid="promo-total">
          {total} code{total === 1 ? "" : "s"} match.
        </p>
        {mayExport && <ExportLink href={exportHref} total={total} max={PROMO_CODE_EXPORT_MAX_ROWS} what="codes" />}
      </div>
      <PromoCodeTable rows={rows} />
      <Pagination page={query.page} pageSize={pageSize} total={total} />
    </div>
  );
}

function Stat({ label, value, testId }: { label: string; value: string | number; testId?: string }) {
  return (
    <div className="flex flex-col">
      <dt className="text-xs text-muted-foreground">{label}</dt>
      <dd className="font-semibold" data-testid={testId}>
        {value}
      </dd>
    </div>
  );
}
