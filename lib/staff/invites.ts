import "server-only";
import crypto from "node:crypto";
import { db, isUniqueViolation } from "../db";
import { ActionError, ValidationError } from "../errors";
import { mailConfigured, sendMail } from "../mail";
import { audit } from "../audit/audit";
import { hashPassword } from "../auth/password";
import { roleLabels, type StaffRole } from "../auth/roles";
import { twoFactorRequiredFor } from "../auth/two-factor";

/**
 * Invites: an admin names a person, an email and a role; the person sets their own password through a link that
 * works once and expires (decision 0049). Only the token's SHA-256 is stored, so the database cannot be read
 * for working links. With SMTP_URL the link is emailed; without it the admin copies it from the dialog.
 */

export const INVITE_TTL_HOURS = 72;
const INVITE_TTL_MS = INVITE_TTL_HOURS * 60 * 60 * 1000;

const sha256 = (token: string) => crypto.createHash("sha256").update(token).digest("hex");

export function inviteLink(baseUrl: string, token: string): string {
  return new URL(`/invite/${token}`, baseUrl).toString();
}

export type CreatedInvite = {
  id: string;
  email: string;
  role: StaffRole;
  expiresAt: Date;
  /** Whether the link went out by email. */
  emailed: boolean;
  /** The link, for the admin to pass on, when it was not emailed. */
  link?: string;
  /** Why the email could not be sent, when SMTP_URL is set but the server refused. */
  mailError?: string;
};

export async function createInvite(input: {
  email: string;
  name: string;
  role: StaffRole;
  invitedBy: { id: string; name: string };
  /** The console's public origin, for the link. */
  baseUrl: string;
}): Promise<CreatedInvite> {
  if (await db().staffUser.findUnique({ where: { email: input.email }, select: { id: true } })) {
    const message = "A staff member with this email already exists.";
    throw new ValidationError({ email: [message] }, message);
  }
  const token = crypto.randomBytes(32).toString("base64url");
  const now = new Date();
  const invite = await db().$transaction(async (tx) => {
    // A new invite replaces any pending one for the address: only the latest link works.
    await tx.staffInvite.updateMany({
      where: { email: input.email, staffId: null, acceptedAt: null, revokedAt: null },
      data: { revokedAt: now },
    });
    return tx.staffInvite.create({
      data: {
        tokenHash: sha256(token),
        email: input.email,
        name: input.name,
        role: input.role,
        invitedById: input.invitedBy.id,
        createdAt: now,
        expiresAt: new Date(now.getTime() + INVITE_TTL_MS),
      },
    });
  });
  const link = inviteLink(input.baseUrl, token);
  const created = { id: invite.id, email: invite.email, role: invite.role, expiresAt: invite.expiresAt };
  if (!mailConfigured()) return { ...created, emailed: false, link };
  try {
    await sendMail({ to: input.email, ...inviteEmail({ ...input, link, expiresAt: invite.expiresAt }) });
    return { ...created, emailed: true };
  } catch (error) {
    // The invite stands: the admin passes the link on another way.
    return { ...created, emailed: false, link, mailError: error instanceof Error ? error.message : String(error) };
  }
}

function inviteEmail(input: {
  name: string;
  role: StaffRole;
  invitedBy: { name: string };
  link: string;
  expiresAt: Date;
}) {
  const role = roleLabels[input.role];
  const required = twoFactorRequiredFor(input.role);
  const text = [
    `Hello ${input.name},`,
    "",
    `${input.invitedBy.name} invited you to the Hubby partner console as ${role}.`,
    "Choose your password here (the link works once):",
    "",
    input.link,
    "",
    `The link expires on ${input.expiresAt.toISOString().slice(0, 16).replace("T", " ")} UTC (in ${INVITE_TTL_HOURS} hours).`,
    ...(required ? ["", "Your role signs in with two-factor: have an authenticator app on your phone ready."] : []),
    "",
    "If you did not expect this invitation, ignore this email.",
  ].join("\n");
  return { subject: "Your invitation to the Hubby partner console", text };
}

export type InviteState =
  | { status: "open"; email: string; name: string; role: StaffRole; expiresAt: Date; twoFactorRequired: boolean }
  | { status: "used" | "expired" | "revoked" | "unknown" };

/** What the invite page shows for a token; never says more than that a link is unusable. */
export async function inviteState(token: string, now = new Date()): Promise<InviteState> {
  if (!/^[A-Za-z0-9_-]{20,200}$/.test(token)) return { status: "unknown" };
  const invite = await db().staffInvite.findUnique({ where: { tokenHash: sha256(token) } });
  if (!invite) return { status: "unknown" };
  if (invite.acceptedAt) return { status: "used" };
  if (invite.revokedAt) return { status: "revoked" };
  if (invite.expiresAt <= now) return { status: "expired" };
  return {
    status: "open",
    email: invite.email,
    name: invite.name,
    role: invite.role,
    expiresAt: invite.expiresAt,
    twoFactorRequired: twoFactorRequiredFor(invite.role),
  };
}

const unusable: Record<Exclude<InviteState["status"], "open">, string> = {
  used: "This invitation was already used. Sign in with the password you chose.",
  expired: "This invitation has expired. Ask an admin for a new one.",
  revoked: "This invitation was withdrawn. Ask an admin for a new one.",
  unknown: "This invitation link is not valid. Check that you copied all of it, or ask an admin for a new one.",
};

export function unusableInviteMessage(status: Exclude<InviteState["status"], "open">): string {
  return unusable[status];
}

/**
 * Accepts an invite: the account is created with the chosen password and the invite spent, in one transaction,
 * so of two submissions of one link only one creates an account. Audited with the new member as actor.
 */
export async function acceptInvite(token: string, password: string, ip: string): Promise<{ email: string }> {
  const state = await inviteState(token);
  if (state.status !== "open") throw new ActionError(unusableInviteMessage(state.status));
  const passwordHash = await hashPassword(password);
  const now = new Date();
  try {
    const { user, invite } = await db().$transaction(async (tx) => {
      const invite = await tx.staffInvite.findUniqueOrThrow({ where: { tokenHash: sha256(token) } });
      const { count } = await tx.staffInvite.updateMany({
        where: { id: invite.id, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
        data: { acceptedAt: now },
      });
      if (count !== 1) throw new ActionError(unusableInviteMessage("used"));
      const user = await tx.staffUser.create({
        data: { email: invite.email, name: invite.name, role: invite.role, passwordHash },
        select: { id: true, email: true, role: true },
      });
      return { user, invite };
    });
    await audit({
      actor: { id: user.id, email: user.email },
      action: "staff.invite_accept",
      targetType: "staff",
      targetId: user.id,
      result: "ok",
      details: { email: user.email, role: user.role, inviteId: invite.id, invitedById: invite.invitedById, ip },
    });
    return { email: user.email };
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new ActionError("An account with this email already exists. Sign in, or ask an admin.");
    }
    throw error;
  }
}

export async function listPendingInvites(now = new Date()) {
  return db().staffInvite.findMany({
    where: { staffId: null, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
    orderBy: { createdAt: "desc" },
    take: 50,
    select: { id: true, email: true, name: true, role: true, expiresAt: true, createdAt: true },
  });
}

/** Withdraws a pending invite: its link stops working. */
export async function revokeInvite(id: string): Promise<{ email: string }> {
  const invite = await db().staffInvite.findUnique({ where: { id }, select: { email: true } });
  if (!invite) throw new ActionError("This invitation no longer exists.");
  const { count } = await db().staffInvite.updateMany({
    where: { id, acceptedAt: null, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  if (count !== 1) throw new ActionError("This invitation was already used or withdrawn.");
  return invite;
}
