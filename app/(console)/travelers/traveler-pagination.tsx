"use client";
import { PageLink } from "@/components/pagination";
import { useHrefWith } from "@/components/list/use-href-with";
import { formatNumber } from "@/lib/format";

/**
 * The travelers list's page links. The list counts and pages within its first `window` matches (decision 0067):
 * past that the total reads "more than …" and the last page says how to reach the rest.
 */
export function TravelerPagination({
  page,
  pageSize,
  total,
  totalIsMore,
  window,
}: {
  page: number;
  pageSize: number;
  total: number;
  totalIsMore: boolean;
  window: number;
}) {
  const href = useHrefWith();
  const pages = Math.max(1, Math.ceil(Math.min(total, window) / pageSize));
  const first = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const last = Math.min(total, page * pageSize);
  return (
    <nav aria-label="Pagination" className="flex flex-col gap-2 text-sm text-muted-foreground">
      <div className="flex items-center justify-between">
        <span data-testid="travelers-range">
          {first}–{last} of {totalIsMore ? `more than ${formatNumber(total)}` : total}
        </span>
        <span className="flex gap-2">
          <PageLink href={page > 1 ? href({ page: String(page - 1) }) : null} label="Previous" />
          <PageLink href={page < pages ? href({ page: String(page + 1) }) : null} label="Next" />
        </span>
      </div>
      {totalIsMore && page >= pages && (
        <p data-testid="travelers-window-end">
          The list shows the first {formatNumber(window)} matches. Narrow the search or the filters, sort the other way
          round, or export them as CSV.
        </p>
      )}
    </nav>
  );
}
