import { z } from "zod";
import { isStorableDate, STORABLE_YEARS, unstorableTextReason } from "./storable";

/**
 * Reading URL state with zod, the one way every screen and route handler does it: search parameters through
 * `parseSearchParams` (or `searchParamsRecord` for a schema that reports its own errors), route parameters through
 * `parseRouteParams`. Pure (no Next.js import), so tests and client code can use it too.
 */

/** What Next.js hands a page as `searchParams`: a repeated key arrives as an array. */
export type RawSearchParams = Record<string, string | string[] | undefined>;

/** A page's searchParams, a route handler's URLSearchParams, or a stored query string. */
export type SearchParamsInput = RawSearchParams | URLSearchParams | string;

/**
 * What no URL state of the console holds: control characters, and anything PostgreSQL cannot store as text
 * (U+0000, lone surrogates: lib/storable.ts), which would fail the query ("invalid byte sequence for encoding UTF8").
 */
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;
const isUnreadable = (value: string) => CONTROL_CHARACTER.test(value) || unstorableTextReason(value) !== null;

/** A text value of URL state: no control characters or lone surrogates, at most `max` characters. */
export const urlText = (max: number) =>
  z
    .string()
    .max(max)
    .refine((value) => !isUnreadable(value), "Control characters are not allowed.");

const DAY_MS = 86_400_000;

/**
 * A YYYY-MM-DD date that exists on the calendar (2026-02-30 and 2026-13-45 do not) and that PostgreSQL can store
 * as a whole day: filters run from its start to the next day's start, and PostgreSQL reads years 0001–9999 only.
 */
export const calendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Use the form YYYY-MM-DD.")
  .refine((value) => {
    const time = Date.parse(`${value}T00:00:00Z`);
    // Date.parse rolls 2026-02-30 over to March 2: only a date that reads back the same exists.
    return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === value;
  }, "Not a date on the calendar.")
  .refine((value) => {
    const start = Date.parse(`${value}T00:00:00Z`);
    return isStorableDate(new Date(start)) && isStorableDate(new Date(start + DAY_MS));
  }, `Use a date in the years ${STORABLE_YEARS}.`);

/** A date filter in the URL: a real calendar date, or none (anything else falls back to none). */
export const calendarDateParam = calendarDate.optional().catch(undefined);

/** The route parameters of a screen or route handler whose `[id]` is a uuid. */
export const uuidRouteParams = z.object({ id: z.uuid() });

/** The value kinds of URL state after `searchParamsRecord`: a repeatable key keeps every value. */
export type SearchParamsRecord = Record<string, string | string[]>;

/**
 * The search parameters as one record: a repeated key counts once (its first value) unless it is `repeatable`, and
 * a key whose value it uses holds a control character or a lone surrogate is left out and listed in `refused`.
 */
export function searchParamsRecord(
  input: SearchParamsInput,
  options: { repeatable?: readonly string[] } = {},
): { record: SearchParamsRecord; refused: string[] } {
  const entries: [string, string[]][] =
    typeof input === "string" || input instanceof URLSearchParams
      ? groupEntries(new URLSearchParams(input))
      : Object.entries(input).map(([key, value]) => [key, value === undefined ? [] : [value].flat()]);
  const record: SearchParamsRecord = {};
  const refused: string[] = [];
  for (const [key, values] of entries) {
    if (values.length === 0) continue;
    const repeatable = options.repeatable?.includes(key) ?? false;
    const used = repeatable ? values : values.slice(0, 1);
    if (used.some(isUnreadable)) refused.push(key);
    else record[key] = repeatable ? used : used[0]!;
  }
  return { record, refused };
}

function groupEntries(params: URLSearchParams): [string, string[]][] {
  const grouped = new Map<string, string[]>();
  for (const [key, value] of params) grouped.set(key, [...(grouped.get(key) ?? []), value]);
  return [...grouped];
}

export type ParsedSearchParams<T> = {
  values: T;
  /** Parameters that were given (not empty) but could not be read, so their defaults apply: for the screen to say. */
  ignored: string[];
};

/**
 * Reads search parameters with a schema whose every field falls back to a default (`.catch`), so a hand-edited or
 * hostile URL still shows the screen. The fields that fell back are listed in `ignored`.
 */
export function parseSearchParams<Schema extends z.ZodObject>(
  schema: Schema,
  input: SearchParamsInput,
  options: { repeatable?: readonly string[] } = {},
): ParsedSearchParams<z.output<Schema>> {
  const { record, refused } = searchParamsRecord(input, options);
  const values = schema.parse(record);
  const ignored = new Set(refused.filter((key) => key in schema.shape));
  for (const [key, field] of Object.entries(schema.shape)) {
    const value = record[key];
    if (value === undefined || value === "" || !(field instanceof z.ZodCatch)) continue;
    // The field without its fallback says whether the given value was read or replaced by the default.
    if (!z.safeParse(field.unwrap(), value).success) ignored.add(key);
  }
  return { values, ignored: [...ignored] };
}

/**
 * Whether any filter field's value differs from the schema's default (what an empty URL gives), leaving out
 * `notFilters` (page, sort and other view state): a list screen then offers to clear its filters.
 */
export function isFiltered<Schema extends z.ZodObject>(
  schema: Schema,
  values: z.output<Schema>,
  notFilters: readonly string[] = ["page", "sort"],
): boolean {
  const defaults = schema.parse({}) as Record<string, unknown>;
  const current = values as Record<string, unknown>;
  return Object.keys(schema.shape).some(
    (key) => !notFilters.includes(key) && comparable(current[key]) !== comparable(defaults[key]),
  );
}

/** An empty text or list filters as little as a missing one (a submitted form sends every field, empty or not). */
const comparable = (value: unknown) =>
  value === undefined || value === "" || (Array.isArray(value) && value.length === 0) ? "" : JSON.stringify(value);

export { hrefWith } from "./href-with";

/**
 * A download's or polling route's answer to search parameters it could not read: it has no screen to show a notice
 * on, and using the defaults would hand out something else than was asked for.
 */
export function unreadableParamsResponse(names: readonly string[]): Response {
  return new Response(
    `This address has parameters that could not be read: ${names.join(", ")}. Open it again from the console.\n`,
    { status: 400, headers: { "content-type": "text/plain; charset=utf-8" } },
  );
}

/**
 * Route parameters as Next.js hands them to pages and route handlers: still percent-encoded (`/travelers/a%2Fb`
 * gives "a%2Fb"). Decoded here, then checked by `schema`; null when a value does not decode or the schema refuses
 * it, for a page to answer notFound() and a route handler 404.
 */
export function parseRouteParams<Schema extends z.ZodType>(
  schema: Schema,
  params: Record<string, string | string[]>,
): z.output<Schema> | null {
  const decoded: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(params)) {
    const values = [value].flat().map(decodePercentEncoding);
    if (!values.every((part): part is string => part !== null)) return null;
    decoded[key] = Array.isArray(value) ? values : values[0]!;
  }
  const parsed = schema.safeParse(decoded);
  return parsed.success ? parsed.data : null;
}

/** The text a percent-encoded URL part stands for, or null for bad encoding (`%E0%A4%A`, `%`, an encoded surrogate). */
export function decodePercentEncoding(value: string): string | null {
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
}
