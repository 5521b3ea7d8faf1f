import { rolesFor } from "@/lib/auth/roles";
import { requireStaff } from "@/lib/auth/staff";
import { ensureCampaignCheck } from "@/lib/campaigns/dry-run";
import { campaignProgress } from "@/lib/campaigns/queries";
import { ensureCampaignWorker } from "@/lib/campaigns/worker";

/** GET /campaigns/<id>/progress: what the progress bars poll (the dry run's rows checked, or the run's counts). */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  await requireStaff(...rolesFor("campaigns.run"));
  const { id } = await params;
  const progress = /^[0-9a-f-]{36}$/i.test(id) ? await campaignProgress(id) : null;
  if (!progress) return Response.json({ message: "No such campaign." }, { status: 404 });
  if (progress.status === "running") ensureCampaignWorker(id);
  if (progress.status === "checking") ensureCampaignCheck(id);
  return Response.json(progress, { headers: { "Cache-Control": "no-store" } });
}
