import { z } from "zod";
import { pageParam } from "../list-query";
import {
  calendarDateParam,
  parseSearchParams,
  urlText,
  type ParsedSearchParams,
  type SearchParamsInput,
} from "../url-params";

/**
 * The promo-codes screen's URL state (/promo-codes?status=&source=&campaign=&q=&dates=&from=&to=&intent=&page=),
 * read with zod through lib/url-params.ts: every field falls back to its default, so a hand-edited URL never errors.
 * Pure, shared by the page, the CSV export and the tests.
 */

export const PROMO_STATUSES = ["all", "issued", "redeemed"] as const;
export const PROMO_SOURCES = ["all", "console", "outside"] as const;
export const PROMO_DATE_FIELDS = ["issued", "redeemed"] as const;

export const promoStatusLabels: Record<(typeof PROMO_STATUSES)[number], string> = {
  all: "Any status",
  issued: "Issued, not redeemed",
  redeemed: "Redeemed",
};
export const promoSourceLabels: Record<(typeof PROMO_SOURCES)[number], string> = {
  all: "Any origin",
  console: "Issued by the console",
  outside: "Issued outside the console",
};

export const promoCodeQuerySchema = z.object({
  status: z.enum(PROMO_STATUSES).catch("all"),
  source: z.enum(PROMO_SOURCES).catch("all"),
  /** A campaign's id, or "none" for codes of single bookings. */
  campaign: z
    .union([z.uuid(), z.literal("none")])
    .optional()
    .catch(undefined),
  /** The start of a code (case does not matter). */
  q: urlText(200)
    .transform((value) => value.trim())
    .catch(""),
  dates: z.enum(PROMO_DATE_FIELDS).catch("issued"),
  from: calendarDateParam,
  to: calendarDateParam,
  /** The codes of one booking (its intent), linked from the booking's page. */
  intent: z.uuid().optional().catch(undefined),
  page: pageParam(),
});
export type PromoCodeQuery = z.infer<typeof promoCodeQuerySchema>;

/**
 * The page's searchParams or the export's URLSearchParams → the query, and the parameters that could not be read
 * (their defaults apply: the screen says so, the export refuses).
 */
export function readPromoCodeQuery(input: SearchParamsInput): ParsedSearchParams<PromoCodeQuery> {
  return parseSearchParams(promoCodeQuerySchema, input);
}

export function parsePromoCodeQuery(input: SearchParamsInput): PromoCodeQuery {
  return readPromoCodeQuery(input).values;
}

/** The filter as a query string without defaults and without the page ("" when nothing is filtered). */
export function promoCodeFilterKey(query: PromoCodeQuery): string {
  const params = new URLSearchParams();
  if (query.status !== "all") params.set("status", query.status);
  if (query.source !== "all") params.set("source", query.source);
  if (query.campaign) params.set("campaign", query.campaign);
  if (query.q) params.set("q", query.q);
  if ((query.from || query.to) && query.dates !== "issued") params.set("dates", query.dates);
  if (query.from) params.set("from", query.from);
  if (query.to) params.set("to", query.to);
  if (query.intent) params.set("intent", query.intent);
  return params.toString();
}

export function promoCodesHref(query: Partial<PromoCodeQuery>): string {
  const key = promoCodeFilterKey(promoCodeQuerySchema.parse(query));
  return key ? `/promo-codes?${key}` : "/promo-codes";
}

/** The filter in words, for the audit log and the export's refusal. */
export function describePromoCodeFilter(query: PromoCodeQuery, campaignName?: string | null): string {
  const parts: string[] = [];
  if (query.status !== "all") parts.push(promoStatusLabels[query.status].toLowerCase());
  if (query.source !== "all") parts.push(promoSourceLabels[query.source].toLowerCase());
  if (query.campaign === "none") parts.push("single bookings");
  else if (query.campaign) parts.push(`campaign ${campaignName ?? query.campaign}`);
  if (query.intent) parts.push(`booking ${query.intent}`);
  if (query.q) parts.push(`code starting "${query.q}"`);
  if (query.from || query.to) {
    parts.push(
      `${query.dates} ${query.from ? `from ${query.from}` : ""}${query.from && query.to ? " " : ""}${query.to ? `to ${query.to}` : ""}`,
    );
  }
  return parts.join(", ");
}
