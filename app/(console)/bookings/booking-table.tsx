"use client";
import Link from "next/link";
import { createColumnHelper, tableFeatures, useTable } from "@tanstack/react-table";
import { formatMoney } from "@/lib/bookings/quote";
import { Badge } from "@/components/ui/badge";
import { DataTable } from "@/components/data-table";

export type BookingTableRow = {
  id: string;
  createdAt: string;
  kind: "issue" | "top_up" | "promo_codes";
  status: "PENDING" | "SENDING" | "SENT" | "UNKNOWN" | "FAILED";
  actorEmail: string;
  travelers: string[];
  destinations: string[];
  costCents: number | null;
  currency: string | null;
  hubbyBookingId: string | null;
};

export const intentStatusVariant = {
  PENDING: "default",
  SENDING: "info",
  SENT: "success",
  UNKNOWN: "warning",
  FAILED: "danger",
} as const;

export const KIND_LABELS = { issue: "Booking", top_up: "Top-up", promo_codes: "Promo codes" } as const;

const features = tableFeatures({});
const helper = createColumnHelper<typeof features, BookingTableRow>();
const timeFormat = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

function List({ values, mono }: { values: string[]; mono?: boolean }) {
  const shown = values.slice(0, 3);
  return (
    <span className={mono ? "font-mono text-xs" : "text-sm"}>
      {shown.join(", ")}
      {values.length > shown.length && <span className="text-muted-foreground"> +{values.length - shown.length}</span>}
    </span>
  );
}

export function BookingTable({ rows }: { rows: BookingTableRow[] }) {
  const columns = helper.columns([
    helper.accessor("createdAt", {
      header: "Created (UTC)",
      cell: (info) => (
        <Link href={`/bookings/${info.row.original.id}`} className="whitespace-nowrap hover:underline">
          {timeFormat.format(new Date(info.getValue()))}
        </Link>
      ),
    }),
    helper.accessor("kind", {
      header: "Kind",
      cell: (info) => KIND_LABELS[info.getValue()],
    }),
    helper.accessor("status", {
      header: "Status",
      cell: (info) => <Badge variant={intentStatusVariant[info.getValue()]}>{info.getValue()}</Badge>,
    }),
    helper.accessor("travelers", { header: "Travelers", cell: (info) => <List values={info.getValue()} mono /> }),
    helper.accessor("destinations", { header: "Destinations", cell: (info) => <List values={info.getValue()} /> }),
    helper.accessor("costCents", {
      header: "B2B cost",
      cell: (info) => {
        const cents = info.getValue();
        return cents === null ? "—" : formatMoney(cents, info.row.original.currency ?? "EUR");
      },
    }),
    helper.accessor("actorEmail", { header: "By", cell: (info) => <span className="text-sm">{info.getValue()}</span> }),
    helper.accessor("hubbyBookingId", {
      header: "Hubby booking",
      cell: (info) => <span className="font-mono text-xs">{info.getValue() ?? "—"}</span>,
    }),
  ]);
  const table = useTable({ features, columns, data: rows, getRowId: (row) => row.id });
  return <DataTable table={table} empty="No bookings match." rowTestId={(row) => `booking-row-${row.id}`} />;
}
