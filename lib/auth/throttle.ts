import "server-only";
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
