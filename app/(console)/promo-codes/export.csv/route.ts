import { audit } from "@/lib/audit/audit";

import { requirePermission } from "@/lib/auth/staff";
import { csvLine, csvStream } from "@/lib/csv";
import { promoCodeFilterKey, readPromoCodeQuery } from "@/lib/promo-codes/filters";
import {
  countPromoCodes,
  exportPromoCodes,
  PROMO_CODE_EXPORT_MAX_ROWS,
  type PromoCodeRow,
} from "@/lib/promo-codes/queries";
import { storeMissingPromoCodes } from "@/lib/promo-codes/store";
import { getRequestId } from "@/lib/request-id";
import { unreadableParamsResponse } from "@/lib/url-params";

const HEADER = [
  "promo_code",
  "status",
  "issued_by",
  "uuid",
  "claim_url",
  "deep_link_url",
  "package_id",
  "package_size",
  "destination",
  "iso3",
  "package_type",
  "package_duration",
  "hubby_booking_id",
  "booking_intent_id",
  "campaign_id",
  "campaign_name",
  "campaign_line",
  "issued_at",
  "redeemed_at",
  "redemption_booking_id",
];

const line = (row: PromoCodeRow) =>
  csvLine([
    row.code,
    row.status,
    row.source === "console" ? "console" : "outside the console",
    row.uuid,
    row.claimUrl,
    row.deepLinkUrl,
    row.packageId,
    row.packageSize,
    row.destination,
    row.iso3,
    row.packageType,
    row.packageDuration,
    row.hubbyBookingId,
    row.intentId,
    row.campaignId,
    row.campaignName,
    row.campaignLine,
    row.issuedAt,
    row.redeemedAt,
    row.redemptionBookingId,
  ]);

/**
 * GET /promo-codes/export.csv?<the screen's filter>: every matching code (not only the shown page), newest first,
 * streamed in batches, spreadsheet formulas defused (lib/csv.ts). Refused above PROMO_CODE_EXPORT_MAX_ROWS. Codes
 * are vouchers: exporting them is for those who issue them, and audited.
 */
export async function GET(request: Request) {
  const staff = await requirePermission("promoCodes.export");
  const requestId = await getRequestId();
  const { values: query, ignored } = readPromoCodeQuery(new URL(request.url).searchParams);
  // A download has no screen to say which part of the filter was ignored: exporting other codes would mislead.
  if (ignored.length > 0) return unreadableParamsResponse(ignored);
  await storeMissingPromoCodes();
  const total = await countPromoCodes(query);
  const details = { filter: promoCodeFilterKey(query), rows: total };
  if (total > PROMO_CODE_EXPORT_MAX_ROWS) {
    await audit({
      actor: staff,
      action: "promo_codes.export",
      result: "refused",
      details: { ...details, reason: "too_many_rows" },
      requestId,
    });
    return new Response(
      `This filter matches ${total.toLocaleString("en-GB")} codes; one export holds at most ` +
        `${PROMO_CODE_EXPORT_MAX_ROWS.toLocaleString("en-GB")}. Narrow the filter and export again.\n`,
      { status: 413, headers: { "content-type": "text/plain; charset=utf-8" } },
    );
  }
  await audit({ actor: staff, action: "promo_codes.export", result: "ok", details, requestId });

  const body = csvStream(HEADER, exportPromoCodes(query), line, `promo_codes.export request ${requestId}`);
  const stamp = new Date().toISOString().slice(0, 16).replace(/[-:]/g, "").replace("T", "-");
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="promo-codes-${stamp}.csv"`,
      "cache-control": "no-store",
      "x-request-id": requestId,
    },
  });
}
