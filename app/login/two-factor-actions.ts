"use server";
import { callerAddress, type ActionResult } from "@/lib/actions";
import { ActionError, ValidationError, fieldErrorsOf } from "@/lib/errors";
import { beginChallengeEnrolment, confirmChallengeEnrolment, type EnrolmentSetup } from "@/lib/auth/two-factor";
import { challengeEnrolmentSchema, challengeSchema } from "@/lib/auth/two-factor-schemas";
import { formToObject } from "@/lib/forms";

// The enrolment step of a sign-in that requires two-factor. There is no session yet, so these are not runAction
// actions: the sign-in challenge (single use, 10 minutes, given only after the right password) is what authorises
// them, and lib/auth/two-factor.ts checks it, throttles wrong codes and audits the enrolment (decision 0048).

async function answer<T>(run: () => Promise<T>): Promise<ActionResult<T>> {
  try {
    return { ok: true, data: await run() };
  } catch (error) {
    if (error instanceof ValidationError) return { ok: false, message: error.message, fieldErrors: error.fieldErrors };
    if (error instanceof ActionError) return { ok: false, message: error.message, fieldErrors: error.fieldErrors };
    throw error;
  }
}

export async function beginSignInEnrolmentAction(
  _prev: unknown,
  form: FormData,
): Promise<ActionResult<EnrolmentSetup>> {
  const parsed = challengeSchema.safeParse(formToObject(form));
  if (!parsed.success) return { ok: false, message: "This sign-in has expired. Sign in again." };
  return answer(async () => {
    const { secret, uri, qrSvg } = await beginChallengeEnrolment(parsed.data.challenge);
    return { secret, uri, qrSvg };
  });
}

export async function confirmSignInEnrolmentAction(
  _prev: unknown,
  form: FormData,
): Promise<ActionResult<{ recoveryCodes: string[] }>> {
  const parsed = challengeEnrolmentSchema.safeParse(formToObject(form));
  if (!parsed.success) {
    const fieldErrors = fieldErrorsOf(parsed.error);
    return { ok: false, message: fieldErrors.code?.[0] ?? "This sign-in has expired. Sign in again.", fieldErrors };
  }
  const ip = (await callerAddress()) ?? "unknown";
  return answer(() => confirmChallengeEnrolment(parsed.data.challenge, parsed.data.code, ip));
}
