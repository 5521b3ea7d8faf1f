"use server";
import { z } from "zod";
import { runAction, type ActionResult } from "@/lib/actions";
import { RETENTION_DAY_CHOICES, setRetentionDays } from "@/lib/privacy/retention";

const retentionSchema = z.object({
  days: z.union([
    z.literal("off").transform(() => null),
    z.coerce
      .number()
      .refine((days) => (RETENTION_DAY_CHOICES as readonly number[]).includes(days), "Choose one of the periods."),
  ]),
});

/** The trip-tied retention: off, or N days after a traveler's last package expired (admin only, audited). */
export async function setRetentionAction(
  _prev: unknown,
  form: FormData,
): Promise<ActionResult<{ days: number | null }>> {
  return runAction(
    {
      action: "settings.privacy_retention",
      permission: "privacy.manage",
      schema: retentionSchema,
      run: (input, { staff }) => setRetentionDays(input.days, staff),
      audit: (change) => ({ targetType: "setting", targetId: "privacy.retentionDays", details: change }),
      revalidate: ["/travelers"],
      reply: (change) => ({ days: change.after }),
    },
    form,
  );
}
