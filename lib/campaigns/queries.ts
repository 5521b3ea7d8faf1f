import "server-only";
import { z } from "zod";
import { db } from "../db";
import { pageParam, readListPage } from "../list-query";
import type { CampaignRowState } from "../generated/prisma/client";

export const CAMPAIGN_PAGE_SIZE = 50;

const MAX_PAGE = 10_000;

/** /campaigns URL state. */
export const campaignListQuerySchema = z.object({ page: pageParam(MAX_PAGE) });

/** Campaign ids are uuids: anything else (36 dashes fits a looser pattern) never reaches the uuid column. */
const isCampaignId = (id: string) => z.uuid().safeParse(id).success;

export async function listCampaigns(page: number) {
  return readListPage(
    { page, pageSize: CAMPAIGN_PAGE_SIZE },
    {
      rows: (window) =>
        db().campaign.findMany({
          orderBy: { createdAt: "desc" },
          ...window,
          select: {
            id: true,
            name: true,
            fileName: true,
            status: true,
            statusNote: true,
            rowCount: true,
            checkedRows: true,
            validCount: true,
            costCents: true,
            currency: true,
            actorEmail: true,
            createdAt: true,
          },
        }),
      total: () => db().campaign.count(),
    },
  );
}
export type CampaignListRow = Awaited<ReturnType<typeof listCampaigns>>["rows"][number];

export type PerDestination = { destination: string; rows: number; costCents: number; priceCents: number };

export async function getCampaign(id: string) {
  if (!isCampaignId(id)) return null;
  const campaign = await db().campaign.findUnique({
    where: { id },
    select: {
      id: true,
      name: true,
      fileName: true,
      checksum: true,
      status: true,
      statusNote: true,
      rowCount: true,
      checkedRows: true,
      validCount: true,
      errorCount: true,
      travelers: true,
      packages: true,
      promoCodeRows: true,
      costCents: true,
      priceCents: true,
      currency: true,
      perDestination: true,
      actorEmail: true,
      startedByEmail: true,
      startedAt: true,
      finishedAt: true,
      createdAt: true,
    },
  });
  return campaign ? { ...campaign, perDestination: campaign.perDestination as PerDestination[] } : null;
}

export type Progress = {
  status: string;
  statusNote: string | null;
  total: number;
  sent: number;
  failed: number;
  unknown: number;
  /** Rows whose booking no lookup could prove absent or present: they wait for staff (the review queue). */
  review: number;
  remaining: number;
  /** Rows settled per second since the start, and the estimated seconds left at that rate. */
  rate: number | null;
  etaSeconds: number | null;
  /** While the dry run checks the file: rows read so far, and the row count estimated from the file's size. */
  checked: number;
  expected: number | null;
};

/** One grouped count: what the progress bar polls every second. */
export async function campaignProgress(id: string): Promise<Progress | null> {
  if (!isCampaignId(id)) return null;
  const campaign = await db().campaign.findUnique({
    where: { id },
    select: {
      status: true,
      statusNote: true,
      validCount: true,
      rowCount: true,
      checkedRows: true,
      startedAt: true,
      finishedAt: true,
    },
  });
  if (!campaign) return null;
  const checking = {
    checked: campaign.checkedRows,
    // rowCount holds the upload's estimate until the check ends.
    expected: campaign.status === "checking" ? campaign.rowCount || null : campaign.rowCount,
  };
  if (campaign.status === "checking" || campaign.status === "rejected") {
    // No row can be sent yet (or ever): nothing to count.
    return {
      status: campaign.status,
      statusNote: campaign.statusNote,
      total: 0,
      sent: 0,
      failed: 0,
      unknown: 0,
      review: 0,
      remaining: 0,
      rate: null,
      etaSeconds: null,
      ...checking,
    };
  }
  const groups = await db().campaignRow.groupBy({
    by: ["state"],
    where: { campaignId: id, state: { not: "invalid" } },
    _count: { _all: true },
  });
  const count = (state: CampaignRowState) => groups.find((group) => group.state === state)?._count._all ?? 0;
  const sent = count("sent");
  const failed = count("failed");
  const unknown = count("unknown");
  const review = count("review");
  const remaining = count("pending") + count("sending");
  const settled = sent + failed + review;
  const end = campaign.finishedAt?.getTime() ?? Date.now();
  const seconds = campaign.startedAt ? (end - campaign.startedAt.getTime()) / 1000 : 0;
  const rate = seconds > 0 && settled > 0 ? settled / seconds : null;
  return {
    status: campaign.status,
    statusNote: campaign.statusNote,
    total: campaign.validCount,
    sent,
    failed,
    unknown,
    review,
    remaining,
    rate,
    etaSeconds: rate && campaign.status === "running" ? Math.round((remaining + unknown) / rate) : null,
    ...checking,
  };
}

export const ROW_FILTERS = ["all", "errors", "invalid", "sent", "failed", "unknown", "review", "pending"] as const;
export type RowFilter = (typeof ROW_FILTERS)[number];

/** A campaign page's URL state: the row table's filter (its default depends on the campaign's status) and page. */
export const campaignPageQuerySchema = z.object({
  rows: z.enum(ROW_FILTERS).optional().catch(undefined),
  page: pageParam(MAX_PAGE),
});

/** /campaigns/<id>/rows.csv?only=errors: the dry run's error table instead of every row. */
export const campaignRowsDownloadQuerySchema = z.object({ only: z.literal("errors").optional().catch(undefined) });

function rowWhere(id: string, filter: RowFilter) {
  if (filter === "all") return { campaignId: id };
  if (filter === "errors")
    return { campaignId: id, state: { in: ["invalid", "failed", "unknown", "review"] as CampaignRowState[] } };
  if (filter === "pending") return { campaignId: id, state: { in: ["pending", "sending"] as CampaignRowState[] } };
  return { campaignId: id, state: filter };
}

const rowSelect = {
  line: true,
  state: true,
  externalUserId: true,
  destinations: true,
  costCents: true,
  error: true,
  intentId: true,
  hubbyBookingId: true,
  packageIds: true,
} as const;

export async function campaignRows(id: string, filter: RowFilter, page: number, pageSize = CAMPAIGN_PAGE_SIZE) {
  const where = rowWhere(id, filter);
  return readListPage(
    { page, pageSize },
    {
      rows: (window) => db().campaignRow.findMany({ where, orderBy: { line: "asc" }, ...window, select: rowSelect }),
      total: () => db().campaignRow.count({ where }),
    },
  );
}
export type CampaignRowView = Awaited<ReturnType<typeof campaignRows>>["rows"][number];

/** Every row in line order, in batches (for the CSV downloads). */
export async function* allCampaignRows(id: string, filter: RowFilter, batch = 2000) {
  let after = 0;
  for (;;) {
    const rows = await db().campaignRow.findMany({
      where: { ...rowWhere(id, filter), line: { gt: after } },
      orderBy: { line: "asc" },
      take: batch,
      select: rowSelect,
    });
    if (rows.length === 0) return;
    yield rows;
    after = rows[rows.length - 1]!.line;
  }
}
