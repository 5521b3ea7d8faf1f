"use server";
import { revalidatePath } from "next/cache";
import crypto from "node:crypto";
import { z } from "zod";
import { ActionError, formToObject, runAction, type ActionResult, type FieldErrors } from "@/lib/actions";
import { audit } from "@/lib/audit/audit";
import { rolesFor } from "@/lib/auth/roles";
import { sendIntent } from "@/lib/bookings/intents";
import { prepareBooking, writeIntent, type Prepared } from "@/lib/bookings/issue";
import type { BookingQuote } from "@/lib/bookings/quote";
import { formFieldForHubbyField, type BookingRequest } from "@/lib/bookings/request";
import { hubbyFor } from "@/lib/hubby";

export type PreviewData = {
  outcome: "preview";
  request: BookingRequest;
  quote: BookingQuote;
  warnings: string[];
  travelers: number;
};
export type InvalidData = { outcome: "invalid"; message: string; fieldErrors: FieldErrors };
export type SentData = {
  outcome: "sent" | "unknown" | "existing" | "failed";
  intentId: string;
  message: string;
  fieldErrors?: FieldErrors;
  /** A fresh key for the form after Hubby refused the booking, so the corrected form makes a new intent. */
  nextClientKey?: string;
};

const anyForm = z.record(z.string(), z.unknown());

/** Both steps are audited under the action the form asks for, so a refused ordinary issue is `bookings.issue`. */
function actionFor(form: FormData) {
  return form.get("kind") === "top_up" ? "bookings.top_up" : "bookings.issue";
}

type Prepare =
  | { kind: "invalid"; invalid: InvalidData }
  | { kind: "ready"; prepared: Prepared; hubby: Awaited<ReturnType<typeof hubbyFor>> };

async function prepare(
  form: FormData,
  staff: Parameters<typeof prepareBooking>[1] & { id: string; email: string },
): Promise<Prepare> {
  const hubby = await hubbyFor(staff);
  const result = await prepareBooking(formToObject(form), staff, hubby);
  if (!result.ok) {
    // A role or limit refusal is audited (by runAction) and shown; a form mistake is only shown.
    if (result.refusal) throw new ActionError(result.message, result.fieldErrors);
    return {
      kind: "invalid",
      invalid: { outcome: "invalid", message: result.message, fieldErrors: result.fieldErrors ?? {} },
    };
  }
  return { kind: "ready", prepared: result.prepared, hubby };
}

/** Step 1: the exact request, the bundles it maps to, the cost and the warnings. Sends nothing. */
export async function previewBookingAction(
  _prev: unknown,
  form: FormData,
): Promise<ActionResult<PreviewData | InvalidData>> {
  return runAction(
    { action: actionFor(form), roles: rolesFor("bookings.topUp"), schema: anyForm, input: {} },
    async (_input, { staff }) => {
      const result = await prepare(form, staff);
      if (result.kind === "invalid") return result.invalid;
      const { prepared } = result;
      return {
        outcome: "preview",
        request: prepared.request,
        quote: prepared.quote,
        warnings: prepared.warnings,
        travelers: prepared.draft.travelers.length,
      };
    },
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
export async function sendBookingAction(_prev: unknown, form: FormData): Promise<ActionResult<SentData | InvalidData>> {
  const action = actionFor(form);
  return runAction(
    { action, roles: rolesFor("bookings.topUp"), schema: anyForm, input: {} },
    async (_input, { staff, requestId }) => {
      const result = await prepare(form, staff);
      if (result.kind === "invalid") return result.invalid;
      const { prepared, hubby } = result;
      const written = await writeIntent(prepared, staff);
      // Another top-up for this traveler got in first and filled the support limit: refused and audited.
      if (!written.ok) throw new ActionError(written.message, written.fieldErrors);
      const { intent, created } = written;
      if (!created) {
        return {
          outcome: "existing",
          intentId: intent.id,
          message: `This form was already submitted (${intent.status}); nothing was sent again.`,
        };
      }

      const state = await sendIntent(intent.id, hubby, staff);
      await audit({
        actor: staff,
        action,
        targetType: "booking_intent",
        targetId: intent.id,
        externalUserId: prepared.draft.travelers.length === 1 ? prepared.draft.travelers[0] : undefined,
        result: state.status === "SENT" ? "ok" : "error",
        details: auditDetails(prepared, state),
        requestId,
      });
      revalidatePath("/bookings");

      if (state.status === "FAILED") {
        const field = state.errorField ? formFieldForHubbyField(state.errorField, prepared.draft.specs.length) : "form";
        return {
          outcome: "failed",
          intentId: intent.id,
          message: state.error ?? "Hubby refused the booking.",
          fieldErrors: { [field]: [state.error ?? "Hubby refused this value."] },
          nextClientKey: crypto.randomUUID(),
        };
      }
      return {
        outcome: state.status === "SENT" ? "sent" : "unknown",
        intentId: intent.id,
        message:
          state.status === "SENT"
            ? `Booking ${state.hubbyBookingId} issued.`
            : "Hubby's reply was lost: the booking may exist. It will not be resent; reconcile it on its page.",
      };
    },
  );
}
