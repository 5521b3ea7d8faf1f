import "server-only";
import { z } from "zod";
import { can, type StaffRole } from "../auth/roles";
import { createIntent, sendIntent, type BookingsHubby, type IntentState } from "../bookings/intents";
import {
  buildPromoCodeRequest,
  MAX_PROMO_CODES_PER_BOOKING,
  PROMO_CODE_STAND_IN,
  type PromoCodeBookingRequest,
} from "../bookings/promo-request";
import { quoteRequest, type BookingQuote } from "../bookings/quote";
import { bookingDraftSchema, bookingReference } from "../bookings/request";
import { loadCatalog } from "../catalog/catalog";
import { storePromoCodesOfIntents } from "./store";

/**
 * Issuing promo codes from /bookings/new: one booking without external_user_id whose specifications (one per code)
 * Hubby answers with promo codes (reference §4.1). The same checks run for the preview and the send; the send goes
 * through the intent ledger like every paid booking (written before the POST, claimed once, never resent on its
 * own), and the codes of a SENT booking are stored at once.
 */

export type FieldErrors = Record<string, string[]>;

const formSchema = z.object({
  clientKey: z.uuid("This form has expired: reload the page."),
  codes: z.coerce
    .number("Enter how many codes.")
    .int("Enter a whole number of codes.")
    .min(1, "At least one code.")
    .max(MAX_PROMO_CODES_PER_BOOKING, `At most ${MAX_PROMO_CODES_PER_BOOKING} codes per booking: use a campaign file.`),
});

export type PreparedPromoCodes = {
  clientKey: string;
  codes: number;
  request: PromoCodeBookingRequest;
  quote: BookingQuote;
  destinations: string[];
};

export type PreparePromoCodesResult =
  | { ok: true; prepared: PreparedPromoCodes }
  | { ok: false; message: string; fieldErrors?: FieldErrors; refused?: boolean };

const CORRECT = "Please correct the highlighted fields.";

function fieldErrorsOf(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) (errors[issue.path.join(".") || "form"] ??= []).push(issue.message);
  return errors;
}

const specsFromJson = (value: unknown) => {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value);
  } catch {
    return [];
  }
};

/** The form → the exact request and its cost, or what is wrong with it. Sends nothing. */
export async function preparePromoCodes(
  raw: Record<string, unknown>,
  staff: { role: StaffRole },
  now = new Date(),
): Promise<PreparePromoCodesResult> {
  if (!can(staff.role, "promoCodes.issue")) {
    return { ok: false, message: "Your role may not issue promo codes.", refused: true };
  }
  const form = formSchema.safeParse(raw);
  // The booking's own schema checks the package, the date, the locale and the branding; it needs a traveler, so a
  // stand-in takes that place and never reaches the request.
  const draft = bookingDraftSchema.safeParse({
    ...raw,
    travelers: PROMO_CODE_STAND_IN,
    specs: specsFromJson(raw.specs),
    departureTime: "",
    timeZone: "UTC",
  });
  const fieldErrors: FieldErrors = {
    ...(form.success ? {} : fieldErrorsOf(form.error)),
    ...(draft.success ? {} : fieldErrorsOf(draft.error)),
  };
  const add = (key: string, message: string) => (fieldErrors[key] ??= []).push(message);
  if (draft.success) {
    if (draft.data.specs.length !== 1) add("specs", "Promo codes are issued for one package at a time.");
    else if (draft.data.specs[0]!.destinations.length !== 1) {
      add("specs.0.destinations", "A promo code is for one destination (a country or a region).");
    }
    if (draft.data.departureDate < now.toISOString().slice(0, 10)) {
      add("departureDate", "The date is in the past.");
    }
  }
  if (!form.success || !draft.success || Object.keys(fieldErrors).length > 0) {
    return { ok: false, message: CORRECT, fieldErrors };
  }

  const catalog = await loadCatalog();
  if (catalog.length === 0) {
    return { ok: false, message: "The destination catalog is empty: refresh it on the Catalog screen first." };
  }
  const { clientKey, codes } = form.data;
  const request = buildPromoCodeRequest(draft.data, codes, bookingReference(clientKey));
  // The quote reads the request that will be sent.
  const quote = quoteRequest(request, catalog);
  const spec = quote.specs[0];
  if (spec && !spec.ok) return { ok: false, message: CORRECT, fieldErrors: { "specs.0.size": [spec.issue] } };

  return {
    ok: true,
    prepared: {
      clientKey,
      codes,
      request,
      quote,
      destinations: draft.data.specs[0]!.destinations,
    },
  };
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
  const { intent, created } = await createIntent({
    clientKey: prepared.clientKey,
    kind: "promo_codes",
    request: prepared.request,
    quote: prepared.quote,
    destinations: prepared.destinations,
    costCents: prepared.quote.total.costCents,
    priceCents: prepared.quote.total.priceCents,
    currency: prepared.quote.currency,
    actor,
  });
  if (!created) return { intent, created, stored: 0 };
  const state = await sendIntent(intent.id, hubby, actor);
  const stored = state.status === "SENT" ? await storePromoCodesOfIntents([state.id]) : 0;
  return { intent: state, created, stored };
}
