import type { Metadata } from "next";
import { IntentLink } from "@/components/list/intent-link";
import { redirect } from "next/navigation";
import { requirePermission, type CurrentStaff } from "@/lib/auth/staff";
import { may } from "@/lib/auth/roles";
import {
  builtInTravelerViews,
  DEFAULT_TRAVELER_SORT,
  describeFilter,
  esimFilterLabels,
  filterKey,
  parseTravelerQuery,
  readTravelerQuery,
  travelersHref,
  usageThresholds,
  viewQuery,
  type TravelerQuery,
} from "@/lib/travelers/filters";
import {
  exactTravelerMatch,
  listTravelers,
  TRAVELER_EXPORT_MAX_ROWS,
  TRAVELER_LIST_PAGES,
  TRAVELER_LIST_WINDOW,
} from "@/lib/travelers/queries";
import { listTeamViews } from "@/lib/travelers/views";
import { RETENTION_DAY_CHOICES, retentionDays } from "@/lib/privacy/retention";
import { IgnoredParamsNotice } from "@/components/ignored-params-notice";
import { ExportLink } from "@/components/list/export-link";
import { FilterBar, NumberFilter, SelectFilter, TextFilter } from "@/components/list/filter-bar";
import { StreamedScreen } from "@/components/list/streamed-screen";
import type { RawSearchParams } from "@/lib/url-params";
import { cn } from "@/lib/utils";
import { RetentionControl } from "./retention-control";
import { DeleteViewButton, SaveViewDialog } from "./saved-views";
import { TravelerPagination } from "./traveler-pagination";
import { TravelerTable } from "./traveler-table";

export const metadata: Metadata = { title: "Travelers" };

function ViewLink({ href, active, children }: { href: string; active: boolean; children: React.ReactNode }) {
  return (
    <IntentLink
      href={href}
      aria-current={active ? "page" : undefined}
      className={cn(
        "rounded-full border px-3 py-1 text-xs",
        active ? "border-primary bg-primary text-primary-foreground" : "border-border hover:bg-muted",
      )}
    >
      {children}
    </IntentLink>
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
  // The list pages within its first TRAVELER_LIST_WINDOW matches (decision 0067): a deeper page shows its last one.
  if (query.page > TRAVELER_LIST_PAGES) redirect(travelersHref({ ...query, page: TRAVELER_LIST_PAGES }));

  return (
    <StreamedScreen
      title="Travelers"
      description="Everyone the console has heard of from Hubby. Search by external_user_id, ICCID, booking id or package id (exact or the start of it); an exact id opens the traveler. Times in UTC."
    >
      <TravelerList staff={staff} query={query} ignored={ignored} submitted={submitted} />
    </StreamedScreen>
  );
}

async function TravelerList({
  staff,
  query,
  ignored,
  submitted,
}: {
  staff: CurrentStaff;
  query: TravelerQuery;
  ignored: string[];
  submitted: boolean;
}) {
  const [{ rows, total, totalIsMore, pageSize }, teamViews] = await Promise.all([
    listTravelers(query),
    listTeamViews(),
  ]);
  const currentFilter = filterKey(query);
  const viewHref = (stored: string) => travelersHref({ ...parseTravelerQuery(stored), hide: query.hide });
  const isActive = (stored: string) => filterKey(parseTravelerQuery(stored)) === currentFilter;
  const mayManageViews = may(staff, "travelers.views");
  const exportHref = `/travelers/export.csv${currentFilter ? `?${currentFilter}` : ""}`;

  return (
    <>
      <IgnoredParamsNotice names={ignored} />
      {may(staff, "privacy.manage") && (
        <RetentionControl days={await retentionDays()} choices={RETENTION_DAY_CHOICES} />
      )}

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

      <FilterBar
        action="/travelers"
        state={query}
        filtered={currentFilter !== ""}
        clearHref={travelersHref({ hide: query.hide })}
        submitLabel="Search"
      >
        <TextFilter
          name="q"
          label="Search travelers"
          value={query.q}
          className="w-80"
          placeholder="cust_123456, 8931…, booking_…, pkg_…"
          autoFocus
        />
        <SelectFilter name="esim" label="eSIM" value={query.esim} any="Any" options={esimFilterLabels} />
        <NumberFilter name="departing" label="Departing within (hours)" value={query.departing} className="w-40" />
        <SelectFilter
          name="crossed"
          label="Crossed usage"
          value={query.crossed === undefined ? "" : String(query.crossed)}
          any="Any"
          options={usageThresholds.map((value) => [String(value), `${value}%`] as const)}
        />
        <NumberFilter name="crossedDays" label="…in the last (days)" value={query.crossedDays} className="w-32" />
        <NumberFilter name="idle" label="No activity for (days)" value={query.idle} className="w-36" />
        <input type="hidden" name="go" value="1" />
        {query.sort !== DEFAULT_TRAVELER_SORT && <input type="hidden" name="sort" value={query.sort} />}
        {query.hide.length > 0 && <input type="hidden" name="hide" value={query.hide.join(",")} />}
      </FilterBar>

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
        {/* Past the list's window the count is not known here: the export counts exactly and refuses, with a message,
            a filter over its maximum. */}
        <ExportLink href={exportHref} total={total} max={TRAVELER_EXPORT_MAX_ROWS} what="travelers" />
        {mayManageViews && (
          <SaveViewDialog query={currentFilter ? viewQuery(query) : ""} description={describeFilter(query)} />
        )}
      </TravelerTable>
      <TravelerPagination
        page={query.page}
        pageSize={pageSize}
        total={total}
        totalIsMore={totalIsMore}
        window={TRAVELER_LIST_WINDOW}
      />
    </>
  );
}
