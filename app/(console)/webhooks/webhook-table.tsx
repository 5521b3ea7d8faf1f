"use client";
import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";
import { ArrowDown, ArrowUp } from "lucide-react";
import { createColumnHelper, tableFeatures, useTable } from "@tanstack/react-table";
import { Badge } from "@/components/ui/badge";
import { DataTable } from "@/components/data-table";

export type InboxRow = {
  id: string;
  receivedAt: string;
  eventAt: string | null;
  eventType: string;
  status: "processed" | "unhandled" | "failed" | "quarantined";
  error: string | null;
  duplicates: number;
  attempts: number;
  externalUserId: string | null;
  bookingId: string | null;
  packageId: string | null;
};

export const statusVariant = {
  processed: "success",
  unhandled: "info",
  failed: "danger",
  quarantined: "warning",
} as const;

const features = tableFeatures({});
const helper = createColumnHelper<typeof features, InboxRow>();
const timeFormat = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "medium", timeZone: "UTC" });

function useHref() {
  const pathname = usePathname();
  const searchParams = useSearchParams();
  return (changes: Record<string, string | null>) => {
    const params = new URLSearchParams(searchParams.toString());
    for (const [key, value] of Object.entries(changes)) {
      if (value === null) params.delete(key);
      else params.set(key, value);
    }
    params.delete("page");
    return `${pathname}?${params.toString()}`;
  };
}

function SortHeader({ field, label, sort }: { field: "receivedAt" | "eventAt"; label: string; sort: string }) {
  const href = useHref();
  const active = sort.replace(/^-/, "") === field;
  const descending = sort.startsWith("-");
  return (
    <Link
      href={href({ sort: active && descending ? field : `-${field}` })}
      className="inline-flex items-center gap-1 hover:underline"
      aria-sort={active ? (descending ? "descending" : "ascending") : undefined}
    >
      {label}
      {active &&
        (descending ? <ArrowDown className="h-3 w-3" aria-hidden /> : <ArrowUp className="h-3 w-3" aria-hidden />)}
    </Link>
  );
}

/** A value that narrows the inbox to itself when clicked. */
function FilterLink({ param, value }: { param: string; value: string | null }) {
  const href = useHref();
  if (!value) return <span className="text-muted-foreground">—</span>;
  return (
    <Link href={href({ [param]: value })} className="font-mono text-xs hover:underline" title={`Only ${value}`}>
      {value}
    </Link>
  );
}

export function WebhookTable({ rows, sort }: { rows: InboxRow[]; sort: string }) {
  const columns = helper.columns([
    helper.accessor("receivedAt", {
      header: () => <SortHeader field="receivedAt" label="Received (UTC)" sort={sort} />,
      cell: (info) => (
        <Link href={`/webhooks/${info.row.original.id}`} className="whitespace-nowrap hover:underline">
          {timeFormat.format(new Date(info.getValue()))}
        </Link>
      ),
    }),
    helper.accessor("eventType", {
      header: "Event",
      cell: (info) => (
        <Link href={`/webhooks/${info.row.original.id}`} className="font-mono text-xs hover:underline">
          {info.getValue()}
        </Link>
      ),
    }),
    helper.accessor("status", {
      header: "Status",
      cell: (info) => (
        <span className="flex flex-wrap items-center gap-1">
          <Badge variant={statusVariant[info.getValue()]}>{info.getValue()}</Badge>
          {info.row.original.duplicates > 0 && (
            <span className="text-xs text-muted-foreground">+{info.row.original.duplicates} dup</span>
          )}
        </span>
      ),
    }),
    helper.accessor("externalUserId", {
      header: "Traveler",
      cell: (info) => <FilterLink param="user" value={info.getValue()} />,
    }),
    helper.accessor("bookingId", {
      header: "Booking",
      cell: (info) => <FilterLink param="booking" value={info.getValue()} />,
    }),
    helper.accessor("packageId", {
      header: "Package",
      cell: (info) => <FilterLink param="package" value={info.getValue()} />,
    }),
    helper.accessor("eventAt", {
      header: () => <SortHeader field="eventAt" label="Event time (UTC)" sort={sort} />,
      cell: (info) => {
        const value = info.getValue();
        return value ? (
          <span className="whitespace-nowrap text-muted-foreground">{timeFormat.format(new Date(value))}</span>
        ) : (
          <span className="text-muted-foreground">—</span>
        );
      },
    }),
  ]);
  const table = useTable({ features, columns, data: rows, getRowId: (row) => row.id });

  return <DataTable table={table} empty="No webhook events match." rowTestId={(row) => `webhook-row-${row.id}`} />;
}
