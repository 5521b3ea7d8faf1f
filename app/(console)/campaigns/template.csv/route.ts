import { requirePermission } from "@/lib/auth/staff";
import { TEMPLATE_CSV } from "@/lib/campaigns/rows";

/** GET /campaigns/template.csv: the columns a campaign file has, with two example rows. */
export async function GET() {
  await requirePermission("campaigns.run");
  return new Response(TEMPLATE_CSV, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": 'attachment; filename="campaign-template.csv"',
    },
  });
}
