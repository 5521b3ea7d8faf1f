import { unreadIncidentCount } from "@/lib/alerts/incidents";
import { may } from "@/lib/auth/roles";
import { getCurrentStaff } from "@/lib/auth/staff";

export const dynamic = "force-dynamic";

/**
 * GET /api/alerts/unread: the bell's count (open incidents the caller may see, opened since they last opened the
 * Alerts page). The header's bell polls it, as the console layout is not re-rendered on client navigation.
 */
export async function GET() {
  const staff = await getCurrentStaff();
  if (!staff) return Response.json({ message: "Sign in again." }, { status: 401 });
  if (!may(staff, "alerts.view")) return Response.json({ message: "Forbidden." }, { status: 403 });
  return Response.json({ unread: await unreadIncidentCount(staff) }, { headers: { "Cache-Control": "no-store" } });
}
