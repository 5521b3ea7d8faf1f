/**
 * Retention arithmetic, pure and in UTC: which whole months of webhook events have expired, and the cutoffs of the
 * API log and the audit log. A month expires once all of it is older than the retention: with 13 months kept, on
 * 2026-12-05 the cutoff is 2025-11-05, so October 2025 (which ends 2025-11-01) goes and November 2025 stays.
 */

const DAY_MS = 86_400_000;

/** The first instant (UTC) of the month `date` falls in. */
export function monthStartOf(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1));
}

/** The first instant of the month `months` after the one starting at `monthStart` (negative: before). */
export function addMonths(monthStart: Date, months: number): Date {
  return new Date(Date.UTC(monthStart.getUTCFullYear(), monthStart.getUTCMonth() + months, 1));
}

/** `now` moved back by whole calendar months, the day clamped to the target month's length (Mar 31 → Feb 28). */
export function monthsBefore(now: Date, months: number): Date {
  const target = addMonths(monthStartOf(now), -months);
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  return new Date(
    Date.UTC(
      target.getUTCFullYear(),
      target.getUTCMonth(),
      Math.min(now.getUTCDate(), lastDay),
      now.getUTCHours(),
      now.getUTCMinutes(),
      now.getUTCSeconds(),
      now.getUTCMilliseconds(),
    ),
  );
}

/** Whether every event of the month starting at `monthStart` is older than `keepMonths` months at `now`. */
export function monthExpired(monthStart: Date, keepMonths: number, now: Date): boolean {
  return addMonths(monthStart, 1).getTime() <= monthsBefore(now, keepMonths).getTime();
}

/** API log rows before this instant are deleted. */
export function apiLogCutoff(now: Date, days: number): Date {
  return new Date(now.getTime() - days * DAY_MS);
}

/** Audit entries before this instant are deleted: the same date `years` calendar years back. */
export function auditCutoff(now: Date, years: number): Date {
  return monthsBefore(now, years * 12);
}

/** `2025-10` for the month starting 2025-10-01T00:00Z. */
export function monthLabel(monthStart: Date): string {
  return monthStart.toISOString().slice(0, 7);
}

/** The month a `YYYY-MM` label names, or null when it names none. */
export function parseMonthLabel(label: string): Date | null {
  const match = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(label);
  return match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, 1)) : null;
}

/** The archive's file or object name for a month of webhook events. */
export function webhookArchiveName(monthStart: Date): string {
  return `webhooks-${monthLabel(monthStart)}.ndjson.gz`;
}
