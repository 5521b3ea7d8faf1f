"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { formToObject, runAction, type ActionResult } from "@/lib/actions";
import { audit } from "@/lib/audit/audit";
import { rolesFor } from "@/lib/auth/roles";
import { PACKAGE_SIZES } from "@/lib/bookings/request";
import { describeWindow, setSupportTopUpLimit, SUPPORT_TOP_UP_WINDOWS } from "@/lib/bookings/settings";

const limitSchema = z.object({
  size: z.enum(PACKAGE_SIZES, "Choose one of Hubby's sizes."),
  windowHours: z.coerce
    .number()
    .refine((hours) => (SUPPORT_TOP_UP_WINDOWS as readonly number[]).includes(hours), "Choose one of the windows."),
});

/**
 * How much a support agent may top up per traveler over a rolling window (admin only, audited with before and
 * after).
 */
export async function setTopUpLimitAction(
  _prev: unknown,
  form: FormData,
): Promise<ActionResult<{ size: string; window: string }>> {
  return runAction(
    {
      action: "settings.support_top_up_limit",
      roles: rolesFor("bookings.settings"),
      schema: limitSchema,
      input: formToObject(form),
    },
    async (input, { staff, requestId }) => {
      const change = await setSupportTopUpLimit(input, staff);
      await audit({
        actor: staff,
        action: "settings.support_top_up_limit",
        targetType: "setting",
        targetId: "bookings.supportTopUpLimit",
        result: "ok",
        details: change,
        requestId,
      });
      revalidatePath("/bookings");
      return { size: change.after.size, window: describeWindow(change.after.windowHours) };
    },
  );
}
