import type { Metadata } from "next";
import Link from "next/link";
import { Pagination } from "@/components/pagination";
import { buttonVariants } from "@/components/ui/button";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";

import { requirePermission } from "@/lib/auth/staff";
import { formatMoney } from "@/lib/bookings/quote";
import { CAMPAIGN_PAGE_SIZE, campaignListQuerySchema, listCampaigns } from "@/lib/campaigns/queries";
import { parseSearchParams, type RawSearchParams } from "@/lib/url-params";
import { IgnoredParamsNotice } from "@/components/ignored-params-notice";

export const metadata: Metadata = { title: "Campaigns" };

const hasTotals = (status: string) => status !== "checking" && status !== "rejected";

export default async function CampaignsPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  await requirePermission("campaigns.run");
  const {
    values: { page },
    ignored,
  } = parseSearchParams(campaignListQuerySchema, await searchParams);
  const { total, rows } = await listCampaigns(page);
  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <div>
          <h1 className="text-xl font-semibold">Campaigns</h1>
          <p className="text-sm text-muted-foreground">
            Bulk issues from a CSV file: a dry run first, then one booking per row, never twice.
          </p>
        </div>
        <Link href="/campaigns/new" className={buttonVariants()}>
          New campaign
        </Link>
      </div>
      <IgnoredParamsNotice names={ignored} />
      <Table aria-label="Campaigns">
        <TableHeader>
          <TableRow>
            <TableHead>Name</TableHead>
            <TableHead>Status</TableHead>
            <TableHead>File</TableHead>
            <TableHead>Rows (valid)</TableHead>
            <TableHead>B2B cost</TableHead>
            <TableHead>By</TableHead>
            <TableHead>Created</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {rows.length === 0 && (
            <TableRow>
              <TableCell colSpan={7} className="text-muted-foreground">
                No campaigns yet.
              </TableCell>
            </TableRow>
          )}
          {rows.map((row) => (
            <TableRow key={row.id}>
              <TableCell>
                <Link href={`/campaigns/${row.id}`} className="underline">
                  {row.name}
                </Link>
              </TableCell>
              <TableCell>
                {row.status === "checking" ? (
                  `checking: ${row.checkedRows.toLocaleString("en")} rows so far`
                ) : row.status === "rejected" ? (
                  <span className="flex flex-col">
                    rejected
                    <span className="text-xs text-destructive">{row.statusNote}</span>
                  </span>
                ) : (
                  row.status
                )}
              </TableCell>
              <TableCell>{row.fileName}</TableCell>
              {/* Totals exist once the dry run has checked every row. */}
              <TableCell>{hasTotals(row.status) ? `${row.rowCount} (${row.validCount})` : "—"}</TableCell>
              <TableCell>{hasTotals(row.status) ? formatMoney(row.costCents, row.currency) : "—"}</TableCell>
              <TableCell>{row.actorEmail}</TableCell>
              <TableCell>{row.createdAt.toISOString().slice(0, 16).replace("T", " ")}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <Pagination page={page} pageSize={CAMPAIGN_PAGE_SIZE} total={total} />
    </div>
  );
}
