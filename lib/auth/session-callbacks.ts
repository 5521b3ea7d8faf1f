import "server-only";
import { headers } from "next/headers";
import { endSession, startSession, SESSION_MAX_AGE_SECONDS } from "./sessions";
import { OIDC_PROVIDER_ID } from "./sso";

export { SESSION_MAX_AGE_SECONDS };

type IpReader = (headers: Record<string, unknown>) => string;

/** The browser's address and User-Agent, read from the sign-in request next-auth is answering. */
async function signInRequest(ipOf: IpReader): Promise<{ ip: string; userAgent: string }> {
  try {
    const list = await headers();
    return { ip: ipOf(Object.fromEntries(list)), userAgent: list.get("user-agent") ?? "" };
  } catch {
    // Outside a request (scripts, tests calling the callbacks directly).
    return { ip: "unknown", userAgent: "" };
  }
}

/** next-auth's jwt callback and signOut event, on the session store (lib/auth/sessions.ts). */
export const sessionCallbacks = {
  /** A sign-in: records the session whose id the cookie will carry. */
  async start(staffId: string, sessionVersion: number, provider: string | undefined, ipOf: IpReader) {
    return startSession({
      staffId,
      sessionVersion,
      method: provider === OIDC_PROVIDER_ID ? "sso" : "password",
      ...(await signInRequest(ipOf)),
    });
  },
  /** A sign-out: the session ends on the server, so a copy of the cookie no longer works either. */
  async end(staffId: string, sessionId: string): Promise<void> {
    await endSession(staffId, sessionId, "sign_out");
  },
};
