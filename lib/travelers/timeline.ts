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
};

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
});
export type TravelerView = { tab: TravelerTab; kinds: TimelineKind[]; gapsOnly: boolean };

/** The traveler page's path: Hubby's external_user_id (1 to 200 characters). */
export const travelerRouteParams = z.object({ externalUserId: urlText(200).min(1) });

/** Reads the traveler page's URL query; `ignored` names what it could not read. */
export function readTravelerView(input: SearchParamsInput): ParsedSearchParams<TravelerView> {
  const { values, ignored } = parseSearchParams(travelerViewSchema, input);
  return { values: { tab: values.tab, kinds: values.kinds, gapsOnly: values.gaps === "1" }, ignored };
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
