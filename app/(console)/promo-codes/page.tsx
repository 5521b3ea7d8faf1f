import type { Metadata } from "next";
import Link from "next/link";
import { Download } from "lucide-react";
import { audit } from "@/lib/audit/audit";
import { may } from "@/lib/auth/roles";
import { requirePermission } from "@/lib/auth/staff";
import {
  PROMO_SOURCES,
  PROMO_STATUSES,
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
} from "@/lib/promo-codes/queries";
import { storeMissingPromoCodes } from "@/lib/promo-codes/store";
import { getRequestId } from "@/lib/request-id";
import type { RawSearchParams } from "@/lib/url-params";
import { IgnoredParamsNotice } from "@/components/ignored-params-notice";
import { Pagination } from "@/components/pagination";
import { Button, buttonVariants } from "@/components/ui/button";
import { FilterField } from "@/components/ui/field";
import { Input, Select } from "@/components/ui/input";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { PromoCodeTable } from "./promo-code-table";

export const metadata: Metadata = { title: "Promo codes" };

const rate = (redeemed: number, issued: number) => (issued > 0 ? `${Math.round((redeemed / issued) * 100)}%` : "—");

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
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div>
          <h1 className="text-xl font-semibold">Promo codes</h1>
          <p className="text-sm text-muted-foreground">
            Codes issued by bookings without a traveler (one by one or from a campaign file), with their claim and deep
            links, and Hubby&apos;s redemptions (<code>promo_code.redeemed</code>). A redeemed code the console did not
            issue is listed as issued outside the console. Times in UTC.
          </p>
        </div>
        {may(staff, "promoCodes.issue") && (
          <Link href="/bookings/new?mode=promo" className={buttonVariants({ size: "sm" })}>
            Issue promo codes
          </Link>
        )}
      </div>

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
          <Table aria-label="By campaign">
            <TableHeader>
              <TableRow>
                <TableHead>Issued by</TableHead>
                <TableHead>Issued</TableHead>
                <TableHead>Redeemed</TableHead>
                <TableHead>Rate</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {counts.byCampaign.map((entry) => (
                <TableRow
                  key={entry.campaignId ?? "single"}
                  data-testid={`by-campaign-${entry.campaignId ?? "single"}`}
                >
                  <TableCell>
                    <Link className="underline" href={promoCodesHref({ campaign: entry.campaignId ?? "none" })}>
                      {entry.campaignId ? `Campaign ${entry.name ?? entry.campaignId.slice(0, 8)}` : "Single bookings"}
                    </Link>
                  </TableCell>
                  <TableCell>{entry.issued}</TableCell>
                  <TableCell>{entry.redeemed}</TableCell>
                  <TableCell>{rate(entry.redeemed, entry.issued)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </section>

      <form key={JSON.stringify(query)} className="flex flex-wrap items-end gap-2" role="search" action="/promo-codes">
        <FilterField id="pc-q" label="Code starts with">
          <Input id="pc-q" name="q" defaultValue={query.q} className="w-44 font-mono" placeholder="D9DZ4…" />
        </FilterField>
        <FilterField id="pc-status" label="Status">
          <Select id="pc-status" name="status" defaultValue={query.status} className="w-48">
            {PROMO_STATUSES.map((status) => (
              <option key={status} value={status}>
                {promoStatusLabels[status]}
              </option>
            ))}
          </Select>
        </FilterField>
        <FilterField id="pc-source" label="Origin">
          <Select id="pc-source" name="source" defaultValue={query.source} className="w-56">
            {PROMO_SOURCES.map((source) => (
              <option key={source} value={source}>
                {promoSourceLabels[source]}
              </option>
            ))}
          </Select>
        </FilterField>
        <FilterField id="pc-campaign" label="Campaign">
          <Select id="pc-campaign" name="campaign" defaultValue={query.campaign ?? ""} className="w-56">
            <option value="">Any</option>
            <option value="none">Single bookings</option>
            {campaigns.map((campaign) => (
              <option key={campaign.id} value={campaign.id}>
                {campaign.name}
              </option>
            ))}
          </Select>
        </FilterField>
        <FilterField id="pc-dates" label="Dates of">
          <Select id="pc-dates" name="dates" defaultValue={query.dates} className="w-32">
            <option value="issued">Issue</option>
            <option value="redeemed">Redemption</option>
          </Select>
        </FilterField>
        <FilterField id="pc-from" label="From">
          <Input id="pc-from" name="from" type="date" defaultValue={query.from} />
        </FilterField>
        <FilterField id="pc-to" label="To">
          <Input id="pc-to" name="to" type="date" defaultValue={query.to} />
        </FilterField>
        {query.intent && <input type="hidden" name="intent" value={query.intent} />}
        <Button type="submit" size="sm">
          Filter
        </Button>
        {filterKey && (
          <Link href="/promo-codes" className={buttonVariants({ variant: "ghost", size: "sm" })}>
            Clear
          </Link>
        )}
      </form>

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
        {mayExport &&
          (total > PROMO_CODE_EXPORT_MAX_ROWS ? (
            <span className="text-xs text-muted-foreground">
              Export holds at most {PROMO_CODE_EXPORT_MAX_ROWS.toLocaleString("en-GB")} codes: narrow the filter.
            </span>
          ) : (
            <a className={buttonVariants({ variant: "outline", size: "sm" })} href={exportHref} download>
              <Download className="h-4 w-4" aria-hidden />
              Export CSV
            </a>
          ))}
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
