/**
 * What PostgreSQL takes as it is. A webhook that carries anything else is still stored (lib/webhooks/intake.ts),
 * with the offending value kept out of the typed columns, because PostgreSQL rejects the whole statement:
 * - text and jsonb cannot hold U+0000 (jsonb: "unsupported Unicode escape sequence"; text: "invalid byte sequence");
 * - jsonb cannot hold a lone UTF-16 surrogate (`"\ud800"` is "invalid input syntax for type json");
 * - timestamps travel as ISO-8601 strings, which PostgreSQL reads only for years 0001–9999: JavaScript writes
 *   year 0 and earlier as "-00…" and 10000 and later as "+0…" ("time zone displacement out of range");
 * - jsonb parses recursively, so very deep JSON exhausts the server's stack ("stack depth limit exceeded").
 * Pure: shared by the intake, the replay and unit tests.
 */

/** Deeper JSON is quarantined. Hubby's events nest three levels; PostgreSQL's jsonb parser recurses per level. */
export const MAX_JSON_DEPTH = 100;

const FIRST_STORABLE_TIME = Date.parse("0001-01-01T00:00:00.000Z");
const LAST_STORABLE_TIME = Date.parse("9999-12-31T23:59:59.999Z");

/** A high surrogate not followed by a low one, or a low surrogate not preceded by a high one. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, "g");

export function isStorableDate(date: Date): boolean {
  const time = date.getTime();
  return time >= FIRST_STORABLE_TIME && time <= LAST_STORABLE_TIME;
}

export const STORABLE_YEARS = "0001–9999";

/** Why PostgreSQL would refuse this string in a text or jsonb column, or null when it takes it. */
export function unstorableTextReason(value: string): string | null {
  if (value.includes("\0")) return "U+0000";
  if (LONE_SURROGATE.test(value)) return "a lone UTF-16 surrogate";
  return null;
}

/**
 * The value made safe for a text column, for columns that only describe (ids shown in the inbox, selected
 * headers): U+0000 and lone surrogates become U+FFFD, and at most maxLength code units are kept, never half a pair.
 */
export function storableText(value: string, maxLength = Number.POSITIVE_INFINITY): string {
  let text = value;
  if (text.length > maxLength) {
    text = text.slice(0, maxLength);
    // The cut may have split a surrogate pair: drop its first half rather than keep a lone surrogate.
    if (/[\ud800-\udbff]$/.test(text)) text = text.slice(0, -1);
  }
  if (unstorableTextReason(text) === null) return text;
  return text.replaceAll("\0", "\uFFFD").replace(LONE_SURROGATES, "\uFFFD");
}

/**
 * Why PostgreSQL would refuse this parsed JSON as jsonb (U+0000 or a lone surrogate in a string or key, or nesting
 * deeper than MAX_JSON_DEPTH), or null when it takes it. Walks with its own stack: the value may be 20,000 deep.
 */
export function unstorableJsonReason(root: unknown): string | null {
  const pending: { value: unknown; depth: number }[] = [{ value: root, depth: 1 }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { value, depth } = next;
    if (typeof value === "string") {
      const reason = unstorableTextReason(value);
      if (reason) return `The body's JSON holds ${reason} in a string, which PostgreSQL cannot store as JSON.`;
    } else if (typeof value === "object" && value !== null) {
      if (depth > MAX_JSON_DEPTH) return `The body's JSON is nested deeper than ${MAX_JSON_DEPTH} levels.`;
      if (Array.isArray(value)) {
        for (const item of value) pending.push({ value: item, depth: depth + 1 });
        continue;
      }
      for (const [key, item] of Object.entries(value)) {
        const reason = unstorableTextReason(key);
        if (reason) return `The body's JSON holds ${reason} in a key, which PostgreSQL cannot store as JSON.`;
        pending.push({ value: item, depth: depth + 1 });
      }
    }
  }
  return null;
}
