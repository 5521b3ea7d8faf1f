import { z } from "zod";
import { calendarDateParam, parseSearchParams, type SearchParamsInput } from "../url-params";

/**
 * The overview's date range, kept in the URL (`from`, `to`: whole UTC days, both included). Pure, so the page, the
 * picker and the tests read the URL the same way. Without parameters it is the last 30 days up to today.
 */

export const DEFAULT_RANGE_DAYS = 30;
/** The longest range the charts draw: a year of daily points. */
export const MAX_RANGE_DAYS = 366;
const DAY_MS = 86_400_000;

export const overviewQuerySchema = z.object({ from: calendarDateParam, to: calendarDateParam });

export type OverviewRange = {
  /** First day shown, YYYY-MM-DD (UTC). */
  from: string;
  /** Last day shown, YYYY-MM-DD (UTC), included. */
  to: string;
  /** The instants the queries use: from 00:00 of `from` up to (not including) 00:00 after `to`. */
  start: Date;
  end: Date;
  /** Every day of the range, in order: the x axis of the daily charts (days without data show 0). */
  days: string[];
  /** Whether the URL named the range (otherwise the default). */
  chosen: boolean;
};

const dayOf = (time: number) => new Date(time).toISOString().slice(0, 10);
const startOf = (day: string) => Date.parse(`${day}T00:00:00Z`);

/**
 * The range a URL asks for. A missing end is today, a missing start 30 days before the end; reversed days are
 * swapped, and a range longer than a year keeps its end and the year before it.
 */
export function resolveOverviewRange(input: SearchParamsInput, now: Date = new Date()): OverviewRange {
  const { values } = parseSearchParams(overviewQuerySchema, input);
  let to = values.to ?? dayOf(now.getTime());
  let from = values.from ?? dayOf(startOf(to) - (DEFAULT_RANGE_DAYS - 1) * DAY_MS);
  if (from > to) [from, to] = [to, from];
  if ((startOf(to) - startOf(from)) / DAY_MS + 1 > MAX_RANGE_DAYS) {
    from = dayOf(startOf(to) - (MAX_RANGE_DAYS - 1) * DAY_MS);
  }
  const start = startOf(from);
  const end = startOf(to) + DAY_MS;
  const days: string[] = [];
  for (let time = start; time < end; time += DAY_MS) days.push(dayOf(time));
  return {
    from,
    to,
    start: new Date(start),
    end: new Date(end),
    days,
    chosen: values.from !== undefined || values.to !== undefined,
  };
}

/** The overview URL for a range; the default range is the bare `/`. */
export function overviewHref(range: { from?: string; to?: string }): string {
  const params = new URLSearchParams();
  if (range.from) params.set("from", range.from);
  if (range.to) params.set("to", range.to);
  const search = params.toString();
  return search ? `/?${search}` : "/";
}

/** The picker's quick choices: the last N days up to today. */
export function presetRanges(now: Date = new Date()): { label: string; href: string; from: string; to: string }[] {
  const today = dayOf(now.getTime());
  return [7, 30, 90].map((days) => {
    const from = dayOf(startOf(today) - (days - 1) * DAY_MS);
    return { label: `${days} days`, href: overviewHref({ from, to: today }), from, to: today };
  });
}
