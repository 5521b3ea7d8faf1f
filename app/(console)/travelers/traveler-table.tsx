import { Badge } from "@/components/ui/badge";
import { DataTable, type Column } from "@/components/data-table";
import { IntentLink } from "@/components/list/intent-link";
import { SortHeader } from "@/components/list/sort-header";
import { utcStamp } from "@/lib/format";
import { columnLabels, type HideableColumn } from "@/lib/travelers/columns";
import type { TravelerSort } from "@/lib/travelers/filters";
import type { EsimStatus, TravelerRow } from "@/lib/travelers/queries";
import { ColumnsControl } from "./columns-control";

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
      <IntentLink
        href={`/travelers/${encodeURIComponent(row.externalUserId)}`}
        className="font-mono text-xs hover:underline"
      >
        {row.externalUserId}
      </IntentLink>
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

/**
 * The list's table, rendered on the server: the rows arrive as HTML and only the links, the sort headers and the
 * "Columns" control hydrate (a client table hydrated all 50 rows on every load: main-thread time Lighthouse counts).
 */
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
  return (
    <div className="flex flex-col gap-2">
      <div className="flex flex-wrap items-center justify-end gap-2">
        {children}
        <ColumnsControl hidden={hidden} />
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
