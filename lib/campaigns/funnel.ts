import "server-only";
import { db } from "../db";
import { campaignSteps, type CampaignStep } from "../travelers/filters";
import { campaignStepCondition } from "../travelers/queries";
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
