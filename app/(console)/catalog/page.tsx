import type { Metadata } from "next";
import Link from "next/link";

import { requirePermission } from "@/lib/auth/staff";
import { formatMoney } from "@/lib/bookings/quote";
import { catalogRefreshStatus } from "@/lib/catalog/background";
import { catalogAsOf, catalogQuerySchema, searchCatalog, type CatalogRow } from "@/lib/catalog/catalog";
import { Button, buttonVariants } from "@/components/ui/button";
import { FilterField } from "@/components/ui/field";
import { Input, Select } from "@/components/ui/input";
import { RefreshCatalogButton } from "./refresh-button";
import { RefreshWhileReading } from "./refresh-while-reading";
import { parseSearchParams, type RawSearchParams } from "@/lib/url-params";
import { IgnoredParamsNotice } from "@/components/ignored-params-notice";

export const metadata: Metadata = { title: "Catalog" };

function money(cents: number | null, currency: string | null) {
  return cents === null ? "—" : formatMoney(cents, currency ?? "EUR");
}

function margin(bundle: CatalogRow["bundles"][number]) {
  if (bundle.b2bCents === null || bundle.b2cCents === null || bundle.b2cCents === 0) return "—";
  const cents = bundle.b2cCents - bundle.b2bCents;
  return `${money(cents, bundle.currency)} (${Math.round((cents / bundle.b2cCents) * 100)}%)`;
}

function Destination({ row }: { row: CatalogRow }) {
  return (
    <details className="rounded-lg border" data-testid={`destination-${row.id}`}>
      <summary className="flex cursor-pointer flex-wrap items-center gap-2 p-3">
        <span className="text-lg" aria-hidden>
          {row.flag}
        </span>
        <span className="font-medium">{row.name}</span>
        <span className="font-mono text-xs text-muted-foreground">{row.id}</span>
        <span className="text-xs text-muted-foreground">
          {row.kind === "region" ? `region · ${row.countries.length} countries` : "country"} · {row.bundles.length}{" "}
          bundles
        </span>
      </summary>
      <div className="flex flex-col gap-3 border-t p-3">
        {row.kind === "region" && (
          <p className="text-sm">
            <span className="text-muted-foreground">Covers: </span>
            {row.countries.map((country) => `${country.flag} ${country.name}`).join(", ")}
          </p>
        )}
        <table className="w-full text-sm">
          <thead>
            <tr className="text-left text-muted-foreground">
              <th className="py-1">Type</th>
              <th>Size</th>
              <th>Duration</th>
              <th className="text-right">B2B</th>
              <th className="text-right">B2C</th>
              <th className="text-right">Margin</th>
              <th className="pl-4">Bundle</th>
            </tr>
          </thead>
          <tbody>
            {row.bundles.map((bundle) => (
              <tr key={bundle.id} className="border-t">
                <td className="py-1">
                  {bundle.type}
                  {!bundle.visible && <span className="text-xs text-muted-foreground"> (hidden)</span>}
                </td>
                <td>{bundle.label}</td>
                <td>{bundle.durationDays ? `${bundle.durationDays} days` : "—"}</td>
                <td className="text-right">{money(bundle.b2bCents, bundle.currency)}</td>
                <td className="text-right">{money(bundle.b2cCents, bundle.currency)}</td>
                <td className="text-right">{margin(bundle)}</td>
                <td className="pl-4 font-mono text-xs text-muted-foreground">{bundle.id}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

export default async function CatalogPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  await requirePermission("catalog.view");
  const { values: query, ignored } = parseSearchParams(catalogQuerySchema, await searchParams);
  const [rows, asOf] = await Promise.all([searchCatalog(query), catalogAsOf()]);
  const reading = catalogRefreshStatus();
  const countries = rows.filter((row) => row.kind === "country");
  const regions = rows.filter((row) => row.kind === "region");

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div>
          <h1 className="text-xl font-semibold">Catalog</h1>
          <p className="text-sm text-muted-foreground" data-testid="catalog-as-of">
            Hubby&apos;s destinations and bundles with B2B cost and recommended B2C price, as of{" "}
            {asOf
              ? `${asOf.toISOString().slice(0, 19).replace("T", " ")} UTC`
              : reading.running
                ? "now: it is being read from Hubby"
                : "never (refresh to load it)"}
            .
          </p>
          {reading.running && <RefreshWhileReading />}
          {!reading.running && reading.lastFailure && (
            <p className="text-sm text-destructive" role="alert" data-testid="catalog-refresh-failure">
              The background refresh could not read Hubby&apos;s catalog: {reading.lastFailure.message}
            </p>
          )}
        </div>
        <RefreshCatalogButton />
      </div>

      <IgnoredParamsNotice names={ignored} />

      <form key={JSON.stringify(query)} className="flex flex-wrap items-end gap-2" role="search" action="/catalog">
        <FilterField id="cat-q" label="Search (name, code, or a country a region covers)">
          <Input id="cat-q" name="q" defaultValue={query.q} className="w-72" />
        </FilterField>
        <FilterField id="cat-kind" label="Kind">
          <Select id="cat-kind" name="kind" defaultValue={query.kind} className="w-36">
            <option value="all">All</option>
            <option value="country">Countries</option>
            <option value="region">Regions</option>
          </Select>
        </FilterField>
        <Button type="submit" size="sm">
          Search
        </Button>
        {(query.q || query.kind !== "all") && (
          <Link href="/catalog" className={buttonVariants({ variant: "ghost", size: "sm" })}>
            Clear
          </Link>
        )}
      </form>

      {rows.length === 0 && <p className="text-sm text-muted-foreground">No destination matches.</p>}
      {regions.length > 0 && (
        <section className="flex flex-col gap-2" aria-labelledby="regions-heading">
          <h2 id="regions-heading" className="text-sm font-semibold">
            Regions ({regions.length})
          </h2>
          {regions.map((row) => (
            <Destination key={row.id} row={row} />
          ))}
        </section>
      )}
      {countries.length > 0 && (
        <section className="flex flex-col gap-2" aria-labelledby="countries-heading">
          <h2 id="countries-heading" className="text-sm font-semibold">
            Countries ({countries.length})
          </h2>
          {countries.map((row) => (
            <Destination key={row.id} row={row} />
          ))}
        </section>
      )}
    </div>
  );
}
