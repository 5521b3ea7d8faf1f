"use server";
import { z } from "zod";
import { runAction, type ActionResult } from "@/lib/actions";
import { signOutEverywhere } from "@/lib/auth/sessions";
import {
  changeRoleSchema,
  createStaffSchema,
  resetPasswordSchema,
  setDisabledSchema,
  staffIdSchema,
} from "@/lib/staff/schemas";
import { changeStaffRole, createStaff, resetStaffPassword, setStaffDisabled } from "@/lib/staff/staff";
import { resetTwoFactor } from "@/lib/auth/two-factor";
import { staffIdInputSchema } from "@/lib/auth/two-factor-schemas";

type Reply = Promise<ActionResult<{ email: string }>>;
/** Every action on the staff screen: admins only, the screen revalidated, the browser told whose account changed. */
const staffScreen = {
  permission: "staff.manage",
  revalidate: ["/staff"],
  reply: (changed: { email: string }) => ({ email: changed.email }),
} as const;
const byId = (input: { id: string }) => ({ targetType: "staff", targetId: input.id });

export async function createStaffAction(_prev: unknown, form: FormData): Reply {
  return runAction(
    {
      ...staffScreen,
      action: "staff.create",
      schema: createStaffSchema,
      run: (input) => createStaff(input),
      audit: (created) => ({
        targetType: "staff",
        targetId: created.id,
        details: { email: created.email, role: created.role },
      }),
    },
    form,
  );
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

export async function resetPasswordAction(_prev: unknown, form: FormData): Reply {
  return runAction(
    {
      ...staffScreen,
      action: "staff.reset_password",
      schema: resetPasswordSchema,
      subject: byId,
      run: (input) => resetStaffPassword(input.id, input.password),
      audit: (changed) => ({ details: { email: changed.email } }),
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
