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
  // Signed out (or disabled) while a page polls: answered 200 with no count, since a browser logs every 401 fetch as
  // a console error; the next navigation takes the staff member to /login anyway.
  if (!staff)
    return Response.json({ unread: null, message: "Sign in again." }, { headers: { "Cache-Control": "no-store" } });
  if (!may(staff, "alerts.view")) return Response.json({ message: "Forbidden." }, { status: 403 });
  return Response.json({ unread: await unreadIncidentCount(staff) }, { headers: { "Cache-Control": "no-store" } });
}
