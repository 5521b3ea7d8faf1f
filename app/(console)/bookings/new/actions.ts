"use server";
import { runAction, type ActionResult } from "@/lib/actions";
import { sendIntent } from "@/lib/bookings/intents";
import { bookingFormSchema, prepareBooking, writeIntent, type Prepared } from "@/lib/bookings/issue";
import type { BookingQuote } from "@/lib/bookings/quote";
import { formFieldForHubbyField, type BookingRequest } from "@/lib/bookings/request";
import { hubbyFor } from "@/lib/hubby";
import { sentOutcome, type SentData } from "./outcome";

export type { SentData };

export type PreviewData = {
  outcome: "preview";
  request: BookingRequest;
  quote: BookingQuote;
  warnings: string[];
  travelers: number;
};

/**
 * What both steps share: the schema, and the matrix's `bookings.act` rule on the kind the form asks for (support
 * only tops up). Both are audited under the action the form asks for, so a refused ordinary issue is
 * `bookings.issue`.
 */
function bookingStep(form: FormData) {
  return {
    action: form.get("kind") === "top_up" ? "bookings.top_up" : "bookings.issue",
    permission: "bookings.act",
    schema: bookingFormSchema,
    load: async (input: { kind: "issue" | "top_up" }) => ({ kind: input.kind }),
  } as const;
}

/** Step 1: the exact request, the bundles it maps to, the cost and the warnings. Sends nothing. */
export async function previewBookingAction(_prev: unknown, form: FormData): Promise<ActionResult<PreviewData>> {
  return runAction(
    {
      ...bookingStep(form),
      run: async (input, { staff }) => prepareBooking(input, staff, await hubbyFor(staff)),
      audit: "none",
      reply: (prepared) => ({
        outcome: "preview" as const,
        request: prepared.request,
        quote: prepared.quote,
        warnings: prepared.warnings,
        travelers: prepared.draft.travelers.length,
      }),
    },
    form,
  );
}

function auditDetails(
  prepared: Prepared,
  state: { status: string; hubbyBookingId: string | null; error: string | null },
) {
  return {
    status: state.status,
    hubbyBookingId: state.hubbyBookingId,
    reference: prepared.request.booking_id,
    travelers: prepared.draft.travelers,
    destinations: prepared.destinations,
    costCents: prepared.quote.total.costCents,
    currency: prepared.quote.currency,
    reason: prepared.reason,
    ...(state.error ? { error: state.error } : {}),
  };
}

/** Step 2: write the intent (once per rendered form) and send it (once per intent). */
export async function sendBookingAction(_prev: unknown, form: FormData): Promise<ActionResult<SentData>> {
  return runAction(
    {
      ...bookingStep(form),
      run: async (input, { staff }) => {
        const hubby = await hubbyFor(staff);
        const prepared = await prepareBooking(input, staff, hubby);
        // Throws when another top-up for this traveler got in first and filled the support limit (audited).
        const { intent, created } = await writeIntent(prepared, staff);
        return { prepared, intent, state: created ? await sendIntent(intent.id, hubby, staff) : null };
      },
      // A form already submitted sent nothing this time: the first submit's entry stands.
      audit: ({ prepared, intent, state }) =>
        state && {
          targetType: "booking_intent",
          targetId: intent.id,
          externalUserId: prepared.draft.travelers.length === 1 ? prepared.draft.travelers[0] : undefined,
          result: state.status === "SENT" ? "ok" : "error",
          details: auditDetails(prepared, state),
        },
      revalidate: ["/bookings"],
      reply: ({ prepared, intent, state }) =>
        sentOutcome(state ?? intent, state !== null, {
          failedField: (field) => formFieldForHubbyField(field, prepared.draft.specs.length),
          sent: (sent) => `Booking ${sent.hubbyBookingId} issued.`,
          unknown: "Hubby's reply was lost: the booking may exist. It will not be resent; reconcile it on its page.",
        }),
    },
    form,
  );
}
