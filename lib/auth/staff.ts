import "server-only";
import { getServerSession } from "next-auth";
import { forbidden, redirect } from "next/navigation";
import { connection } from "next/server";
import { db } from "../db";
import { getAuthOptions } from "./options";
import { demoStaffAllowed, isDemoStaffEmail } from "./demo";
import type { StaffRole } from "./roles";

export type CurrentStaff = { id: string; email: string; name: string; role: StaffRole };

/**
 * The signed-in staff member, re-read from the database on every call: a disabled user, a changed role or a
 * bumped sessionVersion (password reset, disable) takes effect on the next request, JWT or not.
 */
export async function getCurrentStaff(): Promise<CurrentStaff | null> {
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
}

/**
 * The one authorization check, called by every page, route handler and server action.
 * Signed out (or disabled) → /login; signed in with another role → 403.
 */
export async function requireStaff(...roles: readonly StaffRole[]): Promise<CurrentStaff> {
  const staff = await getCurrentStaff();
  if (!staff) redirect("/login?reason=signed-out");
  if (roles.length > 0 && !roles.includes(staff.role)) forbidden();
  return staff;
}

const FORBIDDEN_DIGEST = "NEXT_HTTP_ERROR_FALLBACK;403";

/** True for the error `forbidden()` throws, so server actions can answer with a message instead. */
export function isForbiddenError(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { digest?: unknown }).digest === FORBIDDEN_DIGEST;
}
