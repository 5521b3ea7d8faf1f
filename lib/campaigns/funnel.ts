import "server-only";
import { db } from "../db";
import { campaignStepLabels, campaignSteps, travelersHref, type CampaignStep } from "../travelers/filters";
import { campaignStepCondition } from "../travelers/queries";
import { TRAVELERS_SCREEN } from "../travelers/views";
import { Prisma } from "../generated/prisma/client";

export type FunnelStep = { step: CampaignStep; travelers: number };

/** The campaign's funnel from the webhooks' projection; each step is the travelers list's campaign+step filter. */
export async function campaignFunnel(campaignId: string): Promise<FunnelStep[]> {
  const counts = campaignSteps.map(
    (step) =>
      Prisma.sql`(SELECT COUNT(*) FROM "Traveler" t WHERE ${campaignStepCondition(campaignId, step)})::int AS ${Prisma.raw(`"${step}"`)}`,
  );
  const [row] = await db().$queryRaw<Record<CampaignStep, number>[]>`SELECT ${Prisma.join(counts, ", ")}`;
  return campaignSteps.map((step) => ({ step, travelers: Number(row?.[step] ?? 0) }));
}

/** "Summer promo (1a2b3c4d) · installed the eSIM": the campaign id's start keeps two campaigns' names apart. */
export function funnelViewName(campaign: { id: string; name: string }, step: CampaignStep): string {
  return `${campaign.name} (${campaign.id.slice(0, 8)}) · ${campaignStepLabels[step]}`;
}

/**
 * When a campaign starts, each step of its funnel becomes a team view on the travelers screen, so support and
 * campaign managers find "who of this campaign has not installed yet" among the saved views. Existing names are
 * left as they are (a second start cannot happen; a view renamed by hand is not recreated under the same name).
 */
export async function saveFunnelViews(campaign: { id: string; name: string }, actor: { id: string; email: string }) {
  await db().savedView.createMany({
    data: campaignSteps.map((step) => ({
      screen: TRAVELERS_SCREEN,
      name: funnelViewName(campaign, step),
      query: travelersHref({ campaign: campaign.id, step }).split("?")[1] ?? "",
      createdById: actor.id,
      createdByEmail: actor.email,
    })),
    skipDuplicates: true,
  });
}
