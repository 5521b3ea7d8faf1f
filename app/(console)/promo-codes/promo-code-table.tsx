import { IntentLink } from "@/components/list/intent-link";
import { utcStamp } from "@/lib/format";
import type { PromoCodeRow } from "@/lib/promo-codes/queries";
import { Badge } from "@/components/ui/badge";
import { DataTable, type Column } from "@/components/data-table";
import { CopyButton } from "@/components/action/copy-button";

/** A link as text with a copy button: shown, never followed or fetched by the console. */
function LinkText({ value, what }: { value: string | null; what: string }) {
  if (!value) return <span className="text-muted-foreground">—</span>;
  return (
    <span className="flex max-w-64 items-start gap-1">
      <code className="break-all text-xs" title={value}>
        {value}
      </code>
      <CopyButton compact value={value} what={what} />
    </span>
  );
}

function packageOf(row: PromoCodeRow): string {
  const place = row.destination ? `${row.destination}${row.iso3 ? ` (${row.iso3})` : ""}` : (row.iso3 ?? "");
  const what = [row.packageSize, row.packageType].filter(Boolean).join(" ");
  const days = row.packageDuration !== null ? `${row.packageDuration} days` : "";
  return [place, what, days].filter(Boolean).join(" · ") || "—";
}

const columns: Column<PromoCodeRow>[] = [
  {
    id: "code",
    header: "Code",
    cell: (row) => (
      <span className="flex items-center gap-1">
        <code className="text-sm font-semibold">{row.code}</code>
        <CopyButton compact value={row.code} what="code" />
      </span>
    ),
  },
  {
    id: "status",
    header: "Status",
    cell: (row) => (
      <span className="flex flex-col items-start gap-1">
        <Badge variant={row.status === "redeemed" ? "success" : "info"}>{row.status}</Badge>
        {row.source === "outside" && <span className="text-xs text-muted-foreground">issued outside the console</span>}
      </span>
    ),
  },
  { id: "package", header: "Package", cell: (row) => <span className="text-sm">{packageOf(row)}</span> },
  { id: "claimUrl", header: "Claim link", cell: (row) => <LinkText value={row.claimUrl} what="claim link" /> },
  { id: "deepLinkUrl", header: "Deep link", cell: (row) => <LinkText value={row.deepLinkUrl} what="deep link" /> },
  {
    id: "issuedAt",
    header: "Issued (UTC)",
    cell: (row) =>
      row.intentId ? (
        <IntentLink href={`/bookings/${row.intentId}`} className="whitespace-nowrap text-sm hover:underline">
          {row.issuedAt ? utcStamp(row.issuedAt, { suffix: false }) : "booking"}
        </IntentLink>
      ) : (
        <span className="text-xs text-muted-foreground">not by the console</span>
      ),
  },
  {
    id: "campaign",
    header: "Campaign",
    cell: (row) =>
      row.campaignId ? (
        <IntentLink href={`/campaigns/${row.campaignId}`} className="text-sm hover:underline">
          {row.campaignName ?? row.campaignId.slice(0, 8)}
          {row.campaignLine !== null ? `, line ${row.campaignLine}` : ""}
        </IntentLink>
      ) : (
        <span className="text-muted-foreground">—</span>
      ),
  },
  {
    id: "redeemedAt",
    header: "Redeemed (UTC)",
    cell: (row) =>
      row.redeemedAt ? (
        <span className="flex flex-col">
          <span className="whitespace-nowrap text-sm">{utcStamp(row.redeemedAt, { suffix: false })}</span>
          {row.redemptionBookingId && (
            <span className="font-mono text-xs text-muted-foreground">{row.redemptionBookingId}</span>
          )}
        </span>
      ) : (
        <span className="text-muted-foreground">—</span>
      ),
  },
];

export function PromoCodeTable({ rows }: { rows: PromoCodeRow[] }) {
  return (
    <DataTable
      columns={columns}
      rows={rows}
      rowKey={(row) => row.code}
      empty="No promo codes match."
      testIdPrefix="promo-row-"
    />
  );
}
