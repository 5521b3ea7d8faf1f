import { requirePermission } from "@/lib/auth/staff";
import { campaignProgress } from "@/lib/campaigns/queries";
import { parseRouteParams, uuidRouteParams } from "@/lib/url-params";

/** GET /campaigns/<id>/progress: what the progress bars poll (the dry run's rows checked, or the run's counts). */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  await requirePermission("campaigns.run");
  const route = parseRouteParams(uuidRouteParams, await params);
  const progress = route && (await campaignProgress(route.id));
  if (!route || !progress) return Response.json({ message: "No such campaign." }, { status: 404 });
  return Response.json(progress, { headers: { "Cache-Control": "no-store" } });
}
