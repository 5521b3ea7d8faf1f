"use server";
import { callerAddress, type ActionResult } from "@/lib/actions";
import { ActionError, fieldErrorsOf, CORRECT_FIELDS_MESSAGE } from "@/lib/errors";
import { formToObject } from "@/lib/forms";
import { acceptInvite } from "@/lib/staff/invites";
import { acceptInviteSchema } from "@/lib/staff/invites-schemas";

/**
 * The invitee chooses a password. There is no session yet, so this is not a runAction action: the invite token
 * (single use, expiring, only its hash stored) is what authorises it; lib/staff/invites.ts checks it and audits the
 * acceptance with the new member as actor (decision 0048).
 */
export async function acceptInviteAction(_prev: unknown, form: FormData): Promise<ActionResult<{ email: string }>> {
  const parsed = acceptInviteSchema.safeParse(formToObject(form));
  if (!parsed.success) return { ok: false, message: CORRECT_FIELDS_MESSAGE, fieldErrors: fieldErrorsOf(parsed.error) };
  try {
    const ip = (await callerAddress()) ?? "unknown";
    return { ok: true, data: await acceptInvite(parsed.data.token, parsed.data.password, ip) };
  } catch (error) {
    if (error instanceof ActionError) return { ok: false, message: error.message };
    throw error;
  }
}
