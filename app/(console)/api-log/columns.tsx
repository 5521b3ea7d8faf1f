import { IntentLink } from "@/components/list/intent-link";
import type { ApiCallRow } from "@/lib/hubby/api-log-queries";
import { formatNumber, utcStamp } from "@/lib/format";
import type { Column } from "@/components/data-table";
import { Badge } from "@/components/ui/badge";

export function statusBadge(row: Pick<ApiCallRow, "status" | "ok" | "errorKind">): {
  label: string;
  variant: "success" | "warning" | "danger";
} {
  if (row.status === null) return { label: row.errorKind ?? "no response", variant: "danger" };
  if (row.ok) return { label: String(row.status), variant: "success" };
  if (row.status >= 400 && row.status < 500) return { label: String(row.status), variant: "warning" };
  return { label: String(row.status), variant: "danger" };
}

/**
 * One line per attempt: every cell stays on one line (long values are cut, with the whole value as a tooltip), so
 * rows are one text line high and the table fits a laptop screen. The path, the request id and the full error are
 * on the attempt's own page, which the time links to.
 */
export const apiCallColumns: Column<ApiCallRow>[] = [
  {
    id: "at",
    header: "Time (UTC)",
    className: "whitespace-nowrap",
    cell: (row) => (
      <IntentLink href={`/api-log/${row.id}`} className="hover:underline" title="Request and response of this attempt">
        {utcStamp(row.at, { precision: "second", suffix: false })}
      </IntentLink>
    ),
  },
  {
    id: "endpoint",
    header: "Endpoint",
    className: "max-w-72 truncate",
    cell: (row) => (
      <code className="text-xs" title={row.path}>
        {row.endpoint}
      </code>
    ),
  },
  {
    id: "status",
    header: "Status",
    className: "whitespace-nowrap",
    cell: (row) => {
      const badge = statusBadge(row);
      return (
        <>
          <Badge variant={badge.variant}>{badge.label}</Badge>
          {row.attempt > 1 && <span className="ml-1 text-xs text-muted-foreground">retry {row.attempt}</span>}
        </>
      );
    },
  },
  {
    id: "duration",
    header: "Duration (ms)",
    headClassName: "text-right",
    className: "whitespace-nowrap text-right tabular-nums",
    cell: (row) => formatNumber(row.durationMs),
  },
  {
    id: "staff",
    header: "Staff",
    className: "max-w-48 truncate",
    cell: (row) =>
      row.staffEmail ? (
        <span title={row.staffEmail}>{row.staffEmail}</span>
      ) : (
        <span className="text-muted-foreground">system</span>
      ),
  },
  {
    id: "traveler",
    header: "Traveler",
    className: "max-w-40 truncate",
    cell: (row) =>
      row.externalUserId ? (
        <IntentLink
          className="font-mono text-xs hover:underline"
          href={`/travelers/${encodeURIComponent(row.externalUserId)}`}
          title={row.externalUserId}
        >
          {row.externalUserId}
        </IntentLink>
      ) : (
        <span className="text-muted-foreground">—</span>
      ),
  },
  {
    id: "error",
    header: "Error",
    className: "max-w-xs truncate text-xs",
    cell: (row) =>
      row.errorMessage || row.errorCode ? (
        <span title={[row.errorMessage, row.errorCode && `[${row.errorCode}]`].filter(Boolean).join(" ")}>
          {row.errorMessage}
          {row.errorCode && <code className="ml-1 text-muted-foreground">[{row.errorCode}]</code>}
        </span>
      ) : (
        <span className="text-muted-foreground">—</span>
      ),
  },
];
