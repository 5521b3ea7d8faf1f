"use client";
import Link from "next/link";
import { createColumnHelper, tableFeatures, useTable } from "@tanstack/react-table";
import type { PromoCodeRow } from "@/lib/promo-codes/queries";
import { Badge } from "@/components/ui/badge";
import { DataTable } from "@/components/data-table";
import { CopyButton } from "@/components/action/copy-button";

const features = tableFeatures({});
const helper = createColumnHelper<typeof features, PromoCodeRow>();
const timeFormat = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
const when = (iso: string) => timeFormat.format(new Date(iso));

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

export function PromoCodeTable({ rows }: { rows: PromoCodeRow[] }) {
  const columns = helper.columns([
    helper.accessor("code", {
      header: "Code",
      cell: (info) => (
        <span className="flex items-center gap-1">
          <code className="text-sm font-semibold">{info.getValue()}</code>
          <CopyButton compact value={info.getValue()} what="code" />
        </span>
      ),
    }),
    helper.accessor("status", {
      header: "Status",
      cell: (info) => (
        <span className="flex flex-col items-start gap-1">
          <Badge variant={info.getValue() === "redeemed" ? "success" : "info"}>{info.getValue()}</Badge>
          {info.row.original.source === "outside" && (
            <span className="text-xs text-muted-foreground">issued outside the console</span>
          )}
        </span>
      ),
    }),
    helper.display({
      id: "package",
      header: "Package",
      cell: (info) => <span className="text-sm">{packageOf(info.row.original)}</span>,
    }),
    helper.accessor("claimUrl", {
      header: "Claim link",
      cell: (info) => <LinkText value={info.getValue()} what="claim link" />,
    }),
    helper.accessor("deepLinkUrl", {
      header: "Deep link",
      cell: (info) => <LinkText value={info.getValue()} what="deep link" />,
    }),
    helper.accessor("issuedAt", {
      header: "Issued (UTC)",
      cell: (info) => {
        const row = info.row.original;
        if (!row.intentId) return <span className="text-xs text-muted-foreground">not by the console</span>;
        return (
          <Link href={`/bookings/${row.intentId}`} className="whitespace-nowrap text-sm hover:underline">
            {info.getValue() ? when(info.getValue()!) : "booking"}
          </Link>
        );
      },
    }),
    helper.accessor("campaignName", {
      header: "Campaign",
      cell: (info) => {
        const row = info.row.original;
        if (!row.campaignId) return <span className="text-muted-foreground">—</span>;
        return (
          <Link href={`/campaigns/${row.campaignId}`} className="text-sm hover:underline">
            {info.getValue() ?? row.campaignId.slice(0, 8)}
            {row.campaignLine !== null ? `, line ${row.campaignLine}` : ""}
          </Link>
        );
      },
    }),
    helper.accessor("redeemedAt", {
      header: "Redeemed (UTC)",
      cell: (info) => {
        const at = info.getValue();
        if (!at) return <span className="text-muted-foreground">—</span>;
        const booking = info.row.original.redemptionBookingId;
        return (
          <span className="flex flex-col">
            <span className="whitespace-nowrap text-sm">{when(at)}</span>
            {booking && <span className="font-mono text-xs text-muted-foreground">{booking}</span>}
          </span>
        );
      },
    }),
  ]);
  const table = useTable({ features, columns, data: rows, getRowId: (row) => row.code });
  return <DataTable table={table} empty="No promo codes match." rowTestId={(row) => `promo-row-${row.code}`} />;
}
