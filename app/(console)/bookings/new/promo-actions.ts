"use server";
import { revalidatePath } from "next/cache";
import crypto from "node:crypto";
import { z } from "zod";
import { ActionError, formToObject, runAction, type ActionResult, type FieldErrors } from "@/lib/actions";
import { audit } from "@/lib/audit/audit";
import { rolesFor } from "@/lib/auth/roles";
import type { PromoCodeBookingRequest } from "@/lib/bookings/promo-request";
import type { BookingQuote } from "@/lib/bookings/quote";
import { formFieldForHubbyField } from "@/lib/bookings/request";
import { hubbyFor } from "@/lib/hubby";
import { issuePromoCodes, preparePromoCodes, type PreparedPromoCodes } from "@/lib/promo-codes/issue";

export type PromoPreviewData = {
  outcome: "preview";
  request: PromoCodeBookingRequest;
  quote: BookingQuote;
  codes: number;
};
export type PromoInvalidData = { outcome: "invalid"; message: string; fieldErrors: FieldErrors };
export type PromoSentData = {
  outcome: "sent" | "unknown" | "existing" | "failed";
  intentId: string;
  message: string;
  fieldErrors?: FieldErrors;
  /** A fresh key for the form after Hubby refused the booking, so the corrected form makes a new intent. */
  nextClientKey?: string;
};

const ACTION = "promo_codes.issue";
const anyForm = z.record(z.string(), z.unknown());

async function prepare(form: FormData, role: Parameters<typeof preparePromoCodes>[1]["role"]) {
  const result = await preparePromoCodes(formToObject(form), { role });
  if (result.ok) return { ok: true as const, prepared: result.prepared };
  // A role refusal is audited by runAction; a form mistake is only shown.
  if (result.refused) throw new ActionError(result.message);
  const invalid: PromoInvalidData = {
    outcome: "invalid",
    message: result.message,
    fieldErrors: result.fieldErrors ?? {},
  };
  return { ok: false as const, invalid };
}

/** Step 1: the exact request (one specification per code, none with external_user_id) and its cost. Sends nothing. */
export async function previewPromoCodesAction(
  _prev: unknown,
  form: FormData,
): Promise<ActionResult<PromoPreviewData | PromoInvalidData>> {
  return runAction(
    { action: ACTION, roles: rolesFor("promoCodes.issue"), schema: anyForm, input: {} },
    async (_input, { staff }) => {
      const result = await prepare(form, staff.role);
      if (!result.ok) return result.invalid;
      const { request, quote, codes } = result.prepared;
      return { outcome: "preview", request, quote, codes };
    },
  );
}

function auditDetails(prepared: PreparedPromoCodes, state: { status: string; hubbyBookingId: string | null }) {
  return {
    status: state.status,
    hubbyBookingId: state.hubbyBookingId,
    reference: prepared.request.booking_id,
    codes: prepared.codes,
    destinations: prepared.destinations,
    costCents: prepared.quote.total.costCents,
    currency: prepared.quote.currency,
  };
}

/** Step 2: write the intent (once per rendered form), send it (once per intent), store the codes Hubby returned. */
export async function sendPromoCodesAction(
  _prev: unknown,
  form: FormData,
): Promise<ActionResult<PromoSentData | PromoInvalidData>> {
  return runAction(
    { action: ACTION, roles: rolesFor("promoCodes.issue"), schema: anyForm, input: {} },
    async (_input, { staff, requestId }) => {
      const result = await prepare(form, staff.role);
      if (!result.ok) return result.invalid;
      const { prepared } = result;
      const issued = await issuePromoCodes(prepared, await hubbyFor(staff), staff);
      const { intent } = issued;
      if (!issued.created) {
        return {
          outcome: "existing",
          intentId: intent.id,
          message: `This form was already submitted (${intent.status}); nothing was sent again.`,
        };
      }
      await audit({
        actor: staff,
        action: ACTION,
        targetType: "booking_intent",
        targetId: intent.id,
        result: intent.status === "SENT" ? "ok" : "error",
        details: {
          ...auditDetails(prepared, intent),
          storedCodes: issued.stored,
          ...(intent.error ? { error: intent.error } : {}),
        },
        requestId,
      });
      revalidatePath("/bookings");
      revalidatePath("/promo-codes");

      if (intent.status === "FAILED") {
        const field = intent.errorField ? formFieldForHubbyField(intent.errorField, 1) : "form";
        return {
          outcome: "failed",
          intentId: intent.id,
          message: intent.error ?? "Hubby refused the booking.",
          fieldErrors: { [field]: [intent.error ?? "Hubby refused this value."] },
          nextClientKey: crypto.randomUUID(),
        };
      }
      if (intent.status === "SENT") {
        return {
          outcome: "sent",
          intentId: intent.id,
          message:
            issued.stored === prepared.codes
              ? `${issued.stored} promo code${issued.stored === 1 ? "" : "s"} issued (booking ${intent.hubbyBookingId}).`
              : `Booking ${intent.hubbyBookingId} issued; Hubby's reply listed ${issued.stored} of ${prepared.codes} codes.`,
        };
      }
      return {
        outcome: "unknown",
        intentId: intent.id,
        message: "Hubby's reply was lost: the codes may exist. It will not be resent; reconcile it on its page.",
      };
    },
  );
}
