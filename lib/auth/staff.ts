import "server-only";
import { cache } from "react";
import { getServerSession } from "next-auth";
import { forbidden, redirect } from "next/navigation";
import { connection } from "next/server";
import { db } from "../db";
import { getAuthOptions } from "./options";
import { demoStaffAllowed, isDemoStaffEmail } from "./demo";
import { may, type Permission, type StaffRole, type TargetOf } from "./roles";

export type CurrentStaff = { id: string; email: string; name: string; role: StaffRole };

/**
 * The signed-in staff member, re-read from the database once per request: a disabled user, a changed role or a
 * bumped sessionVersion (password reset, disable) takes effect on the next request, JWT or not. React's cache()
 * shares the answer between the layout, the page and its components within one server render; where React has no
 * request scope (route handlers, server actions, scripts, tests) it calls through, so nothing is ever shared
 * across requests.
 */
export const getCurrentStaff = cache(async (): Promise<CurrentStaff | null> => {
  // Per-request by nature: keeps `next build` from prerendering signed-in pages (which would need runtime secrets).
  await connection();
  const session = await getServerSession(getAuthOptions());
  const id = session?.user?.id;
  if (!id) return null;
  const user = await db().staffUser.findUnique({
    where: { id },
    select: { id: true, email: true, name: true, role: true, disabled: true, sessionVersion: true },
  });
  if (!user || user.disabled || user.sessionVersion !== session.user.sessionVersion) return null;
  if (isDemoStaffEmail(user.email) && !demoStaffAllowed()) return null;
  return { id: user.id, email: user.email, name: user.name, role: user.role };
});

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
