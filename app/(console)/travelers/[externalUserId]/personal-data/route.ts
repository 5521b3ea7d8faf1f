import { z } from "zod";
import { audit } from "@/lib/audit/audit";
import { requirePermission } from "@/lib/auth/staff";
import { exportCounts, exportCsv, exportPersonalData } from "@/lib/privacy/export";
import { getRequestId } from "@/lib/request-id";
import { parseRouteParams } from "@/lib/url-params";
import { travelerRouteParams } from "@/lib/travelers/timeline";

const formatSchema = z.enum(["json", "csv"]);

const text = (status: number, body: string) =>
  new Response(`${body}\n`, { status, headers: { "content-type": "text/plain; charset=utf-8" } });

/**
 * GET /travelers/<id>/personal-data?format=json|csv: everything the console stores about the traveler
 * (lib/privacy/export.ts), for a data subject's access request. Admin only; audited as a read of personal data
 * before anything is sent.
 */
export async function GET(request: Request, { params }: { params: Promise<{ externalUserId: string }> }) {
  const staff = await requirePermission("privacy.export");
  const requestId = await getRequestId();
  const route = parseRouteParams(travelerRouteParams, await params);
  if (!route) return text(404, "No such traveler id.");
  const format = formatSchema.safeParse(new URL(request.url).searchParams.get("format") ?? "json");
  if (!format.success) return text(400, "Choose format=json or format=csv.");
  const { externalUserId } = route;
  const data = await exportPersonalData(externalUserId, staff.email);
  const entryId = await audit({
    actor: staff,
    action: "privacy.export",
    targetType: "traveler",
    targetId: externalUserId,
    externalUserId,
    result: "ok",
    details: { format: format.data, rows: exportCounts(data) },
    requestId,
  });
  // Personal data leaves only recorded.
  if (entryId === null) return text(503, "The export could not be recorded in the audit log; try again.");
  const stamp = data.exportedAt.slice(0, 16).replace(/[-:]/g, "").replace("T", "-");
  const safeId = externalUserId.replace(/[^A-Za-z0-9_.-]/g, "_").slice(0, 80);
  const body = format.data === "json" ? `${JSON.stringify(data, null, 2)}\n` : exportCsv(data);
  return new Response(body, {
    headers: {
      "content-type": format.data === "json" ? "application/json; charset=utf-8" : "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="personal-data-${safeId}-${stamp}.${format.data}"`,
      "cache-control": "no-store",
      "x-request-id": requestId,
    },
  });
}
