import { FilterField } from "@/components/ui/field";
import type { Metadata } from "next";
import Link from "next/link";
import { requirePermission } from "@/lib/auth/staff";

import {
  apiCallSummary,
  apiLogQuerySchema,
  listApiCalls,
  listApiEndpoints,
  type ApiCallRow,
} from "@/lib/hubby/api-log-queries";
import { Pagination } from "@/components/pagination";
import { Badge } from "@/components/ui/badge";
import { Button, buttonVariants } from "@/components/ui/button";
import { Input, Select } from "@/components/ui/input";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { parseSearchParams, type RawSearchParams } from "@/lib/url-params";
import { IgnoredParamsNotice } from "@/components/ignored-params-notice";

export const metadata: Metadata = { title: "Hubby API log" };

const timeFormat = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "medium", timeZone: "UTC" });
const numberFormat = new Intl.NumberFormat("en-GB");
const COLUMNS = 9;

function statusBadge(row: ApiCallRow): { label: string; variant: "success" | "warning" | "danger" } {
  if (row.status === null) return { label: row.errorKind ?? "no response", variant: "danger" };
  if (row.ok) return { label: String(row.status), variant: "success" };
  if (row.status >= 400 && row.status < 500) return { label: String(row.status), variant: "warning" };
  return { label: String(row.status), variant: "danger" };
}

function apiLogHref(params: Record<string, string>) {
  return `/api-log?${new URLSearchParams(params).toString()}`;
}

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
  const filtered =
    query.q !== "" ||
    query.endpoint !== "all" ||
    query.method !== "all" ||
    query.outcome !== "all" ||
    query.from !== undefined ||
    query.to !== undefined;
  const filterKey = JSON.stringify([query.q, query.endpoint, query.method, query.outcome, query.from, query.to]);
  const failureRate = summary.count > 0 ? Math.round((summary.failures / summary.count) * 1000) / 10 : null;

  return (
    <div className="flex flex-col gap-4">
      <div>
        <h1 className="text-xl font-semibold">Hubby API log</h1>
        <p className="text-sm text-muted-foreground">
          Every request this console makes to the Hubby API, one row per attempt: endpoint, status, duration, who
          triggered it and for which traveler. The API secret and request signatures are never recorded. Times in UTC.
        </p>
      </div>
      <IgnoredParamsNotice names={ignored} />
      {/* Keyed by the filter: links on this screen navigate client-side, and uncontrolled fields would keep their
          old values. */}
      <form key={filterKey} className="flex flex-wrap items-end gap-2" role="search" action="/api-log">
        <FilterField id="api-log-q" label="Search API log">
          <Input
            id="api-log-q"
            name="q"
            defaultValue={query.q}
            placeholder="Path, traveler id, request id, staff email"
            className="w-72"
          />
        </FilterField>
        <FilterField id="api-log-endpoint" label="Endpoint">
          <Select id="api-log-endpoint" name="endpoint" defaultValue={query.endpoint} className="w-64">
            <option value="all">All endpoints</option>
            {endpointOptions.map((endpoint) => (
              <option key={endpoint} value={endpoint}>
                {endpoint}
              </option>
            ))}
          </Select>
        </FilterField>
        <FilterField id="api-log-method" label="Method">
          <Select id="api-log-method" name="method" defaultValue={query.method} className="w-24">
            <option value="all">All</option>
            <option value="GET">GET</option>
            <option value="POST">POST</option>
          </Select>
        </FilterField>
        <FilterField id="api-log-outcome" label="Outcome">
          <Select id="api-log-outcome" name="outcome" defaultValue={query.outcome} className="w-44">
            <option value="all">All</option>
            <option value="ok">Succeeded</option>
            <option value="failed">Failed (any)</option>
            <option value="client_error">Client error (4xx)</option>
            <option value="server_error">Server error (5xx)</option>
            <option value="no_response">No response (timeout, network)</option>
          </Select>
        </FilterField>
        <FilterField id="api-log-from" label="From">
          <Input id="api-log-from" name="from" type="date" defaultValue={query.from} className="w-40" />
        </FilterField>
        <FilterField id="api-log-to" label="To">
          <Input id="api-log-to" name="to" type="date" defaultValue={query.to} className="w-40" />
        </FilterField>
        <Button type="submit" variant="outline">
          Apply
        </Button>
        {filtered && (
          <Link href="/api-log" className={buttonVariants({ variant: "ghost" })}>
            Clear filters
          </Link>
        )}
      </form>
      <dl aria-label="Summary of matching calls" className="grid grid-cols-2 gap-2 sm:grid-cols-4">
        {[
          { term: "Calls", value: numberFormat.format(summary.count) },
          {
            term: "Failed",
            value:
              failureRate === null
                ? "0"
                : `${numberFormat.format(summary.failures)} (${numberFormat.format(failureRate)}%)`,
          },
          { term: "Median (p50)", value: summary.p50Ms === null ? "—" : `${numberFormat.format(summary.p50Ms)} ms` },
          { term: "p95", value: summary.p95Ms === null ? "—" : `${numberFormat.format(summary.p95Ms)} ms` },
        ].map(({ term, value }) => (
          <div key={term} className="rounded-lg border border-border px-4 py-3">
            <dt className="text-xs text-muted-foreground">{term}</dt>
            <dd className="text-lg font-semibold tabular-nums">{value}</dd>
          </div>
        ))}
      </dl>
      <Table>
        <TableHeader>
          <TableRow>
            <TableHead>Time (UTC)</TableHead>
            <TableHead>Endpoint</TableHead>
            <TableHead>Path</TableHead>
            <TableHead>Status</TableHead>
            <TableHead className="text-right">Duration (ms)</TableHead>
            <TableHead>Attempt</TableHead>
            <TableHead>Staff</TableHead>
            <TableHead>Traveler</TableHead>
            <TableHead>Error</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {rows.length === 0 ? (
            <TableRow>
              <TableCell colSpan={COLUMNS} className="py-8 text-center text-muted-foreground">
                <p>No Hubby API calls match.</p>
                {endpoints.length === 0 && (
                  <p className="mt-1 text-xs">
                    Nothing has been recorded yet: calls appear here as soon as the console talks to Hubby (traveler
                    lookups, bookings, top-ups).
                  </p>
                )}
              </TableCell>
            </TableRow>
          ) : (
            rows.map((row) => {
              const badge = statusBadge(row);
              return (
                <TableRow key={row.id}>
                  <TableCell className="whitespace-nowrap">{timeFormat.format(row.at)}</TableCell>
                  <TableCell className="whitespace-nowrap">
                    <code className="text-xs">{row.endpoint}</code>
                  </TableCell>
                  <TableCell className="max-w-64">
                    <code className="block truncate text-xs" title={row.path}>
                      {row.path}
                    </code>
                  </TableCell>
                  <TableCell className="whitespace-nowrap">
                    <Badge variant={badge.variant}>{badge.label}</Badge>
                    {row.status !== null && row.errorKind && row.errorKind !== "http" && (
                      <span className="ml-1 text-xs text-muted-foreground">{row.errorKind}</span>
                    )}
                  </TableCell>
                  <TableCell className="text-right tabular-nums">{numberFormat.format(row.durationMs)}</TableCell>
                  <TableCell className="whitespace-nowrap">
                    {row.attempt > 1 && (
                      <span className="text-xs text-muted-foreground" title={`Retry: attempt ${row.attempt}`}>
                        attempt {row.attempt}
                      </span>
                    )}
                  </TableCell>
                  <TableCell>{row.staffEmail ?? <span className="text-muted-foreground">system</span>}</TableCell>
                  <TableCell className="max-w-40 truncate" title={row.externalUserId ?? undefined}>
                    {row.externalUserId ? (
                      <Link className="hover:underline" href={apiLogHref({ q: row.externalUserId })}>
                        {row.externalUserId}
                      </Link>
                    ) : (
                      <span className="text-muted-foreground">—</span>
                    )}
                  </TableCell>
                  <TableCell className="max-w-md">
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
                  </TableCell>
                </TableRow>
              );
            })
          )}
        </TableBody>
      </Table>
      <Pagination page={query.page} pageSize={pageSize} total={total} />
    </div>
  );
}
