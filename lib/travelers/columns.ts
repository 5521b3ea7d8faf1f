/**
 * The travelers list's hideable columns and their labels: the table (a client component) reads them, so no zod here
 * (lib/travelers/filters.ts reads the URL with zod on the server; tests/e2e/page-weight.test.ts fails on zod in a
 * browser chunk).
 */

/** Columns the "Columns" menu may hide; external_user_id always shows. */
export const hideableColumns = ["esim", "installed", "activePackages", "usage", "nextDeparture", "lastEvent"] as const;
export type HideableColumn = (typeof hideableColumns)[number];
export const columnLabels: Record<HideableColumn, string> = {
  esim: "eSIM status",
  installed: "Installed",
  activePackages: "Active packages",
  usage: "Usage %",
  nextDeparture: "Next departure",
  lastEvent: "Last event",
};
