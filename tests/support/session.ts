import crypto from "node:crypto";
import type { Session } from "next-auth";

/**
 * The session next-auth's getServerSession returns in integration tests (see tests/integration/setup.ts). Like a
 * real sign-in it stands for a server-side session record (lib/auth/sessions.ts), created on first use, so ending
 * that record (sign-out, revocation) signs the test's user out as it would a browser.
 */
let session: Session | null = null;
let pending: { id: string; staffId: string; sessionVersion: number } | null = null;

export async function currentSession(): Promise<Session | null> {
  if (pending) {
    const record = pending;
    pending = null;
    const { db } = await import("../../lib/db");
    await db()
      .staffSession.upsert({
        where: { id: record.id },
        create: { ...record, method: "password", ip: "127.0.0.1", userAgent: "integration test" },
        update: {},
      })
      // A user a test has deleted has no session to record; getCurrentStaff refuses them anyway.
      .catch(() => undefined);
  }
  return session;
}

/**
 * Signs `user` in for the server code under test, with a new session (or the given session id, e.g. one
 * startSession() recorded: the "copied cookie" of a session that may since have ended).
 */
export function setSession(
  user: { id: string; email: string; name: string; sessionVersion: number } | null,
  sessionId?: string,
) {
  const id = sessionId ?? crypto.randomUUID();
  pending = user && !sessionId ? { id, staffId: user.id, sessionVersion: user.sessionVersion } : null;
  session = user
    ? {
        user: { id: user.id, email: user.email, name: user.name, sessionVersion: user.sessionVersion, sessionId: id },
        expires: new Date(Date.now() + 3_600_000).toISOString(),
      }
    : null;
}

/** Uses a session exactly as next-auth's session callback produced it (from a token the jwt callback made). */
export function setNextAuthSession(value: Session | null) {
  pending = null;
  session = value;
}
