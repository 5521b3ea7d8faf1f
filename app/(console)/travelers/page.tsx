import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { Download } from "lucide-react";
import { requirePermission } from "@/lib/auth/staff";
import { may } from "@/lib/auth/roles";
import {
  builtInTravelerViews,
  DEFAULT_TRAVELER_SORT,
  describeFilter,
  esimFilterLabels,
  esimFilters,
  filterKey,
  parseTravelerQuery,
  readTravelerQuery,
  travelersHref,
  usageThresholds,
  viewQuery,
} from "@/lib/travelers/filters";
import { exactTravelerMatch, searchTravelers, TRAVELER_EXPORT_MAX_ROWS } from "@/lib/travelers/queries";
import { listTeamViews } from "@/lib/travelers/views";
import { IgnoredParamsNotice } from "@/components/ignored-params-notice";
import { Pagination } from "@/components/pagination";
import { Button, buttonVariants } from "@/components/ui/button";
import { FilterField } from "@/components/ui/field";
import { Input, Select } from "@/components/ui/input";
import type { RawSearchParams } from "@/lib/url-params";
import { cn } from "@/lib/utils";
import { DeleteViewButton, SaveViewDialog } from "./saved-views";
import { TravelerTable } from "./traveler-table";

export const metadata: Metadata = { title: "Travelers" };

function ViewLink({ href, active, children }: { href: string; active: boolean; children: React.ReactNode }) {
  return (
    <Link
      href={href}
      aria-current={active ? "page" : undefined}
      className={cn(
        "rounded-full border px-3 py-1 text-xs",
        active ? "border-primary bg-primary text-primary-foreground" : "border-border hover:bg-muted",
      )}
    >
      {children}
    </Link>
  );
}

export default async function TravelersPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  const staff = await requirePermission("travelers.search");
  const params = await searchParams;
  const { values: query, ignored } = readTravelerQuery(params);
  const submitted = query.go === "1";
  // Submitting the search with an id that names exactly one traveler opens that traveler.
  if (query.q && submitted) {
    const match = await exactTravelerMatch(query.q);
    if (match) redirect(`/travelers/${encodeURIComponent(match)}`);
  }
  // The filter form sends every field, empty or not: settle on the short canonical URL.
  if (Object.values(params).some((value) => value === "")) {
    const href = travelersHref(query);
    redirect(submitted ? `${href}${href.includes("?") ? "&" : "?"}go=1` : href);
  }

  const [{ rows, total, pageSize }, teamViews] = await Promise.all([searchTravelers(query), listTeamViews()]);
  const currentFilter = filterKey(query);
  const viewHref = (stored: string) => travelersHref({ ...parseTravelerQuery(stored), hide: query.hide });
  const isActive = (stored: string) => filterKey(parseTravelerQuery(stored)) === currentFilter;
  const mayManageViews = may(staff, "travelers.views");
  const exportHref = `/travelers/export.csv${currentFilter ? `?${currentFilter}` : ""}`;

  return (
    <div className="flex flex-col gap-4">
      <div>
        <h1 className="text-xl font-semibold">Travelers</h1>
        <p className="text-sm text-muted-foreground">
          Everyone the console has heard of from Hubby. Search by external_user_id, ICCID, booking id or package id
          (exact or the start of it); an exact id opens the traveler. Times in UTC.
        </p>
      </div>
      <IgnoredParamsNotice names={ignored} />

      <nav aria-label="Views" className="flex flex-wrap items-center gap-2">
        <ViewLink href={travelersHref({ hide: query.hide })} active={currentFilter === ""}>
          All travelers
        </ViewLink>
        {builtInTravelerViews.map((view) => (
          <ViewLink key={view.id} href={viewHref(view.query)} active={isActive(view.query)}>
            {view.name}
          </ViewLink>
        ))}
        {teamViews.map((view) => (
          <span key={view.id} className="inline-flex items-center gap-1" data-testid="team-view">
            <ViewLink href={viewHref(view.query)} active={isActive(view.query)}>
              <span title={view.createdByEmail ? `Saved by ${view.createdByEmail}` : undefined}>{view.name}</span>
            </ViewLink>
            {may(staff, "travelers.views.delete", { ownerId: view.createdById }) && (
              <DeleteViewButton id={view.id} name={view.name} />
            )}
          </span>
        ))}
      </nav>

      <form key={JSON.stringify(query)} className="flex flex-wrap items-end gap-2" role="search" action="/travelers">
        <FilterField id="traveler-q" label="Search travelers">
          <Input
            id="traveler-q"
            name="q"
            defaultValue={query.q}
            className="w-80"
            placeholder="cust_123456, 8931…, booking_…, pkg_…"
            autoFocus
          />
        </FilterField>
        <FilterField id="traveler-esim" label="eSIM">
          <Select id="traveler-esim" name="esim" defaultValue={query.esim ?? ""} className="w-52">
            <option value="">Any</option>
            {esimFilters.map((value) => (
              <option key={value} value={value}>
                {esimFilterLabels[value]}
              </option>
            ))}
          </Select>
        </FilterField>
        <FilterField id="traveler-departing" label="Departing within (hours)">
          <Input
            id="traveler-departing"
            name="departing"
            type="number"
            min={1}
            defaultValue={query.departing ?? ""}
            className="w-40"
          />
        </FilterField>
        <FilterField id="traveler-crossed" label="Crossed usage">
          <Select id="traveler-crossed" name="crossed" defaultValue={query.crossed ?? ""} className="w-28">
            <option value="">Any</option>
            {usageThresholds.map((value) => (
              <option key={value} value={value}>
                {value}%
              </option>
            ))}
          </Select>
        </FilterField>
        <FilterField id="traveler-crossed-days" label="…in the last (days)">
          <Input
            id="traveler-crossed-days"
            name="crossedDays"
            type="number"
            min={1}
            defaultValue={query.crossedDays}
            className="w-32"
          />
        </FilterField>
        <FilterField id="traveler-idle" label="No activity for (days)">
          <Input
            id="traveler-idle"
            name="idle"
            type="number"
            min={1}
            defaultValue={query.idle ?? ""}
            className="w-36"
          />
        </FilterField>
        <input type="hidden" name="go" value="1" />
        {query.sort !== DEFAULT_TRAVELER_SORT && <input type="hidden" name="sort" value={query.sort} />}
        {query.hide.length > 0 && <input type="hidden" name="hide" value={query.hide.join(",")} />}
        <Button type="submit">Search</Button>
        {currentFilter && (
          <Link className={buttonVariants({ variant: "ghost" })} href={travelersHref({ hide: query.hide })}>
            Clear
          </Link>
        )}
      </form>

      {query.q && submitted && total === 0 && (
        <p className="text-sm text-muted-foreground">
          No traveler matches “{query.q}”. Open{" "}
          <a className="underline" href={`/travelers/${encodeURIComponent(query.q)}`}>
            {query.q}
          </a>{" "}
          to ask Hubby directly.
        </p>
      )}

      <TravelerTable rows={rows} sort={query.sort} hidden={query.hide}>
        {total > TRAVELER_EXPORT_MAX_ROWS ? (
          <span className="text-xs text-muted-foreground">
            Export holds at most {TRAVELER_EXPORT_MAX_ROWS.toLocaleString("en-GB")} travelers: narrow the filter.
          </span>
        ) : (
          <a className={buttonVariants({ variant: "outline", size: "sm" })} href={exportHref} download>
            <Download className="h-4 w-4" aria-hidden />
            Export CSV
          </a>
        )}
        {mayManageViews && (
          <SaveViewDialog query={currentFilter ? viewQuery(query) : ""} description={describeFilter(query)} />
        )}
      </TravelerTable>
      <Pagination page={query.page} pageSize={pageSize} total={total} />
    </div>
  );
}
