"use server";
import { z } from "zod";
import { runAction, type ActionResult, type AuditEntry } from "@/lib/actions";
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

/** What every action on one campaign shares: the permission, the campaign as the audit subject, its page. */
const onCampaign = {
  permission: "campaigns.run",
  subject: (input: { campaignId: string }) => ({ targetType: "campaign", targetId: input.campaignId }),
  revalidate: (input: { campaignId: string }) => [`/campaigns/${input.campaignId}`],
} as const;
const withTally = (tally: AuditEntry["details"]) => ({ details: tally });
const campaignIdOf = (input: { campaignId: string }) => ({ campaignId: input.campaignId });

type Result = Promise<ActionResult<{ campaignId: string }>>;

/** Run: only the draft whose checksum the dry run page showed; a second click finds it already running. */
export async function startCampaignAction(_prev: unknown, form: FormData): Result {
  return runAction(
    {
      ...onCampaign,
      action: "campaigns.start",
      schema: startSchema,
      run: (input, { staff }) => startCampaign(input.campaignId, input.checksum, staff),
      audit: () => ({}),
      reply: (_result, input) => campaignIdOf(input),
    },
    form,
  );
}

/** Pause, resume and cancel: a conditional status change each, so a double submit changes it once. */
function control(action: string, change: (campaignId: string) => Promise<unknown>, form: FormData): Result {
  return runAction(
    {
      ...onCampaign,
      action,
      schema: idSchema,
      run: (input) => change(input.campaignId),
      audit: () => ({}),
      reply: (_result, input) => campaignIdOf(input),
    },
    form,
  );
}

export async function pauseCampaignAction(_prev: unknown, form: FormData): Result {
  return control("campaigns.pause", pauseCampaign, form);
}
export async function resumeCampaignAction(_prev: unknown, form: FormData): Result {
  return control("campaigns.resume", resumeCampaign, form);
}
export async function cancelCampaignAction(_prev: unknown, form: FormData): Result {
  return control("campaigns.cancel", cancelCampaign, form);
}

/** An explicit, confirmed retry of failed rows: each is checked at Hubby first, then sent again only if absent. */
export async function retryFailedRowsAction(
  _prev: unknown,
  form: FormData,
): Promise<ActionResult<{ retried: number; sent: number; failed: number; unknown: number; review: number }>> {
  return runAction(
    {
      ...onCampaign,
      action: "campaigns.retry",
      schema: retrySchema,
      run: async (input, { staff }) => retryFailedRows(input.campaignId, await hubbyFor(staff), staff),
      audit: withTally,
    },
    form,
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
  // Refusals are filed under the decision the form asked for, when it names a known one.
  const decision = REVIEW_DECISIONS.find((known) => known === form.get("decision"));
  return runAction(
    {
      ...onCampaign,
      action: decision ? `campaigns.review.${decision}` : "campaigns.review",
      schema: reviewSchema,
      run: async (input, { staff }) => settleReviewRows(input.campaignId, input.decision, await hubbyFor(staff), staff),
      audit: withTally,
    },
    form,
  );
}
