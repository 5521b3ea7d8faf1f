import "server-only";
import Bowser from "bowser";
import { db } from "../db";
import { ActionError } from "../errors";

/** How long a session lives without a request; the session cookie (next-auth's maxAge) lasts as long. */
export const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;
/** lastSeenAt is written at most this often per session, not on every request. */
const LAST_SEEN_RESOLUTION_MS = 60_000;

export type SessionMethod = "password" | "sso";
export type SessionEndReason = "sign_out" | "revoked" | "password_changed" | "password_reset" | "signed_out_everywhere";

/** Records a new signed-in browser; its id goes into the session cookie. */
export async function startSession(input: {
  staffId: string;
  sessionVersion: number;
  method: SessionMethod;
  ip: string;
  userAgent: string;
}): Promise<string> {
  const session = await db().staffSession.create({
    data: {
      staffId: input.staffId,
      sessionVersion: input.sessionVersion,
      method: input.method,
      ip: input.ip.slice(0, 64),
      userAgent: input.userAgent.slice(0, 512),
    },
    select: { id: true },
  });
  return session.id;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Whether the session a cookie names is still on: it belongs to this user, has not ended, was used within the
 * maximum age, and was started under the user's current sessionVersion. Notes the visit (at most once a minute).
 */
export async function isSessionActive(
  sessionId: string | undefined,
  staffId: string,
  sessionVersion: number,
  now = new Date(),
): Promise<boolean> {
  if (!sessionId || !UUID.test(sessionId)) return false;
  const session = await db().staffSession.findUnique({
    where: { id: sessionId },
    select: { staffId: true, endedAt: true, lastSeenAt: true, sessionVersion: true },
  });
  if (!session || session.staffId !== staffId || session.endedAt || session.sessionVersion !== sessionVersion) {
    return false;
  }
  if (session.lastSeenAt.getTime() < now.getTime() - SESSION_MAX_AGE_SECONDS * 1000) return false;
  if (session.lastSeenAt.getTime() < now.getTime() - LAST_SEEN_RESOLUTION_MS) {
    await db().staffSession.updateMany({
      where: { id: sessionId, endedAt: null, lastSeenAt: { lt: new Date(now.getTime() - LAST_SEEN_RESOLUTION_MS) } },
      data: { lastSeenAt: now },
    });
  }
  return true;
}

/** Ends one session of a user (their sign-out, or their "Sign out" on a session in the list); false if none was on. */
export async function endSession(staffId: string, sessionId: string, reason: SessionEndReason): Promise<boolean> {
  if (!UUID.test(sessionId)) return false;
  const { count } = await db().staffSession.updateMany({
    where: { id: sessionId, staffId, endedAt: null },
    data: { endedAt: new Date(), endedReason: reason },
  });
  return count > 0;
}

/** Ends every session of a user, except `keep` (the one changing its own password); answers how many ended. */
export async function endSessions(staffId: string, reason: SessionEndReason, keep?: string): Promise<number> {
  const { count } = await db().staffSession.updateMany({
    where: { staffId, endedAt: null, ...(keep && UUID.test(keep) ? { id: { not: keep } } : {}) },
    data: { endedAt: new Date(), endedReason: reason },
  });
  return count;
}

/** An admin's "Sign out everywhere": every session of the staff member ends now. */
export async function signOutEverywhere(staffId: string): Promise<{ email: string; ended: number }> {
  const user = await db().staffUser.findUnique({ where: { id: staffId }, select: { email: true } });
  if (!user) throw new ActionError("This staff member no longer exists.");
  return { email: user.email, ended: await endSessions(staffId, "signed_out_everywhere") };
}

/** A user's "Sign out" on one of their sessions in the list. */
export async function revokeOwnSession(staffId: string, sessionId: string): Promise<void> {
  if (!(await endSession(staffId, sessionId, "revoked"))) {
    throw new ActionError("This session has already ended.");
  }
}

export type ActiveSession = {
  id: string;
  device: string;
  ip: string;
  method: SessionMethod;
  createdAt: Date;
  lastSeenAt: Date;
  current: boolean;
};

/** A user's sessions that still let them in, most recently used first. */
export async function activeSessions(staffId: string, currentId: string | undefined, now = new Date()) {
  const user = await db().staffUser.findUnique({ where: { id: staffId }, select: { sessionVersion: true } });
  if (!user) return [];
  const rows = await db().staffSession.findMany({
    where: {
      staffId,
      endedAt: null,
      sessionVersion: user.sessionVersion,
      lastSeenAt: { gte: new Date(now.getTime() - SESSION_MAX_AGE_SECONDS * 1000) },
    },
    orderBy: [{ lastSeenAt: "desc" }, { id: "asc" }],
    take: 100,
  });
  return rows.map((row): ActiveSession => ({
    id: row.id,
    device: describeDevice(row.userAgent),
    ip: row.ip,
    method: row.method === "sso" ? "sso" : "password",
    createdAt: row.createdAt,
    lastSeenAt: row.lastSeenAt,
    current: row.id === currentId,
  }));
}

/** "Chrome 140 on Linux" from a User-Agent header; what a person recognises as their browser. */
export function describeDevice(userAgent: string): string {
  if (!userAgent.trim()) return "Unknown device";
  const parsed = Bowser.parse(userAgent);
  const browser = [parsed.browser.name, parsed.browser.version?.split(".")[0]].filter(Boolean).join(" ");
  const os = [parsed.os.name, parsed.os.versionName ?? parsed.os.version].filter(Boolean).join(" ");
  if (!browser && !os) return userAgent.slice(0, 80);
  return os ? `${browser || "Unknown browser"} on ${os}` : browser;
}
