/**
 * How the console writes dates, times and numbers: one place, so every screen shows the same clock (always UTC: staff
 * and Hubby's support read the same time) and the same digits. Pure, for server and client components alike.
 */

const dateTimeFormats = {
  /** "3 Dec 2026, 13:18:10": logs, where seconds tell attempts apart. */
  seconds: new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "medium", timeZone: "UTC" }),
  /** "3 Dec 2026, 13:18": lists of things people did. */
  minutes: new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }),
  /** "3 Dec 2026": a day without a time. */
  day: new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" }),
} as const;

export type DateTimePrecision = keyof typeof dateTimeFormats;

type Instant = Date | string | number;

/** A date and time in words, in UTC ("3 Dec 2026, 13:18"). */
export function formatDateTime(value: Instant, precision: DateTimePrecision = "minutes"): string {
  return dateTimeFormats[precision].format(new Date(value));
}

const STAMP_LENGTH = { minute: 16, second: 19, millisecond: 23 } as const;

/**
 * A UTC timestamp as digits ("2026-12-03 13:18" to the minute), for facts staff compare with Hubby's or copy into a
 * ticket; "—" for none or an unreadable value. `suffix` adds " UTC".
 */
export function utcStamp(
  value: Instant | null | undefined,
  { precision = "minute", suffix = true }: { precision?: keyof typeof STAMP_LENGTH; suffix?: boolean } = {},
): string {
  if (value === null || value === undefined || value === "") return "—";
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return "—";
  const stamp = date.toISOString().slice(0, STAMP_LENGTH[precision]).replace("T", " ");
  return suffix ? `${stamp} UTC` : stamp;
}

const numberFormat = new Intl.NumberFormat("en-GB");

/** A count or measure with thousands separators ("12,345"). */
export function formatNumber(value: number): string {
  return numberFormat.format(value);
}
