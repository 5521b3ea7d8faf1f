import "server-only";
import { z } from "zod";
import { createIntent, sendIntent, type BookingsHubby, type IntentState } from "../bookings/intents";
import {
  buildPromoCodeRequest,
  MAX_PROMO_CODES_PER_BOOKING,
  PROMO_CODE_STAND_IN,
  type PromoCodeBookingRequest,
} from "../bookings/promo-request";
import { intentOf } from "../bookings/issue";
import { quoteRequest, type BookingQuote } from "../bookings/quote";
import { bookingDraftSchema, bookingReference, specsFromJson } from "../bookings/request";
import { loadCatalog } from "../catalog/catalog";
import { ValidationError } from "../errors";
import { storePromoCodesOfIntents } from "./store";

/**
 * Issuing promo codes from /bookings/new: one booking without external_user_id whose specifications (one per code)
 * Hubby answers with promo codes (reference §4.1). The same checks run for the preview and the send; the send goes
 * through the intent ledger like every paid booking (written before the POST, claimed once, never resent on its
 * own), and the codes of a SENT booking are stored at once.
 */

/**
 * The promo-code form as its actions parse it. The booking's own draft schema checks the package, the date, the
 * locale and the branding; it needs a traveler, so a stand-in takes that place and never reaches the request.
 */
export const promoCodeFormSchema = z.preprocess(
  (raw) =>
    typeof raw === "object" && raw !== null
      ? {
          ...raw,
          travelers: PROMO_CODE_STAND_IN,
          specs: specsFromJson((raw as { specs?: unknown }).specs),
          departureTime: "",
          timeZone: "UTC",
        }
      : raw,
  z
    .object({
      clientKey: z.uuid("This form has expired: reload the page."),
      codes: z.coerce
        .number("Enter how many codes.")
        .int("Enter a whole number of codes.")
        .min(1, "At least one code.")
        .max(
          MAX_PROMO_CODES_PER_BOOKING,
          `At most ${MAX_PROMO_CODES_PER_BOOKING} codes per booking: use a campaign file.`,
        ),
    })
    .and(bookingDraftSchema)
    .superRefine((form, ctx) => {
      const issue = (path: string[], message: string) => ctx.addIssue({ code: "custom", path, message });
      if (form.specs.length !== 1) issue(["specs"], "Promo codes are issued for one package at a time.");
      else if (form.specs[0]!.destinations.length !== 1) {
        issue(["specs", "0", "destinations"], "A promo code is for one destination (a country or a region).");
      }
      if (form.departureDate < new Date().toISOString().slice(0, 10))
        issue(["departureDate"], "The date is in the past.");
    }),
);
export type PromoCodeForm = z.output<typeof promoCodeFormSchema>;

export type PreparedPromoCodes = {
  clientKey: string;
  codes: number;
  request: PromoCodeBookingRequest;
  quote: BookingQuote;
  destinations: string[];
};

/** The parsed form → the exact request and its cost; ValidationError says what is wrong with it. Sends nothing. */
export async function preparePromoCodes(form: PromoCodeForm): Promise<PreparedPromoCodes> {
  const { clientKey, codes, ...draft } = form;
  const catalog = await loadCatalog();
  if (catalog.length === 0) {
    throw new ValidationError({}, "The destination catalog is empty: refresh it on the Catalog screen first.");
  }
  const request = buildPromoCodeRequest(draft, codes, bookingReference(clientKey));
  // The quote reads the request that will be sent.
  const quote = quoteRequest(request, catalog);
  const spec = quote.specs[0];
  if (spec && !spec.ok) throw new ValidationError({ "specs.0.size": [spec.issue] });
  return { clientKey, codes, request, quote, destinations: draft.specs[0]!.destinations };
}

export type IssuedPromoCodes = { intent: IntentState; created: boolean; stored: number };

/**
 * Writes the intent (once per rendered form: its client key) and, if this call wrote it, sends it (once per
 * intent), then stores the codes of a SENT booking. A second submit of the same form finds the intent and sends
 * nothing.
 */
export async function issuePromoCodes(
  prepared: PreparedPromoCodes,
  hubby: BookingsHubby,
  actor: { id: string; email: string },
): Promise<IssuedPromoCodes> {
  const { intent, created } = await createIntent({ ...intentOf(prepared), kind: "promo_codes", actor });
  if (!created) return { intent, created, stored: 0 };
  const state = await sendIntent(intent.id, hubby, actor);
  const stored = state.status === "SENT" ? await storePromoCodesOfIntents([state.id]) : 0;
  return { intent: state, created, stored };
}
