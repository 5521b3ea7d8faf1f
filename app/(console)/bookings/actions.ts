"use server";
import { z } from "zod";
import { runAction, type ActionResult } from "@/lib/actions";
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
      permission: "bookings.settings",
      schema: limitSchema,
      run: (input, { staff }) => setSupportTopUpLimit(input, staff),
      audit: (change) => ({ targetType: "setting", targetId: "bookings.supportTopUpLimit", details: change }),
      revalidate: ["/bookings"],
      reply: (change) => ({ size: change.after.size, window: describeWindow(change.after.windowHours) }),
    },
    form,
  );
}
