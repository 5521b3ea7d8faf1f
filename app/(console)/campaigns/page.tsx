import type { Metadata } from "next";
import { IntentLink } from "@/components/list/intent-link";
import { DataTable, type Column } from "@/components/data-table";
import { IgnoredParamsNotice } from "@/components/ignored-params-notice";
import { ListHeader } from "@/components/list/list-header";
import { Pagination } from "@/components/pagination";
import { buttonVariants } from "@/components/ui/button";
import { requirePermission } from "@/lib/auth/staff";
import { formatMoney } from "@/lib/bookings/quote";
import { campaignListQuerySchema, listCampaigns, type CampaignListRow } from "@/lib/campaigns/queries";
import { formatNumber, utcStamp } from "@/lib/format";
import { parseSearchParams, type RawSearchParams } from "@/lib/url-params";

export const metadata: Metadata = { title: "Campaigns" };

// Totals exist once the dry run has checked every row.
const hasTotals = (status: string) => status !== "checking" && status !== "rejected";

const columns: Column<CampaignListRow>[] = [
  {
    id: "name",
    header: "Name",
    cell: (row) => (
      <IntentLink href={`/campaigns/${row.id}`} className="underline">
        {row.name}
      </IntentLink>
    ),
  },
  {
    id: "status",
    header: "Status",
    cell: (row) =>
      row.status === "checking" ? (
        `checking: ${formatNumber(row.checkedRows)} rows so far`
      ) : row.status === "rejected" ? (
        <span className="flex flex-col">
          rejected
          <span className="text-xs text-destructive">{row.statusNote}</span>
        </span>
      ) : (
        row.status
      ),
  },
  { id: "file", header: "File", cell: (row) => row.fileName },
  {
    id: "rows",
    header: "Rows (valid)",
    cell: (row) => (hasTotals(row.status) ? `${row.rowCount} (${row.validCount})` : "—"),
  },
  {
    id: "cost",
    header: "B2B cost",
    cell: (row) => (hasTotals(row.status) ? formatMoney(row.costCents, row.currency) : "—"),
  },
  { id: "by", header: "By", cell: (row) => row.actorEmail },
  { id: "created", header: "Created", cell: (row) => utcStamp(row.createdAt, { suffix: false }) },
];

export default async function CampaignsPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  await requirePermission("campaigns.run");
  const { values: query, ignored } = parseSearchParams(campaignListQuerySchema, await searchParams);
  const { rows, total, pageSize } = await listCampaigns(query.page);
  return (
    <div className="flex flex-col gap-4">
      <ListHeader
        title="Campaigns"
        actions={
          <IntentLink href="/campaigns/new" className={buttonVariants()}>
            New campaign
          </IntentLink>
        }
      >
        Bulk issues from a CSV file: a dry run first, then one booking per row, never twice.
      </ListHeader>
      <IgnoredParamsNotice names={ignored} />
      <DataTable label="Campaigns" columns={columns} rows={rows} empty="No campaigns yet." />
      <Pagination page={query.page} pageSize={pageSize} total={total} />
    </div>
  );
}
