import Link from "next/link";
import { formatMoney } from "@/lib/bookings/quote";
import type { BookingRow } from "@/lib/bookings/queries";
import { utcStamp } from "@/lib/format";
import { Badge } from "@/components/ui/badge";
import { DataTable, type Column } from "@/components/data-table";

export const intentStatusVariant = {
  PENDING: "default",
  SENDING: "info",
  SENT: "success",
  UNKNOWN: "warning",
  FAILED: "danger",
} as const;

export const KIND_LABELS = { issue: "Booking", top_up: "Top-up", promo_codes: "Promo codes" } as const;

function List({ values, mono }: { values: string[]; mono?: boolean }) {
  const shown = values.slice(0, 3);
  return (
    <span className={mono ? "font-mono text-xs" : "text-sm"}>
      {shown.join(", ")}
      {values.length > shown.length && <span className="text-muted-foreground"> +{values.length - shown.length}</span>}
    </span>
  );
}

const columns: Column<BookingRow>[] = [
  {
    id: "createdAt",
    header: "Created (UTC)",
    cell: (row) => (
      <Link href={`/bookings/${row.id}`} className="whitespace-nowrap hover:underline">
        {utcStamp(row.createdAt, { suffix: false })}
      </Link>
    ),
  },
  { id: "kind", header: "Kind", cell: (row) => KIND_LABELS[row.kind] },
  {
    id: "status",
    header: "Status",
    cell: (row) => <Badge variant={intentStatusVariant[row.status]}>{row.status}</Badge>,
  },
  { id: "travelers", header: "Travelers", cell: (row) => <List values={row.travelers} mono /> },
  { id: "destinations", header: "Destinations", cell: (row) => <List values={row.destinations} /> },
  {
    id: "costCents",
    header: "B2B cost",
    cell: (row) => (row.costCents === null ? "—" : formatMoney(row.costCents, row.currency ?? "EUR")),
  },
  { id: "actorEmail", header: "By", cell: (row) => <span className="text-sm">{row.actorEmail}</span> },
  {
    id: "hubbyBookingId",
    header: "Hubby booking",
    cell: (row) => <span className="font-mono text-xs">{row.hubbyBookingId ?? "—"}</span>,
  },
];

export function BookingTable({ rows }: { rows: BookingRow[] }) {
  return <DataTable columns={columns} rows={rows} empty="No bookings match." testIdPrefix="booking-row-" />;
}
