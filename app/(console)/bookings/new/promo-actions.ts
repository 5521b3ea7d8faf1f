"use server";
import { runAction, type ActionResult } from "@/lib/actions";
import type { PromoCodeBookingRequest } from "@/lib/bookings/promo-request";
import type { BookingQuote } from "@/lib/bookings/quote";
import { formFieldForHubbyField } from "@/lib/bookings/request";
import { hubbyFor } from "@/lib/hubby";
import { issuePromoCodes, preparePromoCodes, promoCodeFormSchema } from "@/lib/promo-codes/issue";
import { sentOutcome, type SentData } from "./outcome";

export type PromoPreviewData = {
  outcome: "preview";
  request: PromoCodeBookingRequest;
  quote: BookingQuote;
  codes: number;
};

const promoStep = { action: "promo_codes.issue", permission: "promoCodes.issue", schema: promoCodeFormSchema } as const;

/** Step 1: the exact request (one specification per code, none with external_user_id) and its cost. Sends nothing. */
export async function previewPromoCodesAction(_prev: unknown, form: FormData): Promise<ActionResult<PromoPreviewData>> {
  return runAction(
    {
      ...promoStep,
      run: (input) => preparePromoCodes(input),
      audit: "none",
      reply: ({ request, quote, codes }) => ({ outcome: "preview" as const, request, quote, codes }),
    },
    form,
  );
}

/** Step 2: write the intent (once per rendered form), send it (once per intent), store the codes Hubby returned. */
export async function sendPromoCodesAction(_prev: unknown, form: FormData): Promise<ActionResult<SentData>> {
  return runAction(
    {
      ...promoStep,
      run: async (input, { staff }) => {
        const prepared = await preparePromoCodes(input);
        return { prepared, ...(await issuePromoCodes(prepared, await hubbyFor(staff), staff)) };
      },
      // A form already submitted sent nothing this time: the first submit's entry stands.
      audit: ({ prepared, intent, created, stored }) =>
        created
          ? {
              targetType: "booking_intent",
              targetId: intent.id,
              result: intent.status === "SENT" ? "ok" : "error",
              details: {
                status: intent.status,
                hubbyBookingId: intent.hubbyBookingId,
                reference: prepared.request.booking_id,
                codes: prepared.codes,
                destinations: prepared.destinations,
                costCents: prepared.quote.total.costCents,
                currency: prepared.quote.currency,
                storedCodes: stored,
                ...(intent.error ? { error: intent.error } : {}),
              },
            }
          : null,
      revalidate: ["/bookings", "/promo-codes"],
      reply: ({ prepared, intent, created, stored }) =>
        sentOutcome(intent, created, {
          failedField: (field) => formFieldForHubbyField(field, 1),
          sent: (sent) =>
            stored === prepared.codes
              ? `${stored} promo code${stored === 1 ? "" : "s"} issued (booking ${sent.hubbyBookingId}).`
              : `Booking ${sent.hubbyBookingId} issued; Hubby's reply listed ${stored} of ${prepared.codes} codes.`,
          unknown: "Hubby's reply was lost: the codes may exist. It will not be resent; reconcile it on its page.",
        }),
    },
    form,
  );
}
