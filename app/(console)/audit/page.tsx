import type { Metadata } from "next";
import { requirePermission } from "@/lib/auth/staff";
import { auditQuerySchema, listAuditEntries, type AuditRow } from "@/lib/audit/queries";
import { refusalReasonsOfLastDay } from "@/lib/audit/refusals";
import { formatDateTime } from "@/lib/format";
import { isFiltered, parseSearchParams, type RawSearchParams } from "@/lib/url-params";
import { DataTable, type Column } from "@/components/data-table";
import { IgnoredParamsNotice } from "@/components/ignored-params-notice";
import { DateRangeFilter, FilterBar, SearchFilter, SelectFilter, TextFilter } from "@/components/list/filter-bar";
import { ListHeader } from "@/components/list/list-header";
import { Pagination } from "@/components/pagination";
import { Badge } from "@/components/ui/badge";

export const metadata: Metadata = { title: "Audit log" };

const resultVariant = { ok: "success", error: "danger", refused: "warning" } as const;
const resultOptions = { all: "All", ok: "OK", error: "Error", refused: "Refused" };

const columns: Column<AuditRow>[] = [
  { id: "at", header: "Time (UTC)", className: "whitespace-nowrap", cell: (row) => formatDateTime(row.at, "seconds") },
  {
    id: "actor",
    header: "Actor",
    cell: (row) => row.actorEmail ?? <span className="text-muted-foreground">system</span>,
  },
  { id: "action", header: "Action", cell: (row) => <code className="text-xs">{row.action}</code> },
  {
    id: "target",
    header: "Target",
    className: "max-w-48 truncate",
    cell: (row) => (
      <span title={row.targetId ?? undefined}>
        {row.externalUserId ?? (row.targetType ? `${row.targetType} ${row.targetId ?? ""}` : "—")}
      </span>
    ),
  },
  {
    id: "result",
    header: "Result",
    cell: (row) => (
      <Badge variant={resultVariant[row.result as keyof typeof resultVariant] ?? "default"}>{row.result}</Badge>
    ),
  },
  {
    id: "details",
    header: "Details",
    className: "max-w-md",
    cell: (row) => (
      <>
        <code
          className="block truncate text-xs text-muted-foreground"
          title={row.details ? JSON.stringify(row.details) : undefined}
        >
          {row.details ? JSON.stringify(row.details) : ""}
        </code>
        {row.requestId && <span className="text-xs text-muted-foreground">request {row.requestId}</span>}
      </>
    ),
  },
];

export default async function AuditPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  await requirePermission("audit.read");
  const { values: query, ignored } = parseSearchParams(auditQuerySchema, await searchParams);
  const [{ rows, total, pageSize }, refusals] = await Promise.all([
    listAuditEntries(query),
    refusalReasonsOfLastDay("action"),
  ]);
  const refusedTotal = refusals.reduce((sum, entry) => sum + entry.count, 0);
  return (
    <div className="flex flex-col gap-4">
      <ListHeader title="Audit log">
        Every sign-in, privileged action and read of a traveler&apos;s personal data (page views, exports): who, what,
        on whom, and the result. Times in UTC.
      </ListHeader>
      <IgnoredParamsNotice names={ignored} />
      {refusedTotal > 0 && (
        <p className="rounded-md border p-3 text-sm" data-testid="refused-without-session">
          Calls without a valid session refused in the last 24 hours: {refusedTotal} (counted per minute and source, not
          one entry each):{" "}
          {refusals.map((entry, index) => (
            <span key={entry.reason}>
              {index > 0 && ", "}
              <span className="font-mono text-xs">{entry.reason.replace(/^signed_out /, "")}</span> × {entry.count}
            </span>
          ))}
          .
        </p>
      )}
      <FilterBar action="/audit" state={query} filtered={isFiltered(auditQuerySchema, query)}>
        <SearchFilter label="Search audit log" value={query.q} hint="Action, actor email, target, request id" />
        <TextFilter name="action" label="Action" value={query.action} placeholder="e.g. travelers.view" />
        <TextFilter name="traveler" label="Traveler" value={query.traveler} placeholder="external_user_id" />
        <SelectFilter name="result" label="Result" value={query.result} options={resultOptions} />
        <DateRangeFilter from={query.from} to={query.to} />
      </FilterBar>
      <DataTable columns={columns} rows={rows} empty="No audit entries match." />
      <Pagination page={query.page} pageSize={pageSize} total={total} />
    </div>
  );
}
