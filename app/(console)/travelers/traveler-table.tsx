"use client";
import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";
import { ArrowDown, ArrowUp } from "lucide-react";
import { createColumnHelper, tableFeatures, useTable } from "@tanstack/react-table";
import { Badge } from "@/components/ui/badge";
import { DataTable } from "@/components/data-table";

export type TravelerTableRow = {
  externalUserId: string;
  iccid: string | null;
  esimState: string | null;
  activePackages: number;
  maxUsage: number | null;
  lastEventType: string | null;
  lastEventAt: string | null;
};

const features = tableFeatures({});
const helper = createColumnHelper<typeof features, TravelerTableRow>();
const timeFormat = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

function SortHeader({ field, label, sort }: { field: string; label: string; sort: string }) {
  const pathname = usePathname();
  const params = new URLSearchParams(useSearchParams().toString());
  const active = sort.replace(/^-/, "") === field;
  const descending = sort.startsWith("-");
  params.set("sort", active && !descending ? `-${field}` : active ? field : field === "usage" ? "-usage" : field);
  params.delete("page");
  return (
    <Link href={`${pathname}?${params.toString()}`} className="inline-flex items-center gap-1 hover:underline">
      {label}
      {active &&
        (descending ? <ArrowDown className="h-3 w-3" aria-hidden /> : <ArrowUp className="h-3 w-3" aria-hidden />)}
    </Link>
  );
}

export function TravelerTable({ rows, sort }: { rows: TravelerTableRow[]; sort: string }) {
  const columns = helper.columns([
    helper.accessor("externalUserId", {
      header: () => <SortHeader field="externalUserId" label="external_user_id" sort={sort} />,
      cell: (info) => (
        <Link href={`/travelers/${encodeURIComponent(info.getValue())}`} className="font-mono text-xs hover:underline">
          {info.getValue()}
        </Link>
      ),
    }),
    helper.accessor("esimState", {
      header: "eSIM",
      cell: (info) => {
        const state = info.getValue();
        if (state === "installed") return <Badge variant="success">installed</Badge>;
        if (state === "removed") return <Badge variant="warning">removed</Badge>;
        return <span className="text-muted-foreground">{info.row.original.iccid ? "not installed" : "—"}</span>;
      },
    }),
    helper.accessor("activePackages", { header: "Active packages" }),
    helper.accessor("maxUsage", {
      header: () => <SortHeader field="usage" label="Usage %" sort={sort} />,
      cell: (info) => (info.getValue() === null ? "—" : `${info.getValue()}%`),
    }),
    helper.accessor("lastEventAt", {
      header: () => <SortHeader field="lastSeenAt" label="Last event (UTC)" sort={sort} />,
      cell: (info) => {
        const at = info.getValue();
        return at ? (
          <span className="whitespace-nowrap">
            {timeFormat.format(new Date(at))}{" "}
            <span className="font-mono text-xs text-muted-foreground">{info.row.original.lastEventType}</span>
          </span>
        ) : (
          "—"
        );
      },
    }),
  ]);
  const table = useTable({ features, columns, data: rows, getRowId: (row) => row.externalUserId });
  return (
    <DataTable table={table} empty="No travelers match." rowTestId={(row) => `traveler-row-${row.externalUserId}`} />
  );
}
