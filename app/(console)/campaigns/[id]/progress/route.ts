import { rolesFor } from "@/lib/auth/roles";
import { requireStaff } from "@/lib/auth/staff";
import { campaignProgress } from "@/lib/campaigns/queries";
import { ensureCampaignWorker } from "@/lib/campaigns/worker";

/** GET /campaigns/<id>/progress: the counts the progress bar polls (one grouped query). */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  await requireStaff(...rolesFor("campaigns.run"));
  const { id } = await params;
  const progress = /^[0-9a-f-]{36}$/i.test(id) ? await campaignProgress(id) : null;
  if (!progress) return Response.json({ message: "No such campaign." }, { status: 404 });
  if (progress.status === "running") ensureCampaignWorker(id);
  return Response.json(progress, { headers: { "Cache-Control": "no-store" } });
}
