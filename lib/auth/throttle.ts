import "server-only";
import { audit } from "../audit/audit";
import { db } from "../db";

/** 5 failures per account and per IP in 15 minutes; stored in the database so every app instance sees them. */
export const THROTTLE_MAX_FAILURES = 5;
export const THROTTLE_WINDOW_MS = 15 * 60 * 1000;

export type ThrottleState = { throttled: false } | { throttled: true; retryAfterSeconds: number; by: "account" | "ip" };

export async function checkThrottle(email: string, ip: string, now = new Date()): Promise<ThrottleState> {
  const since = new Date(now.getTime() - THROTTLE_WINDOW_MS);
  for (const by of ["account", "ip"] as const) {
    const failures = await db().loginAttempt.findMany({
      where: { success: false, at: { gt: since }, ...(by === "account" ? { email } : { ip }) },
      orderBy: { at: "desc" },
      take: THROTTLE_MAX_FAILURES,
      select: { at: true },
    });
    if (failures.length >= THROTTLE_MAX_FAILURES) {
      // Unblocked when the oldest of the last five failures leaves the window.
      const oldest = failures[failures.length - 1]!.at.getTime();
      const retryAfterSeconds = Math.max(1, Math.ceil((oldest + THROTTLE_WINDOW_MS - now.getTime()) / 1000));
      return { throttled: true, retryAfterSeconds, by };
    }
  }
  return { throttled: false };
}

export async function recordLoginAttempt(email: string, ip: string, success: boolean): Promise<void> {
  await db().loginAttempt.create({ data: { email, ip, success } });
}

/** Deletes attempts that left the window and no longer count (the hourly maintenance job); answers how many. */
export async function deleteExpiredLoginAttempts(now = new Date()): Promise<number> {
  const { count } = await db().loginAttempt.deleteMany({
    where: { at: { lt: new Date(now.getTime() - THROTTLE_WINDOW_MS) } },
  });
  return count;
}

/**
 * A completed sign-in (password alone, or password then second factor): the attempt counted as a success, earlier
 * failures of the address cleared, the last sign-in time kept, and the sign-in audited with `details`.
 */
export async function recordSuccessfulSignIn(
  user: { id: string; email: string },
  ip: string,
  details: Record<string, unknown>,
): Promise<void> {
  await recordLoginAttempt(user.email, ip, true);
  await db().loginAttempt.deleteMany({ where: { email: user.email, success: false } });
  await db().staffUser.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
  await audit({
    actor: { id: user.id, email: user.email },
    action: "auth.sign_in",
    targetType: "staff",
    targetId: user.id,
    result: "ok",
    details: { ip, ...details },
  });
}
