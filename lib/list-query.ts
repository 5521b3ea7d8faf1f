import { z } from "zod";

/**
 * What every list's query shares: the `page` parameter, the window of rows one page reads (offset paging: lists
 * are sorted by an indexed key and few people page far), the rows and their total read together, and the day range
 * of a From/To filter. Pure (no database import): the query modules pass their own reads.
 */

const MAX_PAGE = 100_000;

/** The `page` URL parameter: a whole page number, or the first page (and the ignored-params notice) otherwise. */
export const pageParam = (max: number = MAX_PAGE) => z.coerce.number().int().min(1).max(max).catch(1);

/** The rows of one page, how many match in all, and the page size the pagination counts with. */
export type ListPage<Row> = { rows: Row[]; total: number; pageSize: number };

/** Prisma's skip/take (or SQL's OFFSET/LIMIT) for one page. */
export function pageWindow(page: number, pageSize: number): { skip: number; take: number } {
  return { skip: (page - 1) * pageSize, take: pageSize };
}

/** Reads a page and the total at once (two queries in parallel). */
export async function readListPage<Row>(
  { page, pageSize }: { page: number; pageSize: number },
  read: { rows: (window: { skip: number; take: number }) => Promise<Row[]>; total: () => Promise<number> },
): Promise<ListPage<Row>> {
  const [rows, total] = await Promise.all([read.rows(pageWindow(page, pageSize)), read.total()]);
  return { rows, total, pageSize };
}

/** Rows keyed by a bigint id (logs), with the id as text: React keys and client props cannot hold a bigint. */
export function withTextIds<Row extends { id: bigint }>(rows: Row[]): (Omit<Row, "id"> & { id: string })[] {
  return rows.map((row) => ({ ...row, id: row.id.toString() }));
}

const DAY_MS = 86_400_000;

/**
 * A From/To filter of calendar days (YYYY-MM-DD, read by `calendarDateParam`) as instants: from the start of `from`
 * to the start of the day after `to` (UTC), so `to` includes its whole day. Undefined when neither is given.
 */
export function dayRange(from: string | undefined, to: string | undefined): { gte?: Date; lt?: Date } | undefined {
  if (!from && !to) return undefined;
  return {
    ...(from ? { gte: new Date(`${from}T00:00:00Z`) } : {}),
    ...(to ? { lt: new Date(Date.parse(`${to}T00:00:00Z`) + DAY_MS) } : {}),
  };
}
