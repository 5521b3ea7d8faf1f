import "server-only";
import crypto from "node:crypto";
import { db } from "../db";
import { ActionError } from "../errors";
import { mailConfigured, sendMail } from "../mail";
import { audit } from "../audit/audit";
import { hashPassword } from "../auth/password";
import { endSessions } from "../auth/sessions";

/**
 * Password reset links (decision 0056): an admin sends a member a link, never a password. A link is a StaffInvite
 * row with `staffId` set, so it has an invite's guarantees: a random 256-bit token stored as its SHA-256, single
 * use, expiring. The old password keeps working until the member uses the link; using it sets the new password
 * and ends every session of the member.
 */

export const PASSWORD_RESET_TTL_HOURS = 24;
const PASSWORD_RESET_TTL_MS = PASSWORD_RESET_TTL_HOURS * 60 * 60 * 1000;

const sha256 = (token: string) => crypto.createHash("sha256").update(token).digest("hex");

export function passwordResetLink(baseUrl: string, token: string): string {
  return new URL(`/password-reset/${token}`, baseUrl).toString();
}

export type CreatedPasswordReset = {
  id: string;
  staffId: string;
  email: string;
  expiresAt: Date;
  emailed: boolean;
  /** The link, for the admin to pass on, when it was not emailed. */
  link?: string;
  /** Why the email could not be sent, when SMTP_URL is set but the server refused. */
  mailError?: string;
};

export async function createPasswordReset(input: {
  staffId: string;
  requestedBy: { id: string; name: string };
  baseUrl: string;
  now?: Date;
}): Promise<CreatedPasswordReset> {
  const user = await db().staffUser.findUnique({
    where: { id: input.staffId },
    select: { id: true, email: true, name: true, role: true, hasPassword: true, disabled: true },
  });
  if (!user) throw new ActionError("This staff member no longer exists.");
  if (!user.hasPassword) {
    throw new ActionError(
      `${user.email} signs in with single sign-on and has no password here: their identity provider resets it.`,
    );
  }
  if (user.disabled) throw new ActionError(`${user.email} is disabled: enable the account before sending a reset.`);
  const token = crypto.randomBytes(32).toString("base64url");
  const now = input.now ?? new Date();
  const reset = await db().$transaction(async (tx) => {
    // Only the latest link works: sending another withdraws the pending one.
    await tx.staffInvite.updateMany({
      where: { staffId: user.id, acceptedAt: null, revokedAt: null },
      data: { revokedAt: now },
    });
    return tx.staffInvite.create({
      data: {
        tokenHash: sha256(token),
        email: user.email,
        name: user.name,
        role: user.role,
        staffId: user.id,
        invitedById: input.requestedBy.id,
        createdAt: now,
        expiresAt: new Date(now.getTime() + PASSWORD_RESET_TTL_MS),
      },
    });
  });
  const link = passwordResetLink(input.baseUrl, token);
  const created = { id: reset.id, staffId: user.id, email: user.email, expiresAt: reset.expiresAt };
  if (!mailConfigured()) return { ...created, emailed: false, link };
  try {
    await sendMail({
      to: user.email,
      subject: "Reset your Hubby partner console password",
      text: [
        `Hello ${user.name},`,
        "",
        `${input.requestedBy.name} sent you a link to choose a new password for the Hubby partner console.`,
        "It works once:",
        "",
        link,
        "",
        `The link expires on ${reset.expiresAt.toISOString().slice(0, 16).replace("T", " ")} UTC (in ${PASSWORD_RESET_TTL_HOURS} hours).`,
        "Your current password keeps working until you use it. Choosing a new one signs you out everywhere.",
        "",
        "If you did not expect this email, tell your admin.",
      ].join("\n"),
    });
    return { ...created, emailed: true };
  } catch (error) {
    // The link stands: the admin passes it on another way.
    return { ...created, emailed: false, link, mailError: error instanceof Error ? error.message : String(error) };
  }
}

export type PasswordResetState =
  | { status: "open"; email: string; name: string; expiresAt: Date }
  | { status: "used" | "expired" | "revoked" | "unknown" };

/** What the reset page shows for a token; never says more than that a link is unusable. */
export async function passwordResetState(token: string, now = new Date()): Promise<PasswordResetState> {
  if (!/^[A-Za-z0-9_-]{20,200}$/.test(token)) return { status: "unknown" };
  const reset = await db().staffInvite.findUnique({ where: { tokenHash: sha256(token) } });
  // An invitation's token is not a reset link.
  if (!reset?.staffId) return { status: "unknown" };
  if (reset.acceptedAt) return { status: "used" };
  if (reset.revokedAt) return { status: "revoked" };
  if (reset.expiresAt <= now) return { status: "expired" };
  return { status: "open", email: reset.email, name: reset.name, expiresAt: reset.expiresAt };
}

const unusable: Record<Exclude<PasswordResetState["status"], "open">, string> = {
  used: "This password reset link was already used. Sign in with the password you chose, or ask an admin for a new link.",
  expired: "This password reset link has expired. Your password has not changed; ask an admin for a new link.",
  revoked:
    "This password reset link was replaced by a newer one or withdrawn. Use the latest link, or ask an admin for a new one.",
  unknown: "This password reset link is not valid. Check that you copied all of it, or ask an admin for a new one.",
};

export function unusablePasswordResetMessage(status: Exclude<PasswordResetState["status"], "open">): string {
  return unusable[status];
}

/**
 * Uses a reset link: the link is spent and the password set in one transaction (of two submissions only one
 * wins), then every session of the member ends. Audited with the member as actor.
 */
export async function completePasswordReset(
  token: string,
  password: string,
  ip: string,
  now = new Date(),
): Promise<{ email: string; sessionsEnded: number }> {
  const state = await passwordResetState(token, now);
  if (state.status !== "open") throw new ActionError(unusablePasswordResetMessage(state.status));
  const passwordHash = await hashPassword(password);
  const { user, reset } = await db().$transaction(async (tx) => {
    const reset = await tx.staffInvite.findUniqueOrThrow({ where: { tokenHash: sha256(token) } });
    const { count } = await tx.staffInvite.updateMany({
      where: { id: reset.id, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
      data: { acceptedAt: now },
    });
    if (count !== 1) throw new ActionError(unusablePasswordResetMessage("used"));
    const user = await tx.staffUser.findUnique({
      where: { id: reset.staffId! },
      select: { id: true, email: true, disabled: true },
    });
    if (!user || user.disabled) {
      throw new ActionError("This account no longer exists or is disabled. Ask an admin.");
    }
    await tx.staffUser.update({ where: { id: user.id }, data: { passwordHash, hasPassword: true } });
    return { user, reset };
  });
  const sessionsEnded = await endSessions(user.id, "password_reset");
  await audit({
    actor: { id: user.id, email: user.email },
    action: "staff.password_reset_complete",
    targetType: "staff",
    targetId: user.id,
    result: "ok",
    details: { resetId: reset.id, requestedById: reset.invitedById, sessionsEnded, ip },
  });
  return { email: user.email, sessionsEnded };
}
