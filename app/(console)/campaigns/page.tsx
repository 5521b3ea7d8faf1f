import type { Metadata } from "next";
import Link from "next/link";
import { Pagination } from "@/components/pagination";
import { buttonVariants } from "@/components/ui/button";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { rolesFor } from "@/lib/auth/roles";
import { requireStaff } from "@/lib/auth/staff";
import { formatMoney } from "@/lib/bookings/quote";
import { CAMPAIGN_PAGE_SIZE, listCampaigns } from "@/lib/campaigns/queries";

export const metadata: Metadata = { title: "Campaigns" };

const hasTotals = (status: string) => status !== "checking" && status !== "rejected";

export default async function CampaignsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requireStaff(...rolesFor("campaigns.run"));
  const query = await searchParams;
  const page = Math.max(1, Math.min(10_000, Number.parseInt(String(query.page ?? "1"), 10) || 1));
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
