"use server";
import { z } from "zod";
import { runAction, type ActionResult } from "@/lib/actions";
import { signOutEverywhere } from "@/lib/auth/sessions";
import { headers } from "next/headers";
import { getEnv } from "@/lib/env";
import { changeRoleSchema, renameStaffSchema, setDisabledSchema, staffIdSchema } from "@/lib/staff/schemas";
import { changeStaffRole, renameStaff, setStaffDisabled } from "@/lib/staff/staff";
import { createPasswordReset } from "@/lib/staff/password-resets";
import { createInvite, revokeInvite } from "@/lib/staff/invites";
import { inviteIdSchema, inviteStaffSchema } from "@/lib/staff/invites-schemas";
import { resetTwoFactor } from "@/lib/auth/two-factor";
import { staffIdInputSchema } from "@/lib/auth/two-factor-schemas";

type Reply = Promise<ActionResult<{ email: string }>>;
export type InviteReply = { email: string; emailed: boolean; link: string | null; mailError: string | null };
/** Every action on the staff screen: admins only, the screen revalidated, the browser told whose account changed. */
const staffScreen = {
  permission: "staff.manage",
  revalidate: ["/staff"],
  reply: (changed: { email: string }) => ({ email: changed.email }),
} as const;
const byId = (input: { id: string }) => ({ targetType: "staff", targetId: input.id });

/** Invites a person by email (or gives the link to copy when no SMTP is set); they choose their own password. */
export async function inviteStaffAction(_prev: unknown, form: FormData): Promise<ActionResult<InviteReply>> {
  return runAction(
    {
      permission: "staff.manage",
      revalidate: ["/staff"],
      action: "staff.invite",
      schema: inviteStaffSchema,
      run: async (input, { staff }) => createInvite({ ...input, invitedBy: staff, baseUrl: await consoleOrigin() }),
      audit: (invite) => ({
        targetType: "staff_invite",
        targetId: invite.id,
        details: { email: invite.email, role: invite.role, emailed: invite.emailed },
      }),
      reply: (invite) => ({
        email: invite.email,
        emailed: invite.emailed,
        link: invite.link ?? null,
        mailError: invite.mailError ?? null,
      }),
    },
    form,
  );
}

export async function revokeInviteAction(_prev: unknown, form: FormData): Reply {
  return runAction(
    {
      ...staffScreen,
      action: "staff.invite_revoke",
      schema: inviteIdSchema,
      subject: (input) => ({ targetType: "staff_invite", targetId: input.id }),
      run: (input) => revokeInvite(input.id),
      audit: (invite) => ({ details: { email: invite.email } }),
    },
    form,
  );
}

/** The console's public origin for links: NEXTAUTH_URL, else the origin this request came to. */
async function consoleOrigin(): Promise<string> {
  const configured = getEnv().NEXTAUTH_URL;
  if (configured) return new URL(configured).origin;
  const fallback = `http://localhost:${getEnv().PORT}`;
  try {
    const list = await headers();
    const host = list.get("x-forwarded-host") ?? list.get("host");
    const protocol = list.get("x-forwarded-proto") === "https" ? "https" : "http";
    return host ? new URL(`${protocol}://${host}`).origin : fallback;
  } catch {
    // Outside a request (scripts, tests): the console's own port.
    return fallback;
  }
}

export async function changeRoleAction(_prev: unknown, form: FormData): Reply {
  return runAction(
    {
      ...staffScreen,
      action: "staff.change_role",
      schema: changeRoleSchema,
      subject: byId,
      run: (input) => changeStaffRole(input.id, input.role),
      audit: (change) => ({ details: change }),
    },
    form,
  );
}

/** Renames a staff member; audited with the old and new name. */
export async function renameStaffAction(_prev: unknown, form: FormData): Reply {
  return runAction(
    {
      ...staffScreen,
      action: "staff.rename",
      schema: renameStaffSchema,
      subject: byId,
      run: (input) => renameStaff(input.id, input.name),
      audit: (change) => ({ details: change }),
    },
    form,
  );
}

export async function setDisabledAction(_prev: unknown, form: FormData): Reply {
  return runAction(
    {
      ...staffScreen,
      action: "staff.set_disabled",
      schema: setDisabledSchema,
      subject: byId,
      run: (input, { staff }) => setStaffDisabled(input.id, input.disabled, staff.id),
      audit: (changed, input) => ({
        action: input.disabled ? "staff.disable" : "staff.enable",
        details: { email: changed.email },
      }),
    },
    form,
  );
}

export type PasswordResetReply = { email: string; emailed: boolean; link: string | null; mailError: string | null };

/**
 * Sends a member a single-use link to choose a new password (or gives it to copy when no SMTP is set); the admin
 * never types or sees a password. Their current password works until the link is used.
 */
export async function sendPasswordResetAction(
  _prev: unknown,
  form: FormData,
): Promise<ActionResult<PasswordResetReply>> {
  return runAction(
    {
      ...staffScreen,
      action: "staff.password_reset_send",
      schema: z.object({ id: staffIdSchema }),
      subject: byId,
      run: async (input, { staff }) =>
        createPasswordReset({ staffId: input.id, requestedBy: staff, baseUrl: await consoleOrigin() }),
      audit: (reset) => ({ details: { email: reset.email, resetId: reset.id, emailed: reset.emailed } }),
      reply: (reset) => ({
        email: reset.email,
        emailed: reset.emailed,
        link: reset.link ?? null,
        mailError: reset.mailError ?? null,
      }),
    },
    form,
  );
}

/** Ends every session of a staff member at once (audited with how many ended). */
export async function signOutEverywhereAction(
  _prev: unknown,
  form: FormData,
): Promise<ActionResult<{ email: string; ended: number }>> {
  return runAction(
    {
      ...staffScreen,
      action: "staff.sign_out_everywhere",
      schema: z.object({ id: staffIdSchema }),
      subject: byId,
      run: (input) => signOutEverywhere(input.id),
      audit: (result) => ({ details: result }),
      reply: (result) => result,
    },
    form,
  );
}

/** A lost phone: the member's TOTP and recovery codes are removed and their sessions end (audited). */
export async function resetTwoFactorAction(_prev: unknown, form: FormData): Reply {
  return runAction(
    {
      ...staffScreen,
      action: "staff.reset_two_factor",
      schema: staffIdInputSchema,
      subject: byId,
      run: (input) => resetTwoFactor(input.id),
      audit: (changed) => ({ details: { email: changed.email, hadTwoFactor: changed.hadTwoFactor } }),
    },
    form,
  );
}
