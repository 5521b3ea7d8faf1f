"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { ActionError, formToObject, runAction, type ActionResult } from "@/lib/actions";
import { audit } from "@/lib/audit/audit";
import { can, rolesFor, type StaffRole } from "@/lib/auth/roles";
import { db } from "@/lib/db";
import { confirmAbsentAndSend, markIntentIssued, reconcileIntent, retryIntent } from "@/lib/bookings/intents";
import { hubbyFor } from "@/lib/hubby";
import { storePromoCodesOfIntents } from "@/lib/promo-codes/store";

const intentSchema = z.object({ intentId: z.uuid("Unknown booking.") });
const retrySchema = intentSchema.extend({
  confirm: z.literal("yes", "Confirm that this may issue a second paid booking if the first one exists."),
});

/** Issued bookings belong to those who may issue; the others (support) may act only on top-ups. */
async function intentFor(intentId: string, role: StaffRole) {
  const intent = await db().bookingIntent.findUnique({
    where: { id: intentId },
    select: { id: true, kind: true, externalUserIds: true },
  });
  if (!intent) throw new ActionError("Unknown booking.");
  if (intent.kind !== "top_up" && !can(role, "bookings.issue"))
    throw new ActionError("Your role may only act on top-ups.");
  return intent;
}

/** Asks Hubby whether an UNKNOWN booking exists (by its reference), and settles it SENT or FAILED. */
export async function reconcileBookingAction(
  _prev: unknown,
  form: FormData,
): Promise<ActionResult<{ status: string; note: string }>> {
  return runAction(
    {
      action: "bookings.reconcile",
      roles: rolesFor("bookings.topUp"),
      schema: intentSchema,
      input: formToObject(form),
    },
    async (input, { staff, requestId }) => {
      const intent = await intentFor(input.intentId, staff.role);
      const outcome = await reconcileIntent(intent.id, await hubbyFor(staff), staff);
      await storePromoCodesOfIntents([intent.id]);
      await audit({
        actor: staff,
        action: "bookings.reconcile",
        targetType: "booking_intent",
        targetId: intent.id,
        externalUserId: intent.externalUserIds.length === 1 ? intent.externalUserIds[0] : undefined,
        result: "ok",
        details: { status: outcome.status, hubbyBookingId: outcome.hubbyBookingId, note: outcome.note },
        requestId,
      });
      revalidatePath(`/bookings/${intent.id}`);
      return { status: outcome.status, note: outcome.note };
    },
  );
}

/** The explicit, confirmed retry: re-checks Hubby first and sends again only when it has no such booking. */
export async function retryBookingAction(
  _prev: unknown,
  form: FormData,
): Promise<ActionResult<{ status: string; note: string }>> {
  return runAction(
    { action: "bookings.retry", roles: rolesFor("bookings.topUp"), schema: retrySchema, input: formToObject(form) },
    async (input, { staff, requestId }) => {
      const intent = await intentFor(input.intentId, staff.role);
      const outcome = await retryIntent(intent.id, await hubbyFor(staff), staff);
      await storePromoCodesOfIntents([intent.id]);
      await audit({
        actor: staff,
        action: "bookings.retry",
        targetType: "booking_intent",
        targetId: intent.id,
        externalUserId: intent.externalUserIds.length === 1 ? intent.externalUserIds[0] : undefined,
        result: outcome.status === "SENT" ? "ok" : "error",
        details: {
          status: outcome.status,
          resent: outcome.resent,
          hubbyBookingId: outcome.hubbyBookingId,
          note: outcome.note,
        },
        requestId,
      });
      revalidatePath(`/bookings/${intent.id}`);
      return { status: outcome.status, note: outcome.note };
    },
  );
}

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

function auditDecision(
  action: string,
  staff: { id: string; email: string },
  intent: { id: string; externalUserIds: string[] },
  outcome: { status: string; note: string; sent: boolean; hubbyBookingId: string | null },
  requestId: string,
) {
  return audit({
    actor: staff,
    action,
    targetType: "booking_intent",
    targetId: intent.id,
    externalUserId: intent.externalUserIds.length === 1 ? intent.externalUserIds[0] : undefined,
    result: "ok",
    details: { status: outcome.status, sent: outcome.sent, hubbyBookingId: outcome.hubbyBookingId, note: outcome.note },
    requestId,
  });
}

/**
 * Staff confirm with Hubby that an UNKNOWN booking does not exist: looked up once more, then sent exactly once.
 */
export async function sendOnceBookingAction(
  _prev: unknown,
  form: FormData,
): Promise<ActionResult<{ status: string; note: string }>> {
  return runAction(
    {
      action: "bookings.send_once",
      roles: rolesFor("bookings.topUp"),
      schema: sendOnceSchema,
      input: formToObject(form),
    },
    async (input, { staff, requestId }) => {
      const intent = await intentFor(input.intentId, staff.role);
      const outcome = await confirmAbsentAndSend(intent.id, await hubbyFor(staff), staff);
      await storePromoCodesOfIntents([intent.id]);
      await auditDecision("bookings.send_once", staff, intent, outcome, requestId);
      revalidatePath(`/bookings/${intent.id}`);
      return { status: outcome.status, note: outcome.note };
    },
  );
}

/** Staff confirm with Hubby that an UNKNOWN booking exists: it counts as sent, nothing is sent. */
export async function markIssuedBookingAction(
  _prev: unknown,
  form: FormData,
): Promise<ActionResult<{ status: string; note: string }>> {
  return runAction(
    {
      action: "bookings.mark_issued",
      roles: rolesFor("bookings.topUp"),
      schema: markIssuedSchema,
      input: formToObject(form),
    },
    async (input, { staff, requestId }) => {
      const intent = await intentFor(input.intentId, staff.role);
      const outcome = await markIntentIssued(intent.id, staff, input.hubbyBookingId);
      await auditDecision("bookings.mark_issued", staff, intent, outcome, requestId);
      revalidatePath(`/bookings/${intent.id}`);
      return { status: outcome.status, note: outcome.note };
    },
  );
}
