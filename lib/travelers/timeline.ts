import { z } from "zod";
import { parseSearchParams, urlText, type ParsedSearchParams, type SearchParamsInput } from "../url-params";
import type { Gap } from "./gaps";

/**
 * The traveler page's URL state (`?tab=&kinds=&gaps=`) and the journey timeline's entry shape. Pure, so the
 * server page, the copy-link button and the tests read the same rules.
 */

export const travelerTabs = ["overview", "usage", "timeline"] as const;
export type TravelerTab = (typeof travelerTabs)[number];

export const timelineKinds = ["webhook", "staff", "hubby", "milestone"] as const;
export type TimelineKind = (typeof timelineKinds)[number];

export const timelineKindLabels: Record<TimelineKind, string> = {
  webhook: "Webhooks",
  staff: "Staff actions",
  hubby: "Hubby API calls",
  milestone: "Booking milestones",
};

export type TimelineEntry = {
  at: string;
  kind: TimelineKind | "gap";
  title: string;
  detail: string | null;
  href: string | null;
  tone: "default" | "success" | "warning" | "danger";
  /** Where the entry sits in the timeline's order (the cursor of the page after it); gaps have none. */
  position?: TimelinePosition;
};

/** Entries per page of the timeline. */
export const TIMELINE_PAGE_SIZE = 50;

/**
 * The stored rows a timeline is read from. At equal times they sort by source (this order, first = newest), then
 * by id, descending, so every entry has one place and a page boundary never skips or repeats one.
 */
export const timelineSources = ["webhook", "milestone", "hubby", "audit", "snapshot"] as const;
export type TimelineSource = (typeof timelineSources)[number];

/**
 * One entry's place: its time (ms), source and id within the source (digits for bigint ids, compared as numbers;
 * otherwise compared as text).
 */
export type TimelinePosition = { at: number; source: TimelineSource; id: string };

const numericId = /^\d{1,19}$/;
const compareIds = (a: string, b: string) =>
  numericId.test(a) && numericId.test(b)
    ? a.length - b.length || (a < b ? -1 : a > b ? 1 : 0)
    : a < b
      ? -1
      : a > b
        ? 1
        : 0;

/** Negative when `a` comes first (is newer) in the timeline's order. */
export function comparePositions(a: TimelinePosition, b: TimelinePosition): number {
  return b.at - a.at || timelineSources.indexOf(a.source) - timelineSources.indexOf(b.source) || compareIds(b.id, a.id);
}

/** The cursor as it stands in the URL (`before=<ms>.<source>.<id>`). */
export function positionText(position: TimelinePosition): string {
  return `${position.at}.${position.source}.${position.id}`;
}

const positionPattern = new RegExp(`^(\\d{1,15})\\.(${timelineSources.join("|")})\\.(.{1,300})$`);

export function parsePosition(text: string): TimelinePosition | null {
  const match = positionPattern.exec(text);
  if (!match) return null;
  return { at: Number(match[1]), source: match[2] as TimelineSource, id: match[3]! };
}

/**
 * How a source's rows must compare with the cursor to come after it: strictly older; at the cursor's own time,
 * sources after the cursor's all come after it, its own source only with a smaller id.
 */
export function afterCursor(
  source: TimelineSource,
  cursor: TimelinePosition | null,
):
  | { kind: "all" }
  | { kind: "atOrBefore" | "before"; at: Date }
  | { kind: "beforeOrSameAtSmallerId"; at: Date; id: string } {
  if (!cursor) return { kind: "all" };
  const at = new Date(cursor.at);
  const order = timelineSources.indexOf(source) - timelineSources.indexOf(cursor.source);
  if (order > 0) return { kind: "atOrBefore", at };
  if (order < 0) return { kind: "before", at };
  return { kind: "beforeOrSameAtSmallerId", at, id: cursor.id };
}

/**
 * One page from the sources' rows (each source read `pageSize + 1` rows after the cursor, in order): the first
 * `pageSize` in the merged order, and the cursor of the next page when any entry is left.
 */
export function timelinePage(
  entries: TimelineEntry[],
  pageSize: number,
): { entries: TimelineEntry[]; next: TimelinePosition | null } {
  const sorted = [...entries].sort((a, b) => comparePositions(a.position!, b.position!));
  const page = sorted.slice(0, pageSize);
  return { entries: page, next: sorted.length > pageSize ? page.at(-1)!.position! : null };
}

/**
 * The gaps that belong on a page: those from the next page's cursor (included) up to this page's (excluded);
 * the first page has no upper bound, the last no lower one. Each gap is on exactly one page.
 */
export function gapsOnPage<T extends { at: string }>(
  gaps: T[],
  page: { before: TimelinePosition | null; next: TimelinePosition | null },
): T[] {
  return gaps.filter((gap) => {
    const at = Date.parse(gap.at);
    return (page.before === null || at < page.before.at) && (page.next === null || at >= page.next.at);
  });
}

const one = (value: unknown) => (Array.isArray(value) ? value[0] : value);

export const travelerViewSchema = z.object({
  tab: z.preprocess(one, z.enum(travelerTabs)).catch("overview"),
  /** Comma-separated; unknown names are dropped, and none (or all) means every kind. */
  kinds: z
    .preprocess(
      one,
      z
        .string()
        .max(200)
        .transform((value) => {
          const names = value.split(",").map((name) => name.trim());
          const chosen = timelineKinds.filter((kind) => names.includes(kind));
          return chosen.length === 0 ? [...timelineKinds] : chosen;
        }),
    )
    .catch([...timelineKinds]),
  gaps: z.preprocess(one, z.enum(["1", "0"])).catch("0"),
  /** The timeline page: entries after this position (the first page without it). */
  before: z
    .preprocess(one, z.string().max(400))
    .transform((value) => parsePosition(value) ?? undefined)
    .optional()
    .catch(undefined),
});
export type TravelerView = {
  tab: TravelerTab;
  kinds: TimelineKind[];
  gapsOnly: boolean;
  /** The timeline page's cursor; absent on the newest page. */
  before?: TimelinePosition;
};

/** The traveler page's path: Hubby's external_user_id (1 to 200 characters). */
export const travelerRouteParams = z.object({ externalUserId: urlText(200).min(1) });

/** Reads the traveler page's URL query; `ignored` names what it could not read. */
export function readTravelerView(input: SearchParamsInput): ParsedSearchParams<TravelerView> {
  const { values, ignored } = parseSearchParams(travelerViewSchema, input);
  return {
    values: {
      tab: values.tab,
      kinds: values.kinds,
      gapsOnly: values.gaps === "1",
      ...(values.before && values.tab === "timeline" ? { before: values.before } : {}),
    },
    ignored,
  };
}

/** The traveler page's view from a URL query, without the names of the parameters it could not read. */
export function parseTravelerView(input: SearchParamsInput): TravelerView {
  return readTravelerView(input).values;
}

/** The canonical path for a view: default values are left out, so equal views have equal links. */
export function travelerViewHref(externalUserId: string, view: Partial<TravelerView>): string {
  const params = new URLSearchParams();
  if (view.tab && view.tab !== "overview") params.set("tab", view.tab);
  const kinds = view.kinds ? timelineKinds.filter((kind) => view.kinds!.includes(kind)) : [];
  if (kinds.length > 0 && kinds.length < timelineKinds.length) params.set("kinds", kinds.join(","));
  if (view.gapsOnly) params.set("gaps", "1");
  if (view.before && view.tab === "timeline" && !view.gapsOnly) params.set("before", positionText(view.before));
  const query = params.toString();
  return `/travelers/${encodeURIComponent(externalUserId)}${query ? `?${query.replaceAll("%2C", ",")}` : ""}`;
}

/** Gaps as timeline entries, merged newest first; with `gapsOnly`, the gaps alone. */
export function withGaps(entries: TimelineEntry[], gaps: Gap[], gapsOnly: boolean): TimelineEntry[] {
  const gapEntries: TimelineEntry[] = gaps.map((gap) => ({
    at: gap.at,
    kind: "gap",
    title: gap.resolvedAt ? "Gap (resolved later)" : "Gap",
    detail: gap.message,
    // The inbox filtered to the package or booking shows which events did (and did not) arrive.
    href: gap.packageId
      ? `/webhooks?package=${encodeURIComponent(gap.packageId)}`
      : gap.bookingId
        ? `/webhooks?booking=${encodeURIComponent(gap.bookingId)}`
        : null,
    tone: gap.resolvedAt ? "default" : "warning",
  }));
  const merged = gapsOnly ? gapEntries : [...entries, ...gapEntries];
  return merged.sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
}
