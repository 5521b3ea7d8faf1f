import type { Session } from "next-auth";

/** The session next-auth's getServerSession returns in integration tests (see tests/integration/setup.ts). */
let session: Session | null = null;

export function currentSession(): Session | null {
  return session;
}

export function setSession(user: { id: string; email: string; name: string; sessionVersion: number } | null) {
  session = user
    ? {
        user: { id: user.id, email: user.email, name: user.name, sessionVersion: user.sessionVersion },
        expires: new Date(Date.now() + 3_600_000).toISOString(),
      }
    : null;
}
