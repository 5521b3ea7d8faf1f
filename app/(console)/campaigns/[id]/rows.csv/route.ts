import { audit } from "@/lib/audit/audit";

import { requirePermission } from "@/lib/auth/staff";
import { allCampaignRows, campaignRowsDownloadQuerySchema, getCampaign } from "@/lib/campaigns/queries";
import { csvLine } from "@/lib/csv";
import { getRequestId } from "@/lib/request-id";
import { parseRouteParams, parseSearchParams, unreadableParamsResponse, uuidRouteParams } from "@/lib/url-params";

const HEADER = [
  "line",
  "outcome",
  "external_user_id",
  "destination",
  "cost_cents",
  "booking_id",
  "package_ids",
  "error",
];

/**
 * GET /campaigns/<id>/rows.csv: every row with its outcome (the result file); ?only=errors for the dry run's
 * error table (invalid, failed and unknown rows). Streamed in batches of rows, in line order. Audited.
 */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const staff = await requirePermission("campaigns.run");
  const route = parseRouteParams(uuidRouteParams, await params);
  const campaign = route && (await getCampaign(route.id));
  if (!campaign) return new Response("No such campaign.", { status: 404 });
  const { id } = campaign;
  const { values: query, ignored } = parseSearchParams(
    campaignRowsDownloadQuerySchema,
    new URL(request.url).searchParams,
  );
  if (ignored.length > 0) return unreadableParamsResponse(ignored);
  const errorsOnly = query.only === "errors";
  await audit({
    actor: staff,
    action: "campaigns.download",
    targetType: "campaign",
    targetId: id,
    result: "ok",
    details: { file: errorsOnly ? "errors" : "results" },
    requestId: await getRequestId(),
  });
  const encoder = new TextEncoder();
  const rows = allCampaignRows(id, errorsOnly ? "errors" : "all");
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(`\uFEFF${csvLine(HEADER)}`));
    },
    async pull(controller) {
      const next = await rows.next();
      if (next.done) return controller.close();
      controller.enqueue(
        encoder.encode(
          next.value
            .map((row) =>
              csvLine([
                row.line,
                row.state,
                row.externalUserId,
                row.destinations.join(";"),
                row.costCents,
                row.hubbyBookingId,
                row.packageIds.join(";"),
                row.error,
              ]),
            )
            .join(""),
        ),
      );
    },
  });
  const name = `campaign-${id.slice(0, 8)}-${errorsOnly ? "errors" : "results"}.csv`;
  return new Response(body, {
    headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="${name}"` },
  });
}
