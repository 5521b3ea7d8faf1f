"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { Check, Columns3 } from "lucide-react";
import * as DropdownMenu from "@radix-ui/react-dropdown-menu";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { DataTable, type Column } from "@/components/data-table";
import { SortHeader } from "@/components/list/sort-header";
import { useHrefWith } from "@/components/list/use-href-with";
import { utcStamp } from "@/lib/format";
import { columnLabels, hideableColumns, type HideableColumn, type TravelerSort } from "@/lib/travelers/filters";
import type { EsimStatus, TravelerRow } from "@/lib/travelers/queries";

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
  return <span className="whitespace-nowrap">{utcStamp(at, { precision: dateOnly ? "day" : "minute" })}</span>;
}

const columns = (sort: TravelerSort): Column<TravelerRow>[] => [
  {
    id: "externalUserId",
    header: <SortHeader field="externalUserId" label="external_user_id" sort={sort} firstDirection="asc" />,
    cell: (row) => (
      <Link href={`/travelers/${encodeURIComponent(row.externalUserId)}`} className="font-mono text-xs hover:underline">
        {row.externalUserId}
      </Link>
    ),
  },
  { id: "esim", header: columnLabels.esim, cell: (row) => statusBadge[row.esimStatus] },
  {
    id: "installed",
    header: columnLabels.installed,
    cell: (row) =>
      row.esimStatus === "installed" ? (
        <span className="whitespace-nowrap">
          yes <span className="text-muted-foreground">· {utcStamp(row.esimStateAt)}</span>
        </span>
      ) : (
        "no"
      ),
  },
  { id: "activePackages", header: columnLabels.activePackages, cell: (row) => row.activePackages },
  {
    id: "usage",
    header: <SortHeader field="usage" label={columnLabels.usage} sort={sort} firstDirection="desc" />,
    cell: (row) =>
      row.usagePercent === null ? <span className="text-muted-foreground">—</span> : `${row.usagePercent}%`,
  },
  {
    id: "nextDeparture",
    header: (
      <SortHeader field="departure" label={`${columnLabels.nextDeparture} (UTC)`} sort={sort} firstDirection="asc" />
    ),
    cell: (row) => (
      <span className="inline-flex items-center gap-1">
        <When at={row.nextDepartureAt} dateOnly={row.nextDepartureDateOnly} />
        {row.nextDepartureAt && row.nextDepartureDateOnly && (
          <Badge title="The booking gives a date without a time">date only</Badge>
        )}
      </span>
    ),
  },
  {
    id: "lastEvent",
    header: (
      <SortHeader field="lastEvent" label={`${columnLabels.lastEvent} (UTC)`} sort={sort} firstDirection="desc" />
    ),
    cell: (row) => (
      <span className="inline-flex items-center gap-1">
        <When at={row.lastEventAt} />
        <span className="font-mono text-xs text-muted-foreground">{row.lastEventType}</span>
      </span>
    ),
  },
];

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
  const href = useHrefWith();

  // Column visibility lives in the URL (?hide=), so a shared link or a reload shows the same columns.
  const setVisible = (column: HideableColumn, visible: boolean) => {
    const hide = hideableColumns.filter((id) => (id === column ? !visible : hidden.includes(id)));
    router.replace(href({ hide: hide.length ? hide.join(",") : null }), { scroll: false });
  };

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
              {hideableColumns.map((column) => (
                <DropdownMenu.CheckboxItem
                  key={column}
                  checked={!hidden.includes(column)}
                  onCheckedChange={(checked) => setVisible(column, checked)}
                  className="flex cursor-pointer items-center gap-2 rounded px-2 py-1.5 outline-none data-[highlighted]:bg-muted"
                >
                  <span className="flex h-4 w-4 items-center justify-center">
                    <DropdownMenu.ItemIndicator>
                      <Check className="h-4 w-4" aria-hidden />
                    </DropdownMenu.ItemIndicator>
                  </span>
                  {columnLabels[column]}
                </DropdownMenu.CheckboxItem>
              ))}
            </DropdownMenu.Content>
          </DropdownMenu.Portal>
        </DropdownMenu.Root>
      </div>
      <DataTable
        columns={columns(sort)}
        rows={rows}
        rowKey={(row) => row.externalUserId}
        hidden={hidden}
        empty="No travelers match."
        testIdPrefix="traveler-row-"
      />
    </div>
  );
}
