import "server-only";
import { cache } from "react";
import { getServerSession } from "next-auth";
import { forbidden, redirect } from "next/navigation";
import { connection } from "next/server";
import { db } from "../db";
import { getAuthOptions } from "./options";
import { demoStaffAllowed, isDemoStaffEmail } from "./demo";
import { may, type Permission, type StaffRole, type TargetOf } from "./roles";
import { isSessionActive } from "./sessions";

export type CurrentStaff = { id: string; email: string; name: string; role: StaffRole };

/**
 * The signed-in staff member and the session the cookie stands for, re-read from the database once per request: a
 * disabled user, a changed role, a bumped sessionVersion (password reset, disable) or an ended session (sign-out,
 * revoked from the sessions list, signed out everywhere) takes effect on the next request, JWT or not. React's
 * cache() shares the answer between the layout, the page and its components within one server render; where React
 * has no request scope (route handlers, server actions, scripts, tests) it calls through, so nothing is ever shared
 * across requests.
 */
const getCurrentSignIn = cache(async (): Promise<{ staff: CurrentStaff; sessionId: string } | null> => {
  // Per-request by nature: keeps `next build` from prerendering signed-in pages (which would need runtime secrets).
  await connection();
  const session = await getServerSession(getAuthOptions());
  const id = session?.user?.id;
  const sessionId = session?.user?.sessionId;
  if (!id || !sessionId) return null;
  const user = await db().staffUser.findUnique({
    where: { id },
    select: { id: true, email: true, name: true, role: true, disabled: true, sessionVersion: true },
  });
  if (!user || user.disabled || user.sessionVersion !== session.user.sessionVersion) return null;
  if (isDemoStaffEmail(user.email) && !demoStaffAllowed()) return null;
  if (!(await isSessionActive(sessionId, user.id, user.sessionVersion))) return null;
  return { staff: { id: user.id, email: user.email, name: user.name, role: user.role }, sessionId };
});

/** The signed-in staff member (see getCurrentSignIn), or null. */
export const getCurrentStaff = cache(
  async (): Promise<CurrentStaff | null> => (await getCurrentSignIn())?.staff ?? null,
);

/** The id of the session this request signed in with (to keep it when ending the others), or undefined. */
export async function currentSessionId(): Promise<string | undefined> {
  return (await getCurrentSignIn())?.sessionId;
}

/** Signed out (or disabled) → /login. Every page, route handler and action starts here (or in requirePermission). */
export async function requireStaff(): Promise<CurrentStaff> {
  const staff = await getCurrentStaff();
  if (!staff) redirect("/login?reason=signed-out");
  return staff;
}

/** requireStaff, then the role matrix: a signed-in staff member without the permission gets the 403 page. */
export async function requirePermission<P extends Permission>(
  permission: P,
  target?: TargetOf<P>,
): Promise<CurrentStaff> {
  const staff = await requireStaff();
  if (!may(staff, permission, target)) forbidden();
  return staff;
}
