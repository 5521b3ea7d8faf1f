import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { resetEnvCache } from "@/lib/env";
import { authorizeCredentials } from "@/lib/auth/options";
import { verifyPassword } from "@/lib/auth/password";
import { isSessionActive, startSession } from "@/lib/auth/sessions";
import { sendPasswordResetAction } from "@/app/(console)/staff/actions";
import { completePasswordResetAction } from "@/app/password-reset/[token]/actions";
import {
  completePasswordReset,
  createPasswordReset,
  PASSWORD_RESET_TTL_HOURS,
  passwordResetState,
} from "@/lib/staff/password-resets";
import { form, makeStaff, signInAs, TEST_PASSWORD } from "../support/factories";
import { setSession } from "../support/session";
import { startSmtpSink } from "../support/smtp";

const NEW_PASSWORD = "a-brand-new-long-password";
const HOUR = 60 * 60 * 1000;
let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
let ipCounter = 0;
const freshIp = () => `10.7.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}`;

function setMailEnv(values: { SMTP_URL?: string; NEXTAUTH_URL?: string }) {
  for (const name of ["SMTP_URL", "NEXTAUTH_URL"] as const) {
    if (values[name] === undefined) delete process.env[name];
    else process.env[name] = values[name];
  }
  resetEnvCache();
}

const tokenOf = (link: string) => new URL(link).pathname.replace(/^\/password-reset\//, "");
const complete = (token: string | null, password = NEW_PASSWORD) =>
  completePasswordResetAction(null, form({ token: token ?? "", password, confirmPassword: password }));

/** An admin sends `member` a reset in copy-link mode; answers the token and the admin. */
async function sendReset(member: { id: string }) {
  const admin = await signInAs("admin");
  const result = await sendPasswordResetAction(null, form({ id: member.id }));
  setSession(null);
  if (!result.ok) throw new Error(result.message);
  return { admin, token: result.data.link ? tokenOf(result.data.link) : null, reply: result.data };
}

const signsIn = async (email: string, password: string) =>
  (await authorizeCredentials({ email, password }, freshIp())) !== null;

beforeAll(async () => {
  smtp = await startSmtpSink();
});
afterAll(async () => {
  await smtp.close();
});
beforeEach(() => setSession(null));
afterEach(() => setMailEnv({}));

describe("a password reset link", () => {
  it("is emailed when SMTP is set; the admin sees no link and types no password", async () => {
    setMailEnv({ SMTP_URL: smtp.url, NEXTAUTH_URL: "https://console.partner.example" });
    const member = await makeStaff("support");
    const arrived = smtp.nextMessage();
    const { reply } = await sendReset(member);
    expect(reply).toEqual({ email: member.email, emailed: true, link: null, mailError: null });
    const message = await arrived;
    expect(message.to).toMatchObject({ value: [{ address: member.email }] });
    const link = /https:\/\/console\.partner\.example\/password-reset\/[A-Za-z0-9_-]+/.exec(message.text ?? "")?.[0];
    expect(link).toBeDefined();
    expect(await passwordResetState(tokenOf(link!))).toMatchObject({ status: "open", email: member.email });
  });

  it("keeps the old password until used; using it sets the new one, once, and ends every session (audited)", async () => {
    const member = await makeStaff("campaign_manager");
    const sessions = await Promise.all(
      ["10.0.0.1", "10.0.0.2"].map((ip) =>
        startSession({ staffId: member.id, sessionVersion: 1, method: "password", ip, userAgent: "" }),
      ),
    );
    const { admin, token, reply } = await sendReset(member);
    expect(reply).toMatchObject({ emailed: false, link: expect.stringContaining("/password-reset/") });
    expect(
      await db().auditEntry.findFirst({ where: { action: "staff.password_reset_send", actorId: admin.id } }),
    ).toMatchObject({ result: "ok", targetId: member.id, details: { email: member.email, emailed: false } });

    // Sending changes nothing yet: the old password signs in, the sessions stay on.
    expect(await signsIn(member.email, TEST_PASSWORD)).toBe(true);
    expect(await isSessionActive(sessions[0], member.id, 1)).toBe(true);

    const mismatch = await completePasswordResetAction(
      null,
      form({ token: token!, password: NEW_PASSWORD, confirmPassword: "something-else-entirely" }),
    );
    expect(mismatch).toMatchObject({ ok: false, fieldErrors: { confirmPassword: ["The two passwords differ."] } });
    const short = await complete(token, "short");
    expect(short).toMatchObject({ ok: false, fieldErrors: { password: [expect.stringMatching(/at least 12/)] } });
    expect(await passwordResetState(token!)).toMatchObject({ status: "open" });

    expect(await complete(token)).toEqual({ ok: true, data: { email: member.email } });
    const stored = await db().staffUser.findUniqueOrThrow({ where: { id: member.id } });
    expect(await verifyPassword(stored.passwordHash, NEW_PASSWORD)).toBe(true);
    expect(await signsIn(member.email, TEST_PASSWORD)).toBe(false);
    expect(await signsIn(member.email, NEW_PASSWORD)).toBe(true);
    for (const session of sessions) expect(await isSessionActive(session, member.id, 1)).toBe(false);
    expect(await db().staffSession.count({ where: { id: { in: sessions }, endedReason: "password_reset" } })).toBe(2);
    expect(
      await db().auditEntry.findFirst({ where: { action: "staff.password_reset_complete", actorId: member.id } }),
    ).toMatchObject({ result: "ok", targetId: member.id, details: { sessionsEnded: 2, requestedById: admin.id } });

    // Single use: the link is spent, and says so.
    expect(await passwordResetState(token!)).toEqual({ status: "used" });
    const again = await complete(token, "yet-another-long-password");
    expect(again).toMatchObject({ ok: false, message: expect.stringMatching(/already used/) });
    const after = await db().staffUser.findUniqueOrThrow({ where: { id: member.id } });
    expect(await verifyPassword(after.passwordHash, NEW_PASSWORD)).toBe(true);
  });

  it(`expires after ${PASSWORD_RESET_TTL_HOURS} hours (an injected clock), leaving the password as it was`, async () => {
    const member = await makeStaff("support");
    const sentAt = new Date("2031-03-01T09:00:00Z");
    const created = await createPasswordReset({
      staffId: member.id,
      requestedBy: { id: member.id, name: "Admin" },
      baseUrl: "http://localhost:3000",
      now: sentAt,
    });
    const token = tokenOf(created.link!);
    const justBefore = new Date(sentAt.getTime() + PASSWORD_RESET_TTL_HOURS * HOUR - 1000);
    const atExpiry = new Date(sentAt.getTime() + PASSWORD_RESET_TTL_HOURS * HOUR);
    expect(await passwordResetState(token, justBefore)).toMatchObject({ status: "open" });
    expect(await passwordResetState(token, atExpiry)).toEqual({ status: "expired" });
    await expect(completePasswordReset(token, NEW_PASSWORD, "10.0.0.9", atExpiry)).rejects.toThrow(/expired/);
    const stored = await db().staffUser.findUniqueOrThrow({ where: { id: member.id } });
    expect(await verifyPassword(stored.passwordHash, TEST_PASSWORD)).toBe(true);
    // The same link a second earlier still works.
    await expect(completePasswordReset(token, NEW_PASSWORD, "10.0.0.9", justBefore)).resolves.toMatchObject({
      email: member.email,
    });
  });

  it("a newer link replaces the pending one; an invitation token is no reset link; made-up tokens say nothing", async () => {
    const member = await makeStaff("support");
    const first = await sendReset(member);
    const second = await sendReset(member);
    expect(await passwordResetState(first.token!)).toEqual({ status: "revoked" });
    expect(await complete(first.token)).toMatchObject({ ok: false, message: expect.stringMatching(/replaced/) });
    expect(await passwordResetState(second.token!)).toMatchObject({ status: "open" });

    await signInAs("admin");
    const { inviteStaffAction } = await import("@/app/(console)/staff/actions");
    const invited = await inviteStaffAction(null, form({ email: "new@example.test", name: "New", role: "support" }));
    if (!invited.ok) throw new Error(invited.message);
    const inviteToken = new URL(invited.data.link!).pathname.replace(/^\/invite\//, "");
    expect(await passwordResetState(inviteToken)).toEqual({ status: "unknown" });
    expect(await passwordResetState("../../etc")).toEqual({ status: "unknown" });
    expect(await complete("not-a-real-token-but-long-enough")).toMatchObject({
      ok: false,
      message: expect.stringMatching(/not valid/),
    });
  });

  it("is refused for an account single sign-on created (no password), with the reason, and for other roles", async () => {
    const member = await makeStaff("support");
    await db().staffUser.update({ where: { id: member.id }, data: { ssoSubject: "sub-123", hasPassword: false } });
    const admin = await signInAs("admin");
    const result = await sendPasswordResetAction(null, form({ id: member.id }));
    expect(result).toMatchObject({ ok: false, message: expect.stringMatching(/single sign-on/) });
    expect(await db().staffInvite.count({ where: { staffId: member.id } })).toBe(0);
    expect(
      await db().auditEntry.findFirst({ where: { action: "staff.password_reset_send", actorId: admin.id } }),
    ).toMatchObject({ result: "refused", targetId: member.id });

    await signInAs("support");
    const other = await makeStaff("support");
    expect(await sendPasswordResetAction(null, form({ id: other.id }))).toMatchObject({ ok: false });
    expect(await db().staffInvite.count({ where: { staffId: other.id } })).toBe(0);
  });
});
