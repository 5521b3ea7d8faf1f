import "server-only";
import crypto from "node:crypto";
import type { IntentState } from "@/lib/bookings/intents";
import type { FieldErrors } from "@/lib/errors";

/** What the form shows after a send; a refused send (FAILED) comes back with the field Hubby named. */
export type SentData = {
  outcome: "sent" | "unknown" | "existing" | "failed";
  intentId: string;
  message: string;
  fieldErrors?: FieldErrors;
  /** A fresh key for the form after Hubby refused the booking, so the corrected form makes a new intent. */
  nextClientKey?: string;
};

/**
 * The reply to a send of the booking or the promo-code form. `created` is false when this form was submitted before
 * (nothing was sent again).
 */
export function sentOutcome(
  state: IntentState,
  created: boolean,
  texts: { failedField: (hubbyField: string) => string; sent: (state: IntentState) => string; unknown: string },
): SentData {
  const intentId = state.id;
  if (!created) {
    return {
      outcome: "existing",
      intentId,
      message: `This form was already submitted (${state.status}); nothing was sent again.`,
    };
  }
  if (state.status === "FAILED") {
    const field = state.errorField ? texts.failedField(state.errorField) : "form";
    return {
      outcome: "failed",
      intentId,
      message: state.error ?? "Hubby refused the booking.",
      fieldErrors: { [field]: [state.error ?? "Hubby refused this value."] },
      nextClientKey: crypto.randomUUID(),
    };
  }
  if (state.status === "SENT") return { outcome: "sent", intentId, message: texts.sent(state) };
  return { outcome: "unknown", intentId, message: texts.unknown };
}
