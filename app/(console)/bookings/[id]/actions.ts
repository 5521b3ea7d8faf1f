"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { ActionError, formToObject, runAction, type ActionResult } from "@/lib/actions";
import { audit } from "@/lib/audit/audit";
import { can, rolesFor, type StaffRole } from "@/lib/auth/roles";
import { db } from "@/lib/db";
import { reconcileIntent, retryIntent } from "@/lib/bookings/intents";
import { hubbyFor } from "@/lib/hubby";

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
  if (intent.kind === "issue" && !can(role, "bookings.issue"))
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
