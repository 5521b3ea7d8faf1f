import "server-only";
import { z } from "zod";
import { db } from "../db";
import { pageParam, readListPage } from "../list-query";
import { listWebhookMonths } from "./months";
import { addMonths, monthExpired, monthLabel } from "./periods";

/** What /retention reads: the stored months with their fate, and the archives written (paged on the server). */

export const retentionQuerySchema = z.object({ page: pageParam() });
export type RetentionQuery = z.infer<typeof retentionQuerySchema>;

export type MonthRow = {
  month: string;
  rows: number;
  /** Every event of it is older than the months kept: the next run archives and drops it. */
  due: boolean;
  /** When it becomes due (its end plus the months kept). */
  dueFrom: Date;
};

export async function webhookMonthRows(keepMonths: number, now = new Date()): Promise<MonthRow[]> {
  const months = await listWebhookMonths();
  return months.map(({ monthStart, rows }) => ({
    month: monthLabel(monthStart),
    rows,
    due: monthExpired(monthStart, keepMonths, now),
    dueFrom: dueFrom(monthStart, keepMonths),
  }));
}

/** The first instant at which a month is past the retention: its end moved forward by the months kept. */
function dueFrom(monthStart: Date, keepMonths: number): Date {
  return addMonths(addMonths(monthStart, 1), keepMonths);
}

export const ARCHIVES_PAGE_SIZE = 25;

export async function archivesPage(query: RetentionQuery) {
  return readListPage(
    { page: query.page, pageSize: ARCHIVES_PAGE_SIZE },
    {
      rows: (window) =>
        db().retentionArchive.findMany({ orderBy: [{ monthStart: "desc" }, { id: "desc" }], ...window }),
      total: () => db().retentionArchive.count(),
    },
  );
}
