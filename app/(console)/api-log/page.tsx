import type { Metadata } from "next";
import Link from "next/link";
import { requirePermission } from "@/lib/auth/staff";

import {
  apiCallSummary,
  apiLogQuerySchema,
  listApiCalls,
  listApiEndpoints,
  type ApiCallRow,
  type ApiLogOutcome,
} from "@/lib/hubby/api-log-queries";
import { formatDateTime, formatNumber } from "@/lib/format";
import { isFiltered, parseSearchParams, type RawSearchParams } from "@/lib/url-params";
import { DataTable, type Column } from "@/components/data-table";
import { IgnoredParamsNotice } from "@/components/ignored-params-notice";
import { DateRangeFilter, FilterBar, SearchFilter, SelectFilter } from "@/components/list/filter-bar";
import { ListHeader } from "@/components/list/list-header";
import { Pagination } from "@/components/pagination";
import { Badge } from "@/components/ui/badge";

export const metadata: Metadata = { title: "Hubby API log" };

const methods = ["GET", "POST"];
const outcomeOptions = {
  all: "All",
  ok: "Succeeded",
  failed: "Failed (any)",
  client_error: "Client error (4xx)",
  server_error: "Server error (5xx)",
  no_response: "No response (timeout, network)",
} satisfies Record<ApiLogOutcome, string>;

function statusBadge(row: ApiCallRow): { label: string; variant: "success" | "warning" | "danger" } {
  if (row.status === null) return { label: row.errorKind ?? "no response", variant: "danger" };
  if (row.ok) return { label: String(row.status), variant: "success" };
  if (row.status >= 400 && row.status < 500) return { label: String(row.status), variant: "warning" };
  return { label: String(row.status), variant: "danger" };
}

function apiLogHref(params: Record<string, string>) {
  return `/api-log?${new URLSearchParams(params).toString()}`;
}

const columns: Column<ApiCallRow>[] = [
  { id: "at", header: "Time (UTC)", className: "whitespace-nowrap", cell: (row) => formatDateTime(row.at, "seconds") },
  {
    id: "endpoint",
    header: "Endpoint",
    className: "whitespace-nowrap",
    cell: (row) => <code className="text-xs">{row.endpoint}</code>,
  },
  {
    id: "path",
    header: "Path",
    className: "max-w-64",
    cell: (row) => (
      <code className="block truncate text-xs" title={row.path}>
        {row.path}
      </code>
    ),
  },
  {
    id: "status",
    header: "Status",
    className: "whitespace-nowrap",
    cell: (row) => {
      const badge = statusBadge(row);
      return (
        <>
          <Badge variant={badge.variant}>{badge.label}</Badge>
          {row.status !== null && row.errorKind && row.errorKind !== "http" && (
            <span className="ml-1 text-xs text-muted-foreground">{row.errorKind}</span>
          )}
        </>
      );
    },
  },
  {
    id: "duration",
    header: "Duration (ms)",
    headClassName: "text-right",
    className: "text-right tabular-nums",
    cell: (row) => formatNumber(row.durationMs),
  },
  {
    id: "attempt",
    header: "Attempt",
    className: "whitespace-nowrap",
    cell: (row) =>
      row.attempt > 1 && (
        <span className="text-xs text-muted-foreground" title={`Retry: attempt ${row.attempt}`}>
          attempt {row.attempt}
        </span>
      ),
  },
  {
    id: "staff",
    header: "Staff",
    cell: (row) => row.staffEmail ?? <span className="text-muted-foreground">system</span>,
  },
  {
    id: "traveler",
    header: "Traveler",
    className: "max-w-40 truncate",
    cell: (row) =>
      row.externalUserId ? (
        <Link className="hover:underline" href={apiLogHref({ q: row.externalUserId })} title={row.externalUserId}>
          {row.externalUserId}
        </Link>
      ) : (
        <span className="text-muted-foreground">—</span>
      ),
  },
  {
    id: "error",
    header: "Error",
    className: "max-w-md",
    cell: (row) => (
      <>
        {(row.errorMessage || row.errorCode) && (
          <span className="block truncate text-xs" title={row.errorMessage ?? undefined}>
            {row.errorMessage}
            {row.errorCode && <code className="ml-1 text-muted-foreground">[{row.errorCode}]</code>}
          </span>
        )}
        <Link
          className="text-xs text-muted-foreground hover:underline"
          href={apiLogHref({ q: row.requestId })}
          title="Every attempt of this request"
        >
          request {row.requestId}
        </Link>
      </>
    ),
  },
];

export default async function ApiLogPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  await requirePermission("apiLog.read");
  const { values: query, ignored } = parseSearchParams(apiLogQuerySchema, await searchParams);
  const [{ rows, total, pageSize }, summary, endpoints] = await Promise.all([
    listApiCalls(query),
    apiCallSummary(query),
    listApiEndpoints(),
  ]);
  const endpointOptions =
    query.endpoint !== "all" && !endpoints.includes(query.endpoint) ? [...endpoints, query.endpoint] : endpoints;
  const failureRate = summary.count > 0 ? Math.round((summary.failures / summary.count) * 1000) / 10 : null;

  return (
    <div className="flex flex-col gap-4">
      <ListHeader title="Hubby API log">
        Every request this console makes to the Hubby API, one row per attempt: endpoint, status, duration, who
        triggered it and for which traveler. The API secret and request signatures are never recorded. Times in UTC.
      </ListHeader>
      <IgnoredParamsNotice names={ignored} />
      <FilterBar action="/api-log" state={query} filtered={isFiltered(apiLogQuerySchema, query)}>
        <SearchFilter label="Search API log" value={query.q} hint="Path, traveler id, request id, staff email" />
        <SelectFilter
          name="endpoint"
          label="Endpoint"
          value={query.endpoint}
          all="All endpoints"
          options={endpointOptions}
        />
        <SelectFilter name="method" label="Method" value={query.method} all="All" options={methods} />
        <SelectFilter name="outcome" label="Outcome" value={query.outcome} options={outcomeOptions} />
        <DateRangeFilter from={query.from} to={query.to} />
      </FilterBar>
      <dl aria-label="Summary of matching calls" className="grid grid-cols-2 gap-2 sm:grid-cols-4">
        {[
          { term: "Calls", value: formatNumber(summary.count) },
          {
            term: "Failed",
            value: failureRate === null ? "0" : `${formatNumber(summary.failures)} (${formatNumber(failureRate)}%)`,
          },
          { term: "Median (p50)", value: summary.p50Ms === null ? "—" : `${formatNumber(summary.p50Ms)} ms` },
          { term: "p95", value: summary.p95Ms === null ? "—" : `${formatNumber(summary.p95Ms)} ms` },
        ].map(({ term, value }) => (
          <div key={term} className="rounded-lg border border-border px-4 py-3">
            <dt className="text-xs text-muted-foreground">{term}</dt>
            <dd className="text-lg font-semibold tabular-nums">{value}</dd>
          </div>
        ))}
      </dl>
      <DataTable
        columns={columns}
        rows={rows}
        empty={
          <>
            <p>No Hubby API calls match.</p>
            {endpoints.length === 0 && (
              <p className="mt-1 text-xs">
                Nothing has been recorded yet: calls appear here as soon as the console talks to Hubby (traveler
                lookups, bookings, top-ups).
              </p>
            )}
          </>
        }
      />
      <Pagination page={query.page} pageSize={pageSize} total={total} />
    </div>
  );
}
