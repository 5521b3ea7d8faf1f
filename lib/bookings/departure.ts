/**
 * Departure times in a time zone, for the booking form in the browser and the request on the server. No zod here: this
 * module ships to the browser (tests/e2e/page-weight.test.ts).
 */

// ── Departure time ──────────────────────────────────────────────────────────────────────────────────────────

export const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
export const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

const zoneChecks = new Map<string, boolean>();

/** Cached: building an Intl.DateTimeFormat per check dominated validating a 50,000-row campaign file. */
export function isTimeZone(value: string): boolean {
  const known = zoneChecks.get(value);
  if (known !== undefined) return known;
  let valid: boolean;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: value });
    valid = true;
  } catch {
    valid = false;
  }
  if (zoneChecks.size < 1000) zoneChecks.set(value, valid);
  return valid;
}

/** The zone's UTC offset in minutes at an instant (e.g. +120 for Amsterdam in summer). */
export function offsetMinutes(timeZone: string, instant: number): number {
  const name = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "longOffset" })
    .formatToParts(new Date(instant))
    .find((part) => part.type === "timeZoneName")?.value;
  const match = /GMT([+-])(\d{2}):?(\d{2})?/.exec(name ?? "");
  if (!match) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3] ?? 0);
  return match[1] === "-" ? -minutes : minutes;
}

function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? "-" : "+";
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

export type ZonedResult = { ok: true; iso: string; instant: number } | { ok: false; issue: string };

const wallClockFormats = new Map<string, Intl.DateTimeFormat>();

/** The date (`2026-07-15`) and time (`14:30`) a clock in the zone shows at an instant. */
export function wallClock(timeZone: string, instant: number): { date: string; time: string } {
  let format = wallClockFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
    if (wallClockFormats.size < 100) wallClockFormats.set(timeZone, format);
  }
  const part = Object.fromEntries(format.formatToParts(new Date(instant)).map((p) => [p.type, p.value]));
  return { date: `${part.year}-${part.month}-${part.day}`, time: `${part.hour}:${part.minute}` };
}

const QUARTER_HOUR_MS = 15 * 60_000;

/**
 * A departure that has not passed yet for a traveler who is already on the way (a top-up): the next quarter hour
 * after the instant, as the zone's clock shows it, so the form has a few minutes before "now" is in the past.
 */
export function departureSoonAfter(timeZone: string, instant: number): { date: string; time: string } {
  return wallClock(timeZone, Math.floor(instant / QUARTER_HOUR_MS) * QUARTER_HOUR_MS + QUARTER_HOUR_MS);
}

/**
 * A wall-clock date and time in a time zone → ISO 8601 with that moment's offset (`2026-07-15T14:30:00+02:00`).
 * A time skipped by a clock change (02:30 on a spring-forward night) is refused; a repeated one takes the first.
 */
export function zonedDateTime(date: string, time: string, timeZone: string): ZonedResult {
  const d = DATE.exec(date);
  const t = TIME.exec(time);
  if (!d) return { ok: false, issue: "Enter the date as YYYY-MM-DD." };
  if (!t) return { ok: false, issue: "Enter the time as HH:MM (24-hour)." };
  if (!isTimeZone(timeZone)) return { ok: false, issue: "Choose a time zone." };
  const wall = Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3]), Number(t[1]), Number(t[2]));
  if (new Date(wall).toISOString().slice(0, 10) !== date) return { ok: false, issue: "That date does not exist." };
  // Two passes settle the offset on either side of a clock change; the earlier offset wins for repeated times.
  const before = offsetMinutes(timeZone, wall - 36 * 3_600_000);
  const candidates = [before, offsetMinutes(timeZone, wall - before * 60_000)];
  for (const offset of candidates) {
    const instant = wall - offset * 60_000;
    if (offsetMinutes(timeZone, instant) === offset) {
      return { ok: true, iso: `${date}T${time}:00${formatOffset(offset)}`, instant };
    }
  }
  return { ok: false, issue: `${time} does not exist on ${date} in ${timeZone} (the clocks change).` };
}
