"use server";
import { z } from "zod";
import { runAction, type ActionResult } from "@/lib/actions";
import { revokeOwnSession } from "@/lib/auth/sessions";
import { currentSessionId } from "@/lib/auth/staff";
import { beginEnrolment, confirmEnrolment, type EnrolmentSetup } from "@/lib/auth/two-factor";
import { beginEnrolmentSchema, confirmEnrolmentSchema } from "@/lib/auth/two-factor-schemas";
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
