import type { Metadata } from "next";
import { requirePermission } from "@/lib/auth/staff";
import Link from "next/link";
import { auditNames, auditQuerySchema, listAuditEntries, type AuditRow } from "@/lib/audit/queries";
import { auditTarget, detailSummary, type NameLookup } from "@/lib/audit/describe";
import { refusalReasonsOfLastDay } from "@/lib/audit/refusals";
import { utcStamp } from "@/lib/format";
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

/**
 * One line per entry: the actor's and the target's names instead of ids, the details as words cut to one line (the
 * whole entry is on its own page, which the time links to).
 */
const columnsFor = (names: NameLookup): Column<AuditRow>[] => [
  {
    id: "at",
    header: "Time (UTC)",
    className: "whitespace-nowrap",
    cell: (row) => (
      <Link href={`/audit/${row.id}`} className="hover:underline" title="Every detail of this entry">
        {utcStamp(row.at, { precision: "second", suffix: false })}
      </Link>
    ),
  },
  {
    id: "actor",
    header: "Actor",
    className: "max-w-48 truncate",
    cell: (row) =>
      row.actorEmail ? (
        <span title={row.actorEmail}>{(row.actorId && names.get(row.actorId.toLowerCase())) ?? row.actorEmail}</span>
      ) : (
        <span className="text-muted-foreground">system</span>
      ),
  },
  {
    id: "action",
    header: "Action",
    className: "whitespace-nowrap",
    cell: (row) => <code className="text-xs">{row.action}</code>,
  },
  {
    id: "target",
    header: "Target",
    className: "max-w-48 truncate",
    cell: (row) => {
      const target = auditTarget(row, names);
      return <span title={target.title}>{target.text}</span>;
    },
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
    className: "max-w-sm truncate text-xs text-muted-foreground",
    cell: (row) => {
      const summary = detailSummary(row.details, names, 200);
      return summary ? <span title={summary}>{summary}</span> : "—";
    },
  },
];

export default async function AuditPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  await requirePermission("audit.read");
  const { values: query, ignored } = parseSearchParams(auditQuerySchema, await searchParams);
  const [{ rows, total, pageSize }, refusals] = await Promise.all([
    listAuditEntries(query),
    refusalReasonsOfLastDay("action"),
  ]);
  const names = await auditNames(rows);
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
      <DataTable label="Audit entries" columns={columnsFor(names)} rows={rows} empty="No audit entries match." />
      <Pagination page={query.page} pageSize={pageSize} total={total} />
    </div>
  );
}
