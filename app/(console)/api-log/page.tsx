import type { Metadata } from "next";
import { requirePermission } from "@/lib/auth/staff";

import {
  apiCallSummary,
  apiLogQuerySchema,
  listApiCalls,
  listApiEndpoints,
  type ApiLogOutcome,
} from "@/lib/hubby/api-log-queries";
import { formatNumber } from "@/lib/format";
import { isFiltered, parseSearchParams, type RawSearchParams } from "@/lib/url-params";
import { DataTable } from "@/components/data-table";
import { IgnoredParamsNotice } from "@/components/ignored-params-notice";
import { DateRangeFilter, FilterBar, SearchFilter, SelectFilter } from "@/components/list/filter-bar";
import { ListHeader } from "@/components/list/list-header";
import { Pagination } from "@/components/pagination";
import { apiCallColumns } from "./columns";

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
        label="Hubby API calls"
        columns={apiCallColumns}
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
