import "server-only";
import { db } from "../db";
import { campaignSteps, type CampaignStep } from "../travelers/filters";
import { campaignStepCondition } from "../travelers/queries";
import { Prisma } from "../generated/prisma/client";

export type FunnelStep = { step: CampaignStep; travelers: number };

/**
 * The campaign's funnel from the webhooks' projection; each step is the travelers list's campaign+step filter, linked
 * from the campaign's page. The steps are not saved as team views: four per campaign crowded everyone's travelers
 * chips (migration 20261204160000_drop_campaign_funnel_views removed the ones earlier starts saved).
 */
export async function campaignFunnel(campaignId: string): Promise<FunnelStep[]> {
  const counts = campaignSteps.map(
    (step) =>
      Prisma.sql`(SELECT COUNT(*) FROM "Traveler" t WHERE ${campaignStepCondition(campaignId, step)})::int AS ${Prisma.raw(`"${step}"`)}`,
  );
  const [row] = await db().$queryRaw<Record<CampaignStep, number>[]>`SELECT ${Prisma.join(counts, ", ")}`;
  return campaignSteps.map((step) => ({ step, travelers: Number(row?.[step] ?? 0) }));
}
