"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { ActionError, formToObject, runAction, type ActionResult } from "@/lib/actions";
import { audit } from "@/lib/audit/audit";
import { rolesFor } from "@/lib/auth/roles";
import { HubbyApiError, hubbyFor } from "@/lib/hubby";

const redeemSchema = z.object({
  externalUserId: z.string().trim().min(1).max(200),
  packageQueueId: z.string().trim().min(1).max(200),
});

/** Redeems a queued package onto the traveler's eSIM (POST /native/redeem-package). */
export async function redeemPackageAction(_prev: unknown, form: FormData): Promise<ActionResult<{ message: string }>> {
  return runAction(
    {
      action: "travelers.redeem",
      roles: rolesFor("travelers.redeem"),
      schema: redeemSchema,
      input: formToObject(form),
    },
    async (input, { staff, requestId }) => {
      const hubby = await hubbyFor(staff);
      try {
        const result = await hubby.redeemPackage({
          external_user_id: input.externalUserId,
          package_queue_id: input.packageQueueId,
        });
        await audit({
          actor: staff,
          action: "travelers.redeem",
          targetType: "package_queue",
          targetId: input.packageQueueId,
          externalUserId: input.externalUserId,
          result: "ok",
          requestId,
        });
        revalidatePath(`/travelers/${encodeURIComponent(input.externalUserId)}`);
        return { message: result.message ?? "Package redeemed." };
      } catch (error) {
        if (!(error instanceof HubbyApiError)) throw error;
        await audit({
          actor: staff,
          action: "travelers.redeem",
          targetType: "package_queue",
          targetId: input.packageQueueId,
          externalUserId: input.externalUserId,
          result: "error",
          details: { status: error.status ?? null, message: error.message },
          requestId,
        });
        throw new ActionError(error.message);
      }
    },
  );
}
