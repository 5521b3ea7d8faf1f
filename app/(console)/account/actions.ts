"use server";
import { z } from "zod";
import { callerAddress, runAction, type ActionResult } from "@/lib/actions";
import { revokeOwnSession } from "@/lib/auth/sessions";
import { currentSessionId } from "@/lib/auth/staff";
import {
  beginEnrolment,
  confirmEnrolment,
  disableOwnTwoFactor,
  regenerateRecoveryCodes,
  type EnrolmentSetup,
} from "@/lib/auth/two-factor";
import {
  beginEnrolmentSchema,
  confirmEnrolmentSchema,
  disableTwoFactorSchema,
  regenerateRecoveryCodesSchema,
} from "@/lib/auth/two-factor-schemas";
import { changeOwnPasswordSchema } from "@/lib/staff/schemas";
import { changeOwnPassword } from "@/lib/staff/staff";

export async function changeOwnPasswordAction(_prev: unknown, form: FormData): Promise<ActionResult<null>> {
  return runAction(
    {
      action: "account.change_password",
      permission: "account.manage",
      schema: changeOwnPasswordSchema,
      run: async (input, { staff }) => ({
        staffId: staff.id,
        otherSessionsEnded: await changeOwnPassword(
          staff.id,
          input.currentPassword,
          input.newPassword,
          await currentSessionId(),
        ),
      }),
      audit: (changed) => ({
        targetType: "staff",
        targetId: changed.staffId,
        details: { otherSessionsEnded: changed.otherSessionsEnded },
      }),
      revalidate: ["/account"],
      reply: () => null,
    },
    form,
  );
}

const endSessionSchema = z.object({ id: z.uuid("Unknown session.") });

/** "Sign out" on one of one's own sessions: it ends on the server, so that browser is signed out at its next request. */
export async function endSessionAction(_prev: unknown, form: FormData): Promise<ActionResult<null>> {
  return runAction(
    {
      action: "account.end_session",
      permission: "account.manage",
      schema: endSessionSchema,
      run: (input, { staff }) => revokeOwnSession(staff.id, input.id),
      subject: (input) => ({ targetType: "session", targetId: input.id }),
      audit: () => ({}),
      revalidate: ["/account"],
      reply: () => null,
    },
    form,
  );
}

/** Starts setting TOTP up: a new secret waits for its first code (nothing changes for sign-in until then). */
export async function beginTwoFactorAction(_prev: unknown, form: FormData): Promise<ActionResult<EnrolmentSetup>> {
  return runAction(
    {
      action: "account.two_factor_begin",
      permission: "account.manage",
      schema: beginEnrolmentSchema,
      run: (_input, { staff }) => beginEnrolment(staff),
      // Nothing is on yet; the confirmation below is the change worth an entry.
      audit: () => null,
    },
    form,
  );
}

/** Turns TOTP on with the first code; answers the recovery codes, shown once. */
export async function confirmTwoFactorAction(
  _prev: unknown,
  form: FormData,
): Promise<ActionResult<{ recoveryCodes: string[] }>> {
  return runAction(
    {
      action: "account.two_factor_enrol",
      permission: "account.manage",
      schema: confirmEnrolmentSchema,
      run: async (input, { staff }) => ({ staffId: staff.id, ...(await confirmEnrolment(staff.id, input.code)) }),
      audit: (result) => ({ targetType: "staff", targetId: result.staffId }),
      reply: (result) => ({ recoveryCodes: result.recoveryCodes }),
    },
    form,
  );
}

/** Ten new recovery codes (the old ones stop working), shown once; needs the current code or the password. */
export async function regenerateRecoveryCodesAction(
  _prev: unknown,
  form: FormData,
): Promise<ActionResult<{ recoveryCodes: string[] }>> {
  return runAction(
    {
      action: "account.recovery_codes_regenerate",
      permission: "account.manage",
      schema: regenerateRecoveryCodesSchema,
      run: async (input, { staff }) => ({
        staffId: staff.id,
        ...(await regenerateRecoveryCodes(staff, input.proof, (await callerAddress()) ?? "unknown")),
      }),
      audit: (result) => ({ targetType: "staff", targetId: result.staffId }),
      revalidate: ["/account"],
      reply: (result) => ({ recoveryCodes: result.recoveryCodes }),
    },
    form,
  );
}

/** Turns one's own two-factor off with the current code (refused where REQUIRE_2FA_FOR covers the role). */
export async function disableTwoFactorAction(_prev: unknown, form: FormData): Promise<ActionResult<null>> {
  return runAction(
    {
      action: "account.two_factor_disable",
      permission: "account.manage",
      schema: disableTwoFactorSchema,
      run: async (input, { staff }) => disableOwnTwoFactor(staff, input.code, (await callerAddress()) ?? "unknown"),
      audit: (result) => ({ targetType: "staff", targetId: result.staffId }),
      revalidate: ["/account"],
      reply: () => null,
    },
    form,
  );
}
