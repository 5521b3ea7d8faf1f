import "server-only";
import { dailyCounts } from "../webhooks/rollup";
import type { OverviewRange } from "./range";

/**
 * Webhook events received per UTC day and event type, the base of the overview's daily charts. A day that is over
 * cannot gain events (receivedAt is the time of receipt), so its counts are read once per process and kept; only
 * today (and any later day of the range) is counted on every call. Both come from the webhook inbox's hourly rollup
 * (lib/webhooks/rollup.ts: its hours summed, plus a live count of the current hour), so even the first read after a
 * start sums hours instead of grouping a quarter of a million events (docs/decisions/0045 and 0065).
 */

export type DayTypeCount = { day: string; eventType: string; count: number };

const DAY_MS = 86_400_000;
/** Closed days kept per process: ten years of days, far more than any range asks for at once. */
const MAX_KEPT_DAYS = 3_660;
const closedDays = new Map<string, Map<string, number>>();
const reading = new Map<string, Promise<void>>();

const dayOf = (time: number) => new Date(time).toISOString().slice(0, 10);

async function countByDay(start: Date, end: Date): Promise<DayTypeCount[]> {
  const rows = await dailyCounts({ from: start.getTime(), to: end.getTime() });
  return rows.map((row) => ({ day: row.day, eventType: row.eventType, count: row.events }));
}

/** Reads the closed days from `first` to `last` (inclusive) into the kept counts, once even when asked twice. */
function readClosedDays(first: string, last: string): Promise<void> {
  const key = `${first}|${last}`;
  let pending = reading.get(key);
  if (!pending) {
    pending = (async () => {
      const rows = await countByDay(new Date(`${first}T00:00:00Z`), new Date(Date.parse(`${last}T00:00:00Z`) + DAY_MS));
      const days = new Map<string, Map<string, number>>();
      for (let time = Date.parse(`${first}T00:00:00Z`); dayOf(time) <= last; time += DAY_MS) {
        days.set(dayOf(time), new Map());
      }
      for (const row of rows) days.get(row.day)?.set(row.eventType, row.count);
      for (const [day, counts] of days) closedDays.set(day, counts);
      while (closedDays.size > MAX_KEPT_DAYS) closedDays.delete(closedDays.keys().next().value!);
    })().finally(() => reading.delete(key));
    reading.set(key, pending);
  }
  return pending;
}

/** Events per day and type over the range: kept counts for closed days, a fresh count from today on. */
export async function eventsPerDayAndType(range: OverviewRange, now: Date = new Date()): Promise<DayTypeCount[]> {
  const today = dayOf(now.getTime());
  const missing = range.days.filter((day) => day < today && !closedDays.has(day));
  const todayStart = new Date(`${today}T00:00:00Z`);
  const [, open] = await Promise.all([
    missing.length ? readClosedDays(missing[0]!, missing[missing.length - 1]!) : undefined,
    range.end > todayStart
      ? countByDay(range.start > todayStart ? range.start : todayStart, range.end)
      : Promise.resolve([]),
  ]);
  const closed = range.days
    .filter((day) => day < today)
    .flatMap((day) =>
      [...(closedDays.get(day) ?? new Map<string, number>())].map(([eventType, count]) => ({ day, eventType, count })),
    );
  return [...closed, ...open];
}

/** Tests and benches start from nothing kept. */
export function forgetClosedDays() {
  closedDays.clear();
}
