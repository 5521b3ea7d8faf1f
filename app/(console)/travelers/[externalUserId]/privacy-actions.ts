"use server";
import { z } from "zod";
import { runAction, type ActionResult } from "@/lib/actions";
import { ActionError } from "@/lib/errors";
import { eraseTraveler } from "@/lib/privacy/erasure";
import { clearLegalHold, setLegalHold } from "@/lib/privacy/hold";

const travelerSchema = z.object({ externalUserId: z.string().trim().min(1).max(200) });
const travelerPath = (externalUserId: string) => `/travelers/${encodeURIComponent(externalUserId)}`;

const holdSchema = travelerSchema.extend({
  reason: z.string().trim().min(3, "Say why the data must be kept (a case or ticket reference).").max(500),
});

/** Sets (or changes the reason of) a legal hold: erasure is refused while it stands. Admin only, audited. */
export async function setLegalHoldAction(_prev: unknown, form: FormData): Promise<ActionResult<{ reason: string }>> {
  return runAction(
    {
      action: "privacy.legal_hold_set",
      permission: "privacy.manage",
      schema: holdSchema,
      subject: (input) => ({
        targetType: "traveler",
        targetId: input.externalUserId,
        externalUserId: input.externalUserId,
      }),
      run: (input, { staff }) => setLegalHold(input.externalUserId, input.reason, staff),
      audit: (change) => ({ details: change }),
      revalidate: (input) => [travelerPath(input.externalUserId)],
      reply: (change) => ({ reason: change.after }),
    },
    form,
  );
}

export async function clearLegalHoldAction(_prev: unknown, form: FormData): Promise<ActionResult<{ reason: string }>> {
  return runAction(
    {
      action: "privacy.legal_hold_clear",
      permission: "privacy.manage",
      schema: travelerSchema,
      subject: (input) => ({
        targetType: "traveler",
        targetId: input.externalUserId,
        externalUserId: input.externalUserId,
      }),
      run: (input) => clearLegalHold(input.externalUserId),
      audit: (removed) => ({ details: { before: removed.reason } }),
      revalidate: (input) => [travelerPath(input.externalUserId)],
    },
    form,
  );
}

const eraseSchema = travelerSchema.extend({ confirmId: z.string().trim().max(200) });

/**
 * Erases the traveler's personal data (lib/privacy/erasure.ts): the confirmation must repeat the id. The success
 * entry names the pseudonym only; a refusal (a legal hold) is filed under the id, which then still exists.
 */
export async function eraseTravelerAction(
  _prev: unknown,
  form: FormData,
): Promise<ActionResult<{ pseudonym: string; alreadyErased: boolean; rows: number }>> {
  return runAction(
    {
      action: "privacy.erase",
      permission: "privacy.manage",
      schema: eraseSchema,
      subject: (input) => ({
        targetType: "traveler",
        targetId: input.externalUserId,
        externalUserId: input.externalUserId,
      }),
      run: async (input, { staff }) => {
        if (input.confirmId !== input.externalUserId) {
          throw new ActionError("Type the traveler's id exactly to confirm.", {
            fieldErrors: { confirmId: ["This is not the traveler's id."] },
          });
        }
        return eraseTraveler(input.externalUserId, { trigger: "staff", actor: staff });
      },
      // Never the id in clear: the entry is about the pseudonym (an HMAC of the id).
      audit: (outcome) => ({
        targetType: "traveler",
        targetId: outcome.pseudonym,
        externalUserId: outcome.pseudonym,
        details: { pseudonym: outcome.pseudonym, rewritten: outcome.rewritten, alreadyErased: outcome.alreadyErased },
      }),
      // No revalidation: it would re-render the page in view, whose id no longer exists, as "not found" in the
      // action's own response, unmounting the panel before it could move to the pseudonym's page. The panel
      // navigates there itself; every console page is dynamic, so nothing cached shows the old id.
      reply: (outcome) => ({
        pseudonym: outcome.pseudonym,
        alreadyErased: outcome.alreadyErased,
        rows: Object.values(outcome.rewritten).reduce((sum, rows) => sum + rows, 0),
      }),
    },
    form,
  );
}
