"use server";
import { callerAddress, type ActionResult } from "@/lib/actions";
import { ActionError, fieldErrorsOf, CORRECT_FIELDS_MESSAGE } from "@/lib/errors";
import { formToObject } from "@/lib/forms";
import { completePasswordReset } from "@/lib/staff/password-resets";
import { completePasswordResetSchema } from "@/lib/staff/invites-schemas";

/**
 * The member chooses a new password through a reset link. They are not signed in, so this is not a runAction
 * action: the link's token (single use, expiring, only its hash stored) authorises it, like an invite (decision
 * 0048); lib/staff/password-resets.ts checks it, ends the member's sessions and audits with the member as actor.
 */
export async function completePasswordResetAction(
  _prev: unknown,
  form: FormData,
): Promise<ActionResult<{ email: string }>> {
  const parsed = completePasswordResetSchema.safeParse(formToObject(form));
  if (!parsed.success) return { ok: false, message: CORRECT_FIELDS_MESSAGE, fieldErrors: fieldErrorsOf(parsed.error) };
  try {
    const ip = (await callerAddress()) ?? "unknown";
    const { email } = await completePasswordReset(parsed.data.token, parsed.data.password, ip);
    return { ok: true, data: { email } };
  } catch (error) {
    if (error instanceof ActionError) return { ok: false, message: error.message };
    throw error;
  }
}
