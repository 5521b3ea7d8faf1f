import { z } from "zod";
import { pageParam } from "../list-query";
import { parseSearchParams, type ParsedSearchParams, type SearchParamsInput } from "../url-params";
import { hideableColumns } from "./columns";

/**
 * The travelers list's URL state: search, filters, sort, page and hidden columns. Pure, so the page, the CSV export,
 * the saved-view action and the client components all read the URL the same way.
 */

export const esimFilters = ["installed", "removed", "not_installed"] as const;
export type EsimFilter = (typeof esimFilters)[number];
export const esimFilterLabels: Record<EsimFilter, string> = {
  installed: "Installed",
  removed: "Removed",
  not_installed: "Not installed (or unknown)",
};

export const usageThresholds = [20, 50, 80] as const;

/** A campaign's funnel (lib/campaigns/funnel.ts): issued → installed the eSIM → activated a package → crossed 80%. */
export const campaignSteps = ["issued", "installed", "activated", "crossed80"] as const;
export type CampaignStep = (typeof campaignSteps)[number];
export const campaignStepLabels: Record<CampaignStep, string> = {
  issued: "issued",
  installed: "installed the eSIM",
  activated: "activated a package",
  crossed80: "crossed 80%",
};

export const travelerSorts = [
  "-lastEvent",
  "lastEvent",
  "externalUserId",
  "-externalUserId",
  "-usage",
  "usage",
  "departure",
  "-departure",
] as const;
export type TravelerSort = (typeof travelerSorts)[number];
export const DEFAULT_TRAVELER_SORT: TravelerSort = "-lastEvent";

export { columnLabels, hideableColumns, type HideableColumn } from "./columns";

const optionalWhole = (max: number) => z.coerce.number().int().min(1).max(max).optional().catch(undefined);

export const travelerFilterSchema = z.object({
  q: z.string().trim().max(200).catch(""),
  esim: z.enum(esimFilters).optional().catch(undefined),
  /** Departing within this many hours. */
  departing: optionalWhole(24 * 366),
  /** Crossed this usage threshold (a UsageSample at exactly this percent)… */
  crossed: z.coerce.number().pipe(z.literal(usageThresholds)).optional().catch(undefined),
  /** …within this many days. */
  crossedDays: z.coerce.number().int().min(1).max(366).catch(7),
  /** No event for this many days (or never). */
  idle: optionalWhole(3660),
  /** The travelers behind one step of a campaign's funnel. */
  campaign: z.uuid().optional().catch(undefined),
  step: z.enum(campaignSteps).catch("issued"),
});
export type TravelerFilter = z.infer<typeof travelerFilterSchema>;

// "hide" is a comma-separated list; unknown names are dropped rather than refused.
const hideSchema = z
  .string()
  .catch("")
  .transform((value) =>
    hideableColumns.filter((column) =>
      value
        .split(",")
        .map((part) => part.trim())
        .includes(column),
    ),
  );

export const travelerQuerySchema = travelerFilterSchema.extend({
  sort: z
    .preprocess(
      // The list used to sort by lastSeenAt; old links keep working.
      (value) => (value === "-lastSeenAt" ? "-lastEvent" : value === "lastSeenAt" ? "lastEvent" : value),
      z.enum(travelerSorts),
    )
    .catch(DEFAULT_TRAVELER_SORT),
  page: pageParam(),
  hide: z.preprocess((value) => (Array.isArray(value) ? value.join(",") : (value ?? "")), hideSchema),
  /** Sent by the search form: an id that names exactly one traveler then opens that traveler. */
  go: z.literal("1").optional().catch(undefined),
});
export type TravelerQuery = z.infer<typeof travelerQuerySchema>;

/** Reads a URL query (Next's searchParams, URLSearchParams or a query string) into the list's state. */
export function readTravelerQuery(input: SearchParamsInput): ParsedSearchParams<TravelerQuery> {
  // hide may legitimately repeat (?hide=a&hide=b).
  return parseSearchParams(travelerQuerySchema, input, { repeatable: ["hide"] });
}

/** The list's state from a URL query, without the names of the parameters it could not read. */
export function parseTravelerQuery(input: SearchParamsInput): TravelerQuery {
  return readTravelerQuery(input).values;
}

/** The filter part of the state (search and filters) as canonical URL parameters, in a fixed order. */
export function filterParams(filter: TravelerFilter): URLSearchParams {
  const params = new URLSearchParams();
  if (filter.q) params.set("q", filter.q);
  if (filter.esim) params.set("esim", filter.esim);
  if (filter.departing) params.set("departing", String(filter.departing));
  if (filter.crossed) {
    params.set("crossed", String(filter.crossed));
    params.set("crossedDays", String(filter.crossedDays));
  }
  if (filter.idle) params.set("idle", String(filter.idle));
  if (filter.campaign) {
    params.set("campaign", filter.campaign);
    params.set("step", filter.step);
  }
  return params;
}

/** The canonical filter string; two URLs show the same travelers when these are equal. */
export function filterKey(filter: TravelerFilter): string {
  return filterParams(filter).toString();
}

/** What a saved view stores: the filter, plus the sort when it is not the default. */
export function viewQuery(query: Pick<TravelerQuery, keyof TravelerFilter | "sort">): string {
  const params = filterParams(query);
  if (query.sort !== DEFAULT_TRAVELER_SORT) params.set("sort", query.sort);
  return params.toString();
}

/** The list URL for a state; page 1 and the default sort are left out. */
export function travelersHref(query: Partial<TravelerQuery>): string {
  const params = filterParams(travelerFilterSchema.parse(query));
  if (query.sort && query.sort !== DEFAULT_TRAVELER_SORT) params.set("sort", query.sort);
  if (query.page && query.page > 1) params.set("page", String(query.page));
  if (query.hide?.length) params.set("hide", query.hide.join(","));
  const search = params.toString();
  return search ? `/travelers?${search}` : "/travelers";
}

export type BuiltInView = { id: string; name: string; query: string };

/** The views every team gets, defined here rather than stored, so they cannot be deleted or drift. */
export const builtInTravelerViews: readonly BuiltInView[] = [
  {
    id: "departing-not-installed",
    name: "Departing within 48 h, eSIM not installed",
    query: "esim=not_installed&departing=48&sort=departure",
  },
  { id: "crossed-80", name: "Crossed 80% in the last 7 days", query: "crossed=80&crossedDays=7&sort=-usage" },
  { id: "esim-removed", name: "eSIM removed", query: "esim=removed" },
  { id: "idle-30", name: "No activity for 30 days", query: "idle=30&sort=lastEvent" },
];

/** A short description of a filter, for the audit log and the save dialog. */
export function describeFilter(filter: TravelerFilter): string {
  const parts: string[] = [];
  if (filter.q) parts.push(`search “${filter.q}”`);
  if (filter.esim) parts.push(`eSIM ${esimFilterLabels[filter.esim].toLowerCase()}`);
  if (filter.departing) parts.push(`departing within ${filter.departing} h`);
  if (filter.crossed) parts.push(`crossed ${filter.crossed}% in the last ${filter.crossedDays} days`);
  if (filter.idle) parts.push(`no activity for ${filter.idle} days`);
  if (filter.campaign) parts.push(`campaign ${filter.campaign.slice(0, 8)}: ${campaignStepLabels[filter.step]}`);
  return parts.join(", ");
}
