"use client";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { ArrowDown, ArrowUp, Check, Columns3 } from "lucide-react";
import * as DropdownMenu from "@radix-ui/react-dropdown-menu";
import {
  columnVisibilityFeature,
  createColumnHelper,
  functionalUpdate,
  tableFeatures,
  useTable,
  type ColumnVisibilityState,
  type Updater,
} from "@tanstack/react-table";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { DataTable } from "@/components/data-table";
import { columnLabels, hideableColumns, type HideableColumn, type TravelerSort } from "@/lib/travelers/filters";
import type { EsimStatus, TravelerRow } from "@/lib/travelers/queries";

const features = tableFeatures({ columnVisibilityFeature });
const helper = createColumnHelper<typeof features, TravelerRow>();
const timeFormat = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
const dateFormat = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" });

/** A header that links to the same URL sorted by this field (again: the other direction), back on page 1. */
function SortHeader({
  field,
  label,
  sort,
  firstDirection,
}: {
  field: string;
  label: string;
  sort: TravelerSort;
  firstDirection: "asc" | "desc";
}) {
  const pathname = usePathname();
  const params = new URLSearchParams(useSearchParams().toString());
  const active = sort.replace(/^-/, "") === field;
  const descending = sort.startsWith("-");
  const next = active ? (descending ? field : `-${field}`) : firstDirection === "desc" ? `-${field}` : field;
  params.set("sort", next);
  params.delete("page");
  return (
    <Link
      href={`${pathname}?${params.toString()}`}
      className="inline-flex items-center gap-1 hover:underline"
      aria-label={`Sort by ${label}`}
    >
      {label}
      {active &&
        (descending ? (
          <ArrowDown className="h-3 w-3" aria-label="descending" />
        ) : (
          <ArrowUp className="h-3 w-3" aria-label="ascending" />
        ))}
    </Link>
  );
}

const statusBadge: Record<EsimStatus, React.ReactNode> = {
  installed: <Badge variant="success">installed</Badge>,
  removed: <Badge variant="warning">removed</Badge>,
  "not installed": <Badge variant="danger">not installed</Badge>,
  pending: (
    <span className="text-muted-foreground" title="Booked from the console; no webhook from Hubby yet">
      pending
    </span>
  ),
  unknown: <span className="text-muted-foreground">unknown</span>,
};

function When({ at, dateOnly = false }: { at: string | null; dateOnly?: boolean }) {
  if (!at) return <span className="text-muted-foreground">—</span>;
  return <span className="whitespace-nowrap">{(dateOnly ? dateFormat : timeFormat).format(new Date(at))}</span>;
}

export function TravelerTable({
  rows,
  sort,
  hidden,
  children,
}: {
  rows: TravelerRow[];
  sort: TravelerSort;
  hidden: HideableColumn[];
  /** Toolbar actions shown left of the "Columns" menu. */
  children?: React.ReactNode;
}) {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const columnVisibility: ColumnVisibilityState = Object.fromEntries(hidden.map((id) => [id, false]));

  // Column visibility lives in the URL (?hide=), so a shared link or a reload shows the same columns.
  const onColumnVisibilityChange = (updater: Updater<ColumnVisibilityState>) => {
    const next = functionalUpdate(updater, columnVisibility);
    const hide = hideableColumns.filter((id) => next[id] === false);
    const params = new URLSearchParams(searchParams.toString());
    if (hide.length) params.set("hide", hide.join(","));
    else params.delete("hide");
    const search = params.toString();
    router.replace(search ? `${pathname}?${search}` : pathname, { scroll: false });
  };

  const columns = helper.columns([
    helper.accessor("externalUserId", {
      id: "externalUserId",
      enableHiding: false,
      header: () => <SortHeader field="externalUserId" label="external_user_id" sort={sort} firstDirection="asc" />,
      cell: (info) => (
        <Link href={`/travelers/${encodeURIComponent(info.getValue())}`} className="font-mono text-xs hover:underline">
          {info.getValue()}
        </Link>
      ),
    }),
    helper.accessor("esimStatus", {
      id: "esim",
      header: columnLabels.esim,
      cell: (info) => statusBadge[info.getValue()],
    }),
    helper.accessor("esimStateAt", {
      id: "installed",
      header: columnLabels.installed,
      cell: (info) =>
        info.row.original.esimStatus === "installed" ? (
          <span className="whitespace-nowrap">
            yes <span className="text-muted-foreground">· {timeFormat.format(new Date(info.getValue() ?? 0))}</span>
          </span>
        ) : (
          "no"
        ),
    }),
    helper.accessor("activePackages", { id: "activePackages", header: columnLabels.activePackages }),
    helper.accessor("usagePercent", {
      id: "usage",
      header: () => <SortHeader field="usage" label={columnLabels.usage} sort={sort} firstDirection="desc" />,
      cell: (info) =>
        info.getValue() === null ? <span className="text-muted-foreground">—</span> : `${info.getValue()}%`,
    }),
    helper.accessor("nextDepartureAt", {
      id: "nextDeparture",
      header: () => (
        <SortHeader field="departure" label={`${columnLabels.nextDeparture} (UTC)`} sort={sort} firstDirection="asc" />
      ),
      cell: (info) => (
        <span className="inline-flex items-center gap-1">
          <When at={info.getValue()} dateOnly={info.row.original.nextDepartureDateOnly} />
          {info.getValue() && info.row.original.nextDepartureDateOnly && (
            <Badge title="The booking gives a date without a time">date only</Badge>
          )}
        </span>
      ),
    }),
    helper.accessor("lastEventAt", {
      id: "lastEvent",
      header: () => (
        <SortHeader field="lastEvent" label={`${columnLabels.lastEvent} (UTC)`} sort={sort} firstDirection="desc" />
      ),
      cell: (info) => (
        <span className="inline-flex items-center gap-1">
          <When at={info.getValue()} />
          <span className="font-mono text-xs text-muted-foreground">{info.row.original.lastEventType}</span>
        </span>
      ),
    }),
  ]);

  const table = useTable({
    features,
    columns,
    data: rows,
    getRowId: (row) => row.externalUserId,
    state: { columnVisibility },
    onColumnVisibilityChange,
  });

  return (
    <div className="flex flex-col gap-2">
      <div className="flex flex-wrap items-center justify-end gap-2">
        {children}
        <DropdownMenu.Root>
          <DropdownMenu.Trigger asChild>
            <Button type="button" variant="outline" size="sm">
              <Columns3 className="h-4 w-4" aria-hidden />
              Columns
            </Button>
          </DropdownMenu.Trigger>
          <DropdownMenu.Portal>
            <DropdownMenu.Content
              align="end"
              sideOffset={4}
              className="z-50 min-w-48 rounded-md border border-border bg-card p-1 text-sm shadow-md"
            >
              <DropdownMenu.Label className="px-2 py-1 text-xs text-muted-foreground">Shown columns</DropdownMenu.Label>
              {table
                .getAllLeafColumns()
                .filter((column) => column.getCanHide())
                .map((column) => (
                  <DropdownMenu.CheckboxItem
                    key={column.id}
                    checked={column.getIsVisible()}
                    onCheckedChange={(checked) => column.toggleVisibility(checked)}
                    className="flex cursor-pointer items-center gap-2 rounded px-2 py-1.5 outline-none data-[highlighted]:bg-muted"
                  >
                    <span className="flex h-4 w-4 items-center justify-center">
                      <DropdownMenu.ItemIndicator>
                        <Check className="h-4 w-4" aria-hidden />
                      </DropdownMenu.ItemIndicator>
                    </span>
                    {columnLabels[column.id as HideableColumn]}
                  </DropdownMenu.CheckboxItem>
                ))}
            </DropdownMenu.Content>
          </DropdownMenu.Portal>
        </DropdownMenu.Root>
      </div>
      <DataTable table={table} empty="No travelers match." rowTestId={(row) => `traveler-row-${row.externalUserId}`} />
    </div>
  );
}
