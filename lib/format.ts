/**
 * How the console writes dates, times and numbers: one place, so every screen shows the same clock (always UTC: staff
 * and Hubby's support read the same time) and the same digits. Pure, for server and client components alike.
 */

/**
 * The console's one way of writing an instant: UTC digits ("2026-12-03 13:18"), in lists and on detail pages alike,
 * so a time read in one place can be found in another and compared with Hubby's (docs/decisions/0061).
 */
const STAMP_LENGTH = { day: 10, minute: 16, second: 19, millisecond: 23 } as const;

type Instant = Date | string | number;

/**
 * A UTC timestamp as digits ("2026-12-03 13:18" to the minute; "2026-12-03" for a day), for facts staff compare with
 * Hubby's or copy into a ticket; "—" for none or an unreadable value. `suffix` adds " UTC" (columns whose header says
 * "(UTC)" leave it off).
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

const axisFormats = {
  /** "3 Dec": a day on a chart's axis, where the year is the range's. */
  day: new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: "UTC" }),
  /** "13:00": an hour on a chart's axis, where the day is the range's. */
  hour: new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: "UTC" }),
} as const;

/**
 * A chart axis tick, in UTC: the only shortened form of an instant, because a tick has the width of a few characters
 * and the chart's range gives the rest; the tooltip of a point uses utcStamp.
 */
export function axisTick(value: Instant, unit: keyof typeof axisFormats): string {
  return axisFormats[unit].format(new Date(value));
}

const numberFormat = new Intl.NumberFormat("en-GB");

/** A count or measure with thousands separators ("12,345"). */
export function formatNumber(value: number): string {
  return numberFormat.format(value);
}
