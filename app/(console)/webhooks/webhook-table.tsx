import { IntentLink } from "@/components/list/intent-link";
import { utcStamp } from "@/lib/format";
import type { WebhookRow } from "@/lib/webhooks/queries";
import { Badge } from "@/components/ui/badge";
import { DataTable, type Column } from "@/components/data-table";
import { ParamLink } from "@/components/list/param-link";
import { SortHeader } from "@/components/list/sort-header";

export const statusVariant = {
  processed: "success",
  unhandled: "info",
  failed: "danger",
  quarantined: "warning",
} as const;

const columns = (sort: string): Column<WebhookRow>[] => [
  {
    id: "receivedAt",
    header: <SortHeader field="receivedAt" label="Received (UTC)" sort={sort} firstDirection="desc" />,
    cell: (row) => (
      <IntentLink href={`/webhooks/${row.id}`} className="whitespace-nowrap hover:underline">
        {utcStamp(row.receivedAt, { precision: "second", suffix: false })}
      </IntentLink>
    ),
  },
  {
    id: "eventType",
    header: "Event",
    cell: (row) => (
      <IntentLink href={`/webhooks/${row.id}`} className="font-mono text-xs hover:underline">
        {row.eventType}
      </IntentLink>
    ),
  },
  {
    id: "status",
    header: "Status",
    cell: (row) => (
      <span className="flex flex-wrap items-center gap-1">
        <Badge variant={statusVariant[row.status]}>{row.status}</Badge>
        {row.duplicates > 0 && <span className="text-xs text-muted-foreground">+{row.duplicates} dup</span>}
      </span>
    ),
  },
  {
    id: "traveler",
    header: "Traveler",
    // The traveler's own page; narrowing the list to them is the Traveler filter above.
    cell: (row) =>
      row.externalUserId ? (
        <IntentLink
          href={`/travelers/${encodeURIComponent(row.externalUserId)}`}
          className="font-mono text-xs hover:underline"
          title={`Open traveler ${row.externalUserId}`}
        >
          {row.externalUserId}
        </IntentLink>
      ) : (
        <span className="text-muted-foreground">—</span>
      ),
  },
  { id: "booking", header: "Booking", cell: (row) => <ParamLink param="booking" value={row.bookingId} /> },
  { id: "package", header: "Package", cell: (row) => <ParamLink param="package" value={row.packageId} /> },
  {
    id: "eventAt",
    header: <SortHeader field="eventAt" label="Event time (UTC)" sort={sort} firstDirection="desc" />,
    cell: (row) =>
      row.eventAt ? (
        <span className="whitespace-nowrap text-muted-foreground">
          {utcStamp(row.eventAt, { precision: "second", suffix: false })}
        </span>
      ) : (
        <span className="text-muted-foreground">—</span>
      ),
  },
];

export function WebhookTable({ rows, sort }: { rows: WebhookRow[]; sort: string }) {
  return <DataTable columns={columns(sort)} rows={rows} empty="No webhook events match." testIdPrefix="webhook-row-" />;
}
