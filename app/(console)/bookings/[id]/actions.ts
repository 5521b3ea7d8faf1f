"use server";
import { z } from "zod";
import { runAction, type ActionResult } from "@/lib/actions";
import type { CurrentStaff } from "@/lib/auth/staff";
import {
  confirmAbsentAndSend,
  markIntentIssued,
  reconcileIntent,
  retryIntent,
  type BookingsHubby,
  type RetryOutcome,
} from "@/lib/bookings/intents";
import { loadBookingTarget } from "@/lib/bookings/queries";
import { hubbyFor } from "@/lib/hubby";
import { storePromoCodesOfIntents } from "@/lib/promo-codes/store";

const intentSchema = z.object({ intentId: z.uuid("Unknown booking.") });
const retrySchema = intentSchema.extend({
  confirm: z.literal("yes", "Confirm that this may issue a second paid booking if the first one exists."),
});
const sendOnceSchema = intentSchema.extend({
  confirm: z.literal("yes", "Confirm that you checked with Hubby that this booking does not exist."),
});
const markIssuedSchema = intentSchema.extend({
  confirm: z.literal("yes", "Confirm that you checked with Hubby that this booking exists."),
  hubbyBookingId: z.preprocess(
    (value) => value ?? "",
    z
      .string()
      .trim()
      .max(100, "At most 100 characters.")
      .regex(/^[\w.:-]*$/, "Letters, digits and - _ . : only.")
      .transform((value) => value || null),
  ),
});

type Outcome = { status: string; note: string; hubbyBookingId: string | null };
type Reply = Promise<ActionResult<{ status: string; note: string }>>;

/**
 * What every decision on one booking shares: the matrix's `bookings.act` rule on the loaded booking (support acts
 * only on top-ups), the booking as the audit subject, its page, and the reply.
 */
const onBooking = {
  permission: "bookings.act",
  load: (input: { intentId: string }) => loadBookingTarget(input.intentId),
  subject: (_input: unknown, intent: { id: string; externalUserIds: string[] } | undefined) => ({
    targetType: "booking_intent",
    targetId: intent?.id,
    externalUserId: intent?.externalUserIds.length === 1 ? intent.externalUserIds[0] : undefined,
  }),
  revalidate: (input: { intentId: string }) => [`/bookings/${input.intentId}`],
  reply: (outcome: Outcome) => ({ status: outcome.status, note: outcome.note }),
} as const;

/** Runs a step that may post to Hubby, then stores the promo codes a SENT promo-code booking's reply listed. */
function thenStoreCodes<Stepped>(
  step: (intentId: string, hubby: BookingsHubby, staff: CurrentStaff) => Promise<Stepped>,
) {
  return async (_input: unknown, { staff, target }: { staff: CurrentStaff; target: { id: string } }) => {
    const outcome = await step(target.id, await hubbyFor(staff), staff);
    await storePromoCodesOfIntents([target.id]);
    return outcome;
  };
}

/** Staff's decision on an UNKNOWN booking, audited with whether it posted to Hubby. */
const decided = (outcome: Outcome & { sent: boolean }) => ({
  details: { status: outcome.status, sent: outcome.sent, hubbyBookingId: outcome.hubbyBookingId, note: outcome.note },
});

/** Asks Hubby whether an UNKNOWN booking exists (by its reference), and settles it SENT or FAILED. */
export async function reconcileBookingAction(_prev: unknown, form: FormData): Reply {
  return runAction(
    {
      ...onBooking,
      action: "bookings.reconcile",
      schema: intentSchema,
      run: thenStoreCodes(reconcileIntent),
      audit: (outcome) => ({
        details: { status: outcome.status, hubbyBookingId: outcome.hubbyBookingId, note: outcome.note },
      }),
    },
    form,
  );
}

/** The explicit, confirmed retry: re-checks Hubby first and sends again only when it has no such booking. */
export async function retryBookingAction(_prev: unknown, form: FormData): Reply {
  return runAction(
    {
      ...onBooking,
      action: "bookings.retry",
      schema: retrySchema,
      run: thenStoreCodes(retryIntent),
      audit: (outcome: RetryOutcome) => ({
        result: outcome.status === "SENT" ? "ok" : "error",
        details: {
          status: outcome.status,
          resent: outcome.resent,
          hubbyBookingId: outcome.hubbyBookingId,
          note: outcome.note,
        },
      }),
    },
    form,
  );
}

/**
 * Staff confirm with Hubby that an UNKNOWN booking does not exist: looked up once more, then sent exactly once.
 */
export async function sendOnceBookingAction(_prev: unknown, form: FormData): Reply {
  return runAction(
    {
      ...onBooking,
      action: "bookings.send_once",
      schema: sendOnceSchema,
      run: thenStoreCodes(confirmAbsentAndSend),
      audit: decided,
    },
    form,
  );
}

/** Staff confirm with Hubby that an UNKNOWN booking exists: it counts as sent, nothing is sent. */
export async function markIssuedBookingAction(_prev: unknown, form: FormData): Reply {
  return runAction(
    {
      ...onBooking,
      action: "bookings.mark_issued",
      schema: markIssuedSchema,
      run: (input, { staff, target }) => markIntentIssued(target.id, staff, input.hubbyBookingId),
      audit: decided,
    },
    form,
  );
}
