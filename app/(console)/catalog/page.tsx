import type { Metadata } from "next";
import { requirePermission } from "@/lib/auth/staff";
import { formatMoney } from "@/lib/bookings/quote";
import { catalogRefreshStatus } from "@/lib/catalog/background";
import { catalogAsOf, catalogQuerySchema, searchCatalog, type CatalogRow } from "@/lib/catalog/catalog";
import { DataTable, type Column } from "@/components/data-table";
import { FilterBar, SelectFilter, TextFilter } from "@/components/list/filter-bar";
import { utcStamp } from "@/lib/format";
import { RefreshCatalogButton } from "./refresh-button";
import { RefreshWhileReading } from "./refresh-while-reading";
import { isFiltered, parseSearchParams, type RawSearchParams } from "@/lib/url-params";
import { IgnoredParamsNotice } from "@/components/ignored-params-notice";

export const metadata: Metadata = { title: "Catalog" };

function money(cents: number | null, currency: string | null) {
  return cents === null ? "—" : formatMoney(cents, currency ?? "EUR");
}

function margin(bundle: CatalogRow["bundles"][number]): string {
  if (bundle.b2bCents === null || bundle.b2cCents === null || bundle.b2cCents === 0) return "—";
  const cents = bundle.b2cCents - bundle.b2bCents;
  return `${money(cents, bundle.currency)} (${Math.round((cents / bundle.b2cCents) * 100)}%)`;
}

type Bundle = CatalogRow["bundles"][number];

const bundleColumns: Column<Bundle>[] = [
  {
    id: "type",
    header: "Type",
    cell: (bundle) => (
      <>
        {bundle.type}
        {!bundle.visible && <span className="text-xs text-muted-foreground"> (hidden)</span>}
      </>
    ),
  },
  { id: "size", header: "Size", cell: (bundle) => bundle.label },
  { id: "duration", header: "Duration", cell: (bundle) => (bundle.durationDays ? `${bundle.durationDays} days` : "—") },
  {
    id: "b2b",
    header: "B2B",
    headClassName: "text-right",
    className: "text-right",
    cell: (bundle) => money(bundle.b2bCents, bundle.currency),
  },
  {
    id: "b2c",
    header: "B2C",
    headClassName: "text-right",
    className: "text-right",
    cell: (bundle) => money(bundle.b2cCents, bundle.currency),
  },
  { id: "margin", header: "Margin", headClassName: "text-right", className: "text-right", cell: margin },
  {
    id: "bundle",
    header: "Bundle",
    className: "font-mono text-xs text-muted-foreground",
    cell: (bundle) => bundle.id,
  },
];

const kindOptions = { all: "All", country: "Countries", region: "Regions" };

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
        <DataTable label={`Bundles of ${row.name}`} columns={bundleColumns} rows={row.bundles} empty="No bundles." />
      </div>
    </details>
  );
}

export default async function CatalogPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  await requirePermission("catalog.view");
  const { values: query, ignored } = parseSearchParams(catalogQuerySchema, await searchParams);
  const [rows, asOf] = await Promise.all([searchCatalog(query), catalogAsOf()]);
  const reading = await catalogRefreshStatus();
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
              ? utcStamp(asOf, { precision: "second" })
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

      <FilterBar action="/catalog" state={query} filtered={isFiltered(catalogQuerySchema, query)} submitLabel="Search">
        <TextFilter
          name="q"
          label="Search (name, code, or a country a region covers)"
          value={query.q}
          className="w-72"
        />
        <SelectFilter name="kind" label="Kind" value={query.kind} options={kindOptions} />
      </FilterBar>

      {rows.length === 0 && <p className="text-sm text-muted-foreground">No destination matches.</p>}
      {(
        [
          ["regions", "Regions", regions],
          ["countries", "Countries", countries],
        ] as const
      ).map(
        ([id, heading, group]) =>
          group.length > 0 && (
            <section key={id} className="flex flex-col gap-2" aria-labelledby={`${id}-heading`}>
              <h2 id={`${id}-heading`} className="text-sm font-semibold">
                {heading} ({group.length})
              </h2>
              {group.map((row) => (
                <Destination key={row.id} row={row} />
              ))}
            </section>
          ),
      )}
    </div>
  );
}
