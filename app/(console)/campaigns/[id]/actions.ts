"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { formToObject, runAction, type ActionResult } from "@/lib/actions";
import { audit } from "@/lib/audit/audit";
import { rolesFor } from "@/lib/auth/roles";
import {
  cancelCampaign,
  pauseCampaign,
  resumeCampaign,
  retryFailedRows,
  REVIEW_DECISIONS,
  settleReviewRows,
  startCampaign,
} from "@/lib/campaigns/control";
import { hubbyFor } from "@/lib/hubby";

const idSchema = z.object({ campaignId: z.uuid("No such campaign.") });
const startSchema = idSchema.extend({ checksum: z.string().regex(/^[0-9a-f]{64}$/, "Dry-run the file first.") });
const retrySchema = idSchema.extend({ confirm: z.literal("yes", "Confirm the retry.") });

type Control = "start" | "pause" | "resume" | "cancel";

function control(action: Control, schema: typeof idSchema | typeof startSchema, form: FormData) {
  return runAction(
    { action: `campaigns.${action}`, roles: rolesFor("campaigns.run"), schema, input: formToObject(form) },
    async (input, { staff, requestId }) => {
      const id = input.campaignId;
      if (action === "start") await startCampaign(id, (input as z.infer<typeof startSchema>).checksum, staff);
      if (action === "pause") await pauseCampaign(id);
      if (action === "resume") await resumeCampaign(id);
      if (action === "cancel") await cancelCampaign(id);
      await audit({
        actor: staff,
        action: `campaigns.${action}`,
        targetType: "campaign",
        targetId: id,
        result: "ok",
        requestId,
      });
      revalidatePath(`/campaigns/${id}`);
      return { campaignId: id };
    },
  );
}

type Result = Promise<ActionResult<{ campaignId: string }>>;

/** Run: only the draft whose checksum the dry run page showed; a second click finds it already running. */
export async function startCampaignAction(_prev: unknown, form: FormData): Result {
  return control("start", startSchema, form);
}
export async function pauseCampaignAction(_prev: unknown, form: FormData): Result {
  return control("pause", idSchema, form);
}
export async function resumeCampaignAction(_prev: unknown, form: FormData): Result {
  return control("resume", idSchema, form);
}
export async function cancelCampaignAction(_prev: unknown, form: FormData): Result {
  return control("cancel", idSchema, form);
}

/** An explicit, confirmed retry of failed rows: each is checked at Hubby first, then sent again only if absent. */
export async function retryFailedRowsAction(
  _prev: unknown,
  form: FormData,
): Promise<ActionResult<{ retried: number; sent: number; failed: number; unknown: number; review: number }>> {
  return runAction(
    { action: "campaigns.retry", roles: rolesFor("campaigns.run"), schema: retrySchema, input: formToObject(form) },
    async (input, { staff, requestId }) => {
      const tally = await retryFailedRows(input.campaignId, await hubbyFor(staff), staff);
      await audit({
        actor: staff,
        action: "campaigns.retry",
        targetType: "campaign",
        targetId: input.campaignId,
        result: "ok",
        details: tally,
        requestId,
      });
      revalidatePath(`/campaigns/${input.campaignId}`);
      return tally;
    },
  );
}

const reviewSchema = idSchema
  .extend({ decision: z.enum(REVIEW_DECISIONS, "Choose what to do with the rows."), confirm: z.string().optional() })
  .refine((input) => input.decision === "reconcile" || input.confirm === "yes", {
    path: ["confirm"],
    message: "Confirm that you checked this with Hubby.",
  });

export type ReviewTally = {
  rows: number;
  sent: number;
  failed: number;
  unknown: number;
  review: number;
  posted: number;
};

/**
 * The review queue's bulk decisions (at most 200 rows per click), each confirmed by staff and audited with the
 * tally: ask Hubby again, "not at Hubby: send once", or "mark as issued".
 */
export async function settleReviewRowsAction(_prev: unknown, form: FormData): Promise<ActionResult<ReviewTally>> {
  const decision = REVIEW_DECISIONS.find((known) => known === form.get("decision"));
  const action = decision ? `campaigns.review.${decision}` : "campaigns.review";
  return runAction(
    { action, roles: rolesFor("campaigns.run"), schema: reviewSchema, input: formToObject(form) },
    async (input, { staff, requestId }) => {
      const tally = await settleReviewRows(input.campaignId, input.decision, await hubbyFor(staff), staff);
      await audit({
        actor: staff,
        action: `campaigns.review.${input.decision}`,
        targetType: "campaign",
        targetId: input.campaignId,
        result: "ok",
        details: tally,
        requestId,
      });
      revalidatePath(`/campaigns/${input.campaignId}`);
      return tally;
    },
  );
}
