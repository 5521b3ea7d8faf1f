import type { Metadata } from "next";
import { IntentLink } from "@/components/list/intent-link";
import { requirePermission } from "@/lib/auth/staff";
import { listEndpoints } from "@/lib/forwarding/endpoints";
import { attemptsOf, forwardLogQuerySchema, listForwardMessages, messageStatuses } from "@/lib/forwarding/queries";
import { utcStamp } from "@/lib/format";
import { isFiltered, parseSearchParams, type RawSearchParams } from "@/lib/url-params";
import { DataTable, type Column } from "@/components/data-table";
import { FilterBar, SelectFilter, TextFilter } from "@/components/list/filter-bar";
import { ListHeader } from "@/components/list/list-header";
import { Pagination } from "@/components/pagination";
import { IgnoredParamsNotice } from "@/components/ignored-params-notice";
import { Badge } from "@/components/ui/badge";
import { Panel } from "@/components/ui/panel";
import { ForwardEventAgain, RetryMessage } from "../commands";

export const metadata: Metadata = { title: "Delivery log" };

const statusVariant = { pending: "warning", delivered: "success", failed: "danger" } as const;

export default async function DeliveryLogPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  await requirePermission("forwarding.manage");
  const raw = await searchParams;
  const { values: query, ignored } = parseSearchParams(forwardLogQuerySchema, raw);
  const messageId = typeof raw.message === "string" && /^\d{1,19}$/.test(raw.message) ? raw.message : null;
  const [{ rows, total, pageSize }, endpoints, attempts] = await Promise.all([
    listForwardMessages(query),
    listEndpoints(),
    messageId ? attemptsOf(BigInt(messageId)) : null,
  ]);
  const keep = (extra: Record<string, string>) => {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== "" && value !== "all" && !(key === "page" && value === 1)) {
        params.set(key, String(value));
      }
    }
    for (const [key, value] of Object.entries(extra)) params.set(key, value);
    return `/forwarding/log?${params}`;
  };
  type Row = (typeof rows)[number];
  const columns: Column<Row>[] = [
    {
      id: "received",
      header: "Received",
      cell: (row) => utcStamp(row.receivedAt, { precision: "second" }),
      className: "whitespace-nowrap",
    },
    {
      id: "endpoint",
      header: "Endpoint",
      cell: (row) => row.endpoint.url,
      className: "max-w-56 break-all font-mono text-xs",
    },
    {
      id: "event",
      header: "Event",
      cell: (row) => (
        <div className="flex flex-col">
          <span>{row.eventType}</span>
          {row.eventId ? (
            <IntentLink href={`/forwarding/log?event=${row.eventId}`} className="text-xs underline">
              event {row.eventId}
            </IntentLink>
          ) : (
            <span className="text-xs text-muted-foreground">test event</span>
          )}
        </div>
      ),
    },
    { id: "webhookId", header: "webhook-id", cell: (row) => row.webhookId, className: "font-mono text-xs" },
    { id: "status", header: "Status", cell: (row) => <Badge variant={statusVariant[row.status]}>{row.status}</Badge> },
    {
      id: "attempts",
      header: "Attempts",
      cell: (row) => (
        <IntentLink href={keep({ message: row.id })} className="underline">
          {row.attempts}
          {row.lastStatus !== null ? ` (last ${row.lastStatus})` : ""}
        </IntentLink>
      ),
    },
    {
      id: "next",
      header: "Next attempt",
      cell: (row) => (row.status === "pending" ? utcStamp(row.nextAttemptAt, { precision: "second" }) : "—"),
      className: "whitespace-nowrap",
    },
    {
      id: "error",
      header: "Last error",
      cell: (row) => row.lastError ?? "—",
      className: "max-w-xs break-words text-xs",
    },
    {
      id: "retry",
      header: <span className="sr-only">Retry</span>,
      cell: (row) => (row.status === "pending" ? null : <RetryMessage id={row.id} />),
    },
  ];
  return (
    <div className="flex flex-col gap-4">
      <ListHeader title="Delivery log">
        <IntentLink href="/forwarding" className="underline">
          Forwarding
        </IntentLink>
        : every message, per endpoint and per event, with its attempts. Times in UTC.
      </ListHeader>
      <IgnoredParamsNotice names={ignored} />
      <FilterBar action="/forwarding/log" state={query} filtered={isFiltered(forwardLogQuerySchema, query)}>
        <SelectFilter
          name="endpoint"
          label="Endpoint"
          value={query.endpoint === undefined ? undefined : String(query.endpoint)}
          any="All endpoints"
          options={Object.fromEntries(endpoints.map((endpoint) => [String(endpoint.id), endpoint.url]))}
        />
        <SelectFilter name="status" label="Status" value={query.status} all="All" options={[...messageStatuses]} />
        <TextFilter name="type" label="Event type" value={query.type} />
        <TextFilter name="event" label="Event id" value={query.event} className="w-28" />
      </FilterBar>
      {query.event !== undefined && <ForwardEventAgain event={String(query.event)} />}
      {attempts && (
        <Panel headingId="attempts-heading" title={`Attempts of message ${messageId}`}>
          <DataTable
            label="Attempts"
            columns={[
              { id: "at", header: "At", cell: (attempt) => utcStamp(attempt.at, { precision: "second" }) },
              {
                id: "result",
                header: "Result",
                cell: (attempt) => (
                  <Badge variant={attempt.succeeded ? "success" : "danger"}>{attempt.statusCode ?? "no reply"}</Badge>
                ),
              },
              { id: "latency", header: "Latency", cell: (attempt) => `${attempt.latencyMs} ms` },
              {
                id: "reply",
                header: "Reply (first 2 KiB) or error",
                cell: (attempt) => (
                  <pre className="max-w-xl whitespace-pre-wrap break-all text-xs">
                    {attempt.error ?? attempt.response}
                  </pre>
                ),
              },
            ]}
            rows={attempts}
            empty="No attempt yet."
          />
        </Panel>
      )}
      <DataTable label="Messages" columns={columns} rows={rows} testIdPrefix="message-" empty="No messages match." />
      <Pagination page={query.page} pageSize={pageSize} total={total} />
    </div>
  );
}
