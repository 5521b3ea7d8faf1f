import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { resetEnvCache } from "@/lib/env";
import { mailConfigured, sendMail } from "@/lib/mail";
import { verifyPassword } from "@/lib/auth/password";
import { authorizeCredentials } from "@/lib/auth/options";
import { inviteStaffAction, revokeInviteAction } from "@/app/(console)/staff/actions";
import { acceptInviteAction } from "@/app/invite/[token]/actions";
import { inviteState } from "@/lib/staff/invites";
import { form, signInAs } from "../support/factories";
import { setSession } from "../support/session";
import { startSmtpSink } from "../support/smtp";

const PASSWORD = "my-own-long-password";
let smtp: Awaited<ReturnType<typeof startSmtpSink>>;

function setMailEnv(values: { SMTP_URL?: string; MAIL_FROM?: string; NEXTAUTH_URL?: string }) {
  for (const name of ["SMTP_URL", "MAIL_FROM", "NEXTAUTH_URL"] as const) {
    if (values[name] === undefined) delete process.env[name];
    else process.env[name] = values[name];
  }
  resetEnvCache();
}

const tokenOf = (link: string) => new URL(link).pathname.replace(/^\/invite\//, "");

async function invite(email: string, role = "support") {
  await signInAs("admin");
  const result = await inviteStaffAction(null, form({ email, name: "Ivy Invitee", role }));
  setSession(null);
  if (!result.ok) throw new Error(result.message);
  return result.data;
}

beforeAll(async () => {
  smtp = await startSmtpSink();
});
afterAll(async () => {
  await smtp.close();
});
afterEach(() => setMailEnv({}));

describe("the mail API", () => {
  it("delivers to a real SMTP server, from MAIL_FROM unless told otherwise", async () => {
    setMailEnv({ SMTP_URL: smtp.url, MAIL_FROM: "Console <console@partner.example>" });
    expect(mailConfigured()).toBe(true);
    const arrived = smtp.nextMessage();
    const { messageId } = await sendMail({
      to: ["a@example.test", "b@example.test"],
      subject: "Alert",
      text: "Plain",
      html: "<p>Rich</p>",
    });
    const message = await arrived;
    expect(message.messageId).toBe(messageId);
    expect(message.from?.value[0]).toMatchObject({ name: "Console", address: "console@partner.example" });
    expect(message.subject).toBe("Alert");
    expect(message.text?.trim()).toBe("Plain");
    expect(message.html).toContain("<p>Rich</p>");
  });

  it("without SMTP_URL says so, and a refused connection is an error that names no credentials", async () => {
    setMailEnv({});
    expect(mailConfigured()).toBe(false);
    await expect(sendMail({ to: "a@example.test", subject: "s", text: "t" })).rejects.toThrow(/SMTP_URL/);
    setMailEnv({ SMTP_URL: "smtp://user:hunter2-secret@127.0.0.1:1" });
    const error = await sendMail({ to: "a@example.test", subject: "s", text: "t" }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/could not be sent/);
    expect((error as Error).message).not.toContain("hunter2-secret");
  });
});

describe("an invite by email", () => {
  it("is delivered with a single-use link; the invitee sets a password and signs in with the invited role", async () => {
    setMailEnv({ SMTP_URL: smtp.url, NEXTAUTH_URL: "https://console.partner.example" });
    const arrived = smtp.nextMessage();
    const created = await invite("ivy@example.test", "campaign_manager");
    expect(created).toEqual({ email: "ivy@example.test", emailed: true, link: null, mailError: null });

    const message = await arrived;
    expect(message.to && "text" in message.to ? message.to.text : "").toBe("ivy@example.test");
    expect(message.from?.value[0]).toMatchObject({ name: "Hubby console", address: "console@localhost" });
    expect(message.subject).toBe("Your invitation to the Hubby partner console");
    expect(message.text).toContain("as Campaign manager");
    const link = /https:\/\/console\.partner\.example\/invite\/[A-Za-z0-9_-]+/.exec(message.text ?? "")?.[0];
    expect(link).toBeDefined();
    const token = tokenOf(link!);

    // Only the token's hash is stored.
    const stored = await db().staffInvite.findFirstOrThrow({ where: { email: "ivy@example.test" } });
    expect(stored.tokenHash).not.toContain(token);
    expect(stored.expiresAt.getTime() - stored.createdAt.getTime()).toBe(72 * 3_600_000);
    expect(await inviteState(token)).toMatchObject({ status: "open", role: "campaign_manager" });

    const mismatch = await acceptInviteAction(null, form({ token, password: PASSWORD, confirmPassword: "other" }));
    expect(mismatch).toMatchObject({ ok: false, fieldErrors: { confirmPassword: [expect.any(String)] } });
    const short = await acceptInviteAction(null, form({ token, password: "short", confirmPassword: "short" }));
    expect(short).toMatchObject({ ok: false, fieldErrors: { password: [expect.stringMatching(/12 characters/)] } });

    const accepted = await acceptInviteAction(null, form({ token, password: PASSWORD, confirmPassword: PASSWORD }));
    expect(accepted).toEqual({ ok: true, data: { email: "ivy@example.test" } });
    const user = await db().staffUser.findUniqueOrThrow({ where: { email: "ivy@example.test" } });
    expect(user.role).toBe("campaign_manager");
    expect(await verifyPassword(user.passwordHash, PASSWORD)).toBe(true);
    expect(await authorizeCredentials({ email: user.email, password: PASSWORD }, "10.3.0.1")).toMatchObject({
      id: user.id,
    });
    expect(
      await db().auditEntry.findFirst({ where: { action: "staff.invite_accept", actorId: user.id } }),
    ).toMatchObject({ result: "ok", targetId: user.id });

    // Single use.
    const again = await acceptInviteAction(null, form({ token, password: PASSWORD, confirmPassword: PASSWORD }));
    expect(again).toMatchObject({ ok: false, message: expect.stringMatching(/already used/) });
    expect(await inviteState(token)).toEqual({ status: "used" });
  });

  it("gives the link to copy when the SMTP server refuses, and the invite stands", async () => {
    setMailEnv({ SMTP_URL: "smtp://127.0.0.1:1" });
    const created = await invite("refused@example.test");
    expect(created).toMatchObject({ emailed: false, link: expect.stringMatching(/\/invite\//) });
    expect(created.mailError).toMatch(/could not be sent/);
    expect(await inviteState(tokenOf(created.link!))).toMatchObject({ status: "open" });
  });
});

describe("an invite link without email", () => {
  it("is given to the admin to copy, and works once", async () => {
    const created = await invite("copy@example.test");
    expect(created).toMatchObject({ emailed: false, mailError: null });
    const token = tokenOf(created.link!);
    expect(
      await acceptInviteAction(null, form({ token, password: PASSWORD, confirmPassword: PASSWORD })),
    ).toMatchObject({ ok: true });
  });

  it("expires after 72 hours", async () => {
    const created = await invite("late@example.test");
    const token = tokenOf(created.link!);
    await db().staffInvite.updateMany({
      where: { email: "late@example.test" },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expect(await inviteState(token)).toEqual({ status: "expired" });
    const late = await acceptInviteAction(null, form({ token, password: PASSWORD, confirmPassword: PASSWORD }));
    expect(late).toMatchObject({ ok: false, message: expect.stringMatching(/expired/) });
    expect(await db().staffUser.count({ where: { email: "late@example.test" } })).toBe(0);
  });

  it("a new invite replaces the pending one, and a withdrawn link stops working (audited)", async () => {
    const first = await invite("twice@example.test");
    const second = await invite("twice@example.test");
    expect(await inviteState(tokenOf(first.link!))).toEqual({ status: "revoked" });

    const admin = await signInAs("admin");
    const pending = await db().staffInvite.findFirstOrThrow({
      where: { email: "twice@example.test", revokedAt: null },
    });
    expect(await revokeInviteAction(null, form({ id: pending.id }))).toEqual({
      ok: true,
      data: { email: "twice@example.test" },
    });
    expect(await inviteState(tokenOf(second.link!))).toEqual({ status: "revoked" });
    expect(
      await db().auditEntry.findFirst({ where: { action: "staff.invite_revoke", actorId: admin.id } }),
    ).toMatchObject({ result: "ok", targetId: pending.id });
  });

  it("a made-up token is refused without a hint", async () => {
    expect(await inviteState("not-a-real-token-but-long-enough")).toEqual({ status: "unknown" });
    expect(await inviteState("../../etc")).toEqual({ status: "unknown" });
    const result = await acceptInviteAction(
      null,
      form({ token: "not-a-real-token-but-long-enough", password: PASSWORD, confirmPassword: PASSWORD }),
    );
    expect(result).toMatchObject({ ok: false, message: expect.stringMatching(/not valid/) });
  });

  it("two submissions of one link at once create one account", async () => {
    const created = await invite("race@example.test");
    const token = tokenOf(created.link!);
    const results = await Promise.all(
      [0, 1].map(() => acceptInviteAction(null, form({ token, password: PASSWORD, confirmPassword: PASSWORD }))),
    );
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect(await db().staffUser.count({ where: { email: "race@example.test" } })).toBe(1);
  });
});
