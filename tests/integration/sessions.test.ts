import type { Account, Session, User } from "next-auth";
import type { JWT } from "next-auth/jwt";
import { beforeEach, describe, expect, it } from "vitest";
import { changeOwnPasswordAction, endSessionAction } from "@/app/(console)/account/actions";
import { signOutEverywhereAction } from "@/app/(console)/staff/actions";
import { db } from "@/lib/db";
import { getAuthOptions } from "@/lib/auth/options";
import {
  activeSessions,
  describeDevice,
  isSessionActive,
  SESSION_MAX_AGE_SECONDS,
  startSession,
} from "@/lib/auth/sessions";
import { currentSessionId, getCurrentStaff } from "@/lib/auth/staff";
import { resetTwoFactor } from "@/lib/auth/two-factor";
import { form, makeStaff, TEST_PASSWORD } from "../support/factories";
import { setNextAuthSession, setSession } from "../support/session";

const CHROME_LINUX =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36";
const SAFARI_IPHONE =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1";
const signedOutRedirect = { digest: expect.stringMatching(/^NEXT_REDIRECT;.*\/login/) };

type Staff = Awaited<ReturnType<typeof makeStaff>>;

/**
 * A browser's sign-in through next-auth's own callbacks: the jwt callback records the session and puts its id in the
 * token (the cookie), the session callback turns the token into what getServerSession answers. Answers that session,
 * which a test can keep using after sign-out, as a copied cookie would be.
 */
async function signInThroughCallbacks(user: Staff): Promise<{ session: Session; token: JWT }> {
  const callbacks = getAuthOptions().callbacks!;
  const signedInUser: User = {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    sessionVersion: user.sessionVersion,
  };
  const account: Account = { provider: "credentials", type: "credentials", providerAccountId: user.id };
  const token = await callbacks.jwt!({ token: { email: user.email, name: user.name }, user: signedInUser, account });
  const session = await callbacks.session!({
    session: { user: { email: user.email, name: user.name }, expires: new Date(Date.now() + 3_600_000).toISOString() },
    token,
  } as never);
  return { session: session as Session, token };
}

async function signOutThroughEvents(token: JWT) {
  await getAuthOptions().events!.signOut!({ token, session: null as never });
}

describe("server-side sessions", () => {
  beforeEach(() => setSession(null));

  it("refuses a copied cookie after sign-out: pages and server actions alike", async () => {
    const user = await makeStaff("support");
    const { session, token } = await signInThroughCallbacks(user);
    expect(token.sid).toMatch(/^[0-9a-f-]{36}$/);
    setNextAuthSession(session);
    expect(await getCurrentStaff()).toMatchObject({ id: user.id });
    expect(await currentSessionId()).toBe(token.sid);

    await signOutThroughEvents(token);
    const ended = await db().staffSession.findUniqueOrThrow({ where: { id: token.sid! } });
    expect(ended).toMatchObject({ endedReason: "sign_out" });
    expect(ended.endedAt).not.toBeNull();

    // The same cookie, sent again (the JWT itself is still valid until it expires).
    setNextAuthSession(session);
    expect(await getCurrentStaff()).toBeNull();
    await expect(
      changeOwnPasswordAction(null, form({ currentPassword: TEST_PASSWORD, newPassword: "a-new-password-1234" })),
    ).rejects.toMatchObject(signedOutRedirect);
    const stored = await db().staffUser.findUniqueOrThrow({ where: { id: user.id } });
    expect(stored.passwordHash).toBe(user.passwordHash);
  });

  it("refuses a session cookie without a session id, or with another user's", async () => {
    const user = await makeStaff("admin");
    const other = await makeStaff("admin");
    const expires = new Date(Date.now() + 3_600_000).toISOString();
    const base = { id: user.id, email: user.email, name: user.name, sessionVersion: user.sessionVersion };
    setNextAuthSession({ user: base, expires });
    expect(await getCurrentStaff()).toBeNull();
    const othersSession = await startSession({
      staffId: other.id,
      sessionVersion: 1,
      method: "password",
      ip: "10.1.1.1",
      userAgent: "",
    });
    setNextAuthSession({ user: { ...base, sessionId: othersSession }, expires });
    expect(await getCurrentStaff()).toBeNull();
    setNextAuthSession({ user: { ...base, sessionId: "not-a-uuid" }, expires });
    expect(await getCurrentStaff()).toBeNull();
  });

  it("changing one's own password ends every other session and keeps this one", async () => {
    const user = await makeStaff("campaign_manager");
    const here = await signInThroughCallbacks(user);
    const elsewhere = await signInThroughCallbacks(user);
    setNextAuthSession(here.session);
    const result = await changeOwnPasswordAction(
      null,
      form({ currentPassword: TEST_PASSWORD, newPassword: "a-new-password-1234" }),
    );
    expect(result).toEqual({ ok: true, data: null });
    expect(await getCurrentStaff()).toMatchObject({ id: user.id });
    setNextAuthSession(elsewhere.session);
    expect(await getCurrentStaff()).toBeNull();
    const entry = await db().auditEntry.findFirst({ where: { action: "account.change_password", actorId: user.id } });
    expect(entry?.details).toEqual({ otherSessionsEnded: 1 });
  });

  it("lists a user's active sessions with device, IP and last seen, and ends one of them", async () => {
    const user = await makeStaff("support");
    const phone = await startSession({
      staffId: user.id,
      sessionVersion: 1,
      method: "sso",
      ip: "203.0.113.7",
      userAgent: SAFARI_IPHONE,
    });
    const laptop = await startSession({
      staffId: user.id,
      sessionVersion: 1,
      method: "password",
      ip: "198.51.100.2",
      userAgent: CHROME_LINUX,
    });
    setNextAuthSession({
      user: { id: user.id, email: user.email, name: user.name, sessionVersion: 1, sessionId: laptop },
      expires: new Date(Date.now() + 3_600_000).toISOString(),
    });
    const listed = await activeSessions(user.id, laptop);
    expect(listed.map((s) => [s.id, s.device, s.ip, s.method, s.current]).sort()).toEqual(
      [
        [laptop, "Chrome 140 on Linux", "198.51.100.2", "password", true],
        [phone, "Safari 17 on iOS 17.4", "203.0.113.7", "sso", false],
      ].sort(),
    );

    expect(await endSessionAction(null, form({ id: phone }))).toEqual({ ok: true, data: null });
    expect((await activeSessions(user.id, laptop)).map((s) => s.id)).toEqual([laptop]);
    expect(await isSessionActive(phone, user.id, 1)).toBe(false);
    const entry = await db().auditEntry.findFirst({ where: { action: "account.end_session", actorId: user.id } });
    expect(entry).toMatchObject({ result: "ok", targetType: "session", targetId: phone });

    // Someone else's session cannot be ended from here: it is not one of the caller's.
    const other = await makeStaff("support");
    const othersSession = await startSession({
      staffId: other.id,
      sessionVersion: 1,
      method: "password",
      ip: "10.0.0.9",
      userAgent: "",
    });
    expect(await endSessionAction(null, form({ id: othersSession }))).toMatchObject({
      ok: false,
      message: "This session has already ended.",
    });
    expect(await isSessionActive(othersSession, other.id, 1)).toBe(true);
    expect(await endSessionAction(null, form({ id: "nope" }))).toMatchObject({
      ok: false,
      fieldErrors: { id: ["Unknown session."] },
    });
  });

  it("lets an admin sign a user out everywhere, audited; other roles are refused", async () => {
    const target = await makeStaff("support");
    const first = await signInThroughCallbacks(target);
    const second = await signInThroughCallbacks(target);

    const support = await makeStaff("support");
    setSession(support);
    expect(await signOutEverywhereAction(null, form({ id: target.id }))).toMatchObject({ ok: false });
    setNextAuthSession(first.session);
    expect(await getCurrentStaff()).toMatchObject({ id: target.id });

    const admin = await makeStaff("admin");
    setSession(admin);
    expect(await signOutEverywhereAction(null, form({ id: target.id }))).toEqual({
      ok: true,
      data: { email: target.email, ended: 2 },
    });
    for (const { session } of [first, second]) {
      setNextAuthSession(session);
      expect(await getCurrentStaff()).toBeNull();
    }
    const entry = await db().auditEntry.findFirst({
      where: { action: "staff.sign_out_everywhere", targetId: target.id },
    });
    expect(entry).toMatchObject({ actorId: admin.id, result: "ok", details: { email: target.email, ended: 2 } });
    // Signing in again works: the account itself is untouched.
    setNextAuthSession((await signInThroughCallbacks(target)).session);
    expect(await getCurrentStaff()).toMatchObject({ id: target.id });
  });

  it("drops sessions from the list after an admin's two-factor reset, and after 12 idle hours", async () => {
    const user = await makeStaff("support");
    const before = await startSession({
      staffId: user.id,
      sessionVersion: 1,
      method: "password",
      ip: "10.0.0.1",
      userAgent: "",
    });
    // The reset bumps sessionVersion: a session started under the old version is no longer on.
    await resetTwoFactor(user.id);
    expect(await activeSessions(user.id, undefined)).toEqual([]);
    expect(await isSessionActive(before, user.id, 2)).toBe(false);

    const idle = await startSession({
      staffId: user.id,
      sessionVersion: 2,
      method: "password",
      ip: "10.0.0.1",
      userAgent: "",
    });
    const later = new Date(Date.now() + SESSION_MAX_AGE_SECONDS * 1000 + 1000);
    expect(await isSessionActive(idle, user.id, 2, later)).toBe(false);
    expect(await activeSessions(user.id, undefined, later)).toEqual([]);
  });

  it("notes the last visit at most once a minute", async () => {
    const user = await makeStaff("support");
    const id = await startSession({
      staffId: user.id,
      sessionVersion: 1,
      method: "password",
      ip: "10.0.0.1",
      userAgent: "",
    });
    const created = (await db().staffSession.findUniqueOrThrow({ where: { id } })).lastSeenAt;
    await isSessionActive(id, user.id, 1, new Date(created.getTime() + 30_000));
    expect((await db().staffSession.findUniqueOrThrow({ where: { id } })).lastSeenAt).toEqual(created);
    const twoMinutesLater = new Date(created.getTime() + 120_000);
    await isSessionActive(id, user.id, 1, twoMinutesLater);
    expect((await db().staffSession.findUniqueOrThrow({ where: { id } })).lastSeenAt).toEqual(twoMinutesLater);
  });
});

describe("describeDevice", () => {
  it("names browser and system, and copes with nothing", () => {
    expect(describeDevice(CHROME_LINUX)).toBe("Chrome 140 on Linux");
    expect(describeDevice("")).toBe("Unknown device");
    expect(describeDevice("curl/8.5.0")).toMatch(/curl|Unknown/);
  });
});
