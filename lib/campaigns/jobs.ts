import "server-only";
import { db } from "../db";
import { registerJobHandler, sendJob, type JobContext, type JobHandler } from "../jobs/jobs";
import { checkCampaign, UPLOAD_HEAD_START_MS } from "./dry-run";
import { runCampaign, SLICE_MS, type WorkerOptions } from "./worker";

/**
 * A campaign's background work as jobs of the console's one job system (lib/jobs):
 * - `campaign-check`: the dry run's check of an uploaded file, queued by the upload;
 * - `campaign-run`: the sending, queued by Run and Resume. One job works the campaign for a slice (SLICE_MS) and
 *   queues the next before it ends, so a campaign of any length is held by no job for long: pausing or cancelling
 *   ends the slice at its next status check, a slice whose instance died is taken over by another instance when it
 *   expires (at once on PGlite's next start), and a slice that failed is tried again with backoff. Both queues are
 *   `stately` per campaign: one instance at a time works a campaign, while several campaigns run side by side.
 *
 * Nothing is started from a page or a GET: the pages only read.
 */

/** Options of the handlers that tests replace (a Hubby stand-in, a short quiet period). */
export type CampaignJobOptions = Pick<WorkerOptions, "hubby" | "quietMs" | "concurrency"> & { sliceMs?: number };

/** The `campaign-run` handler: one slice of the campaign, then the next slice queued if rows are left. */
export function campaignRunHandler(options: CampaignJobOptions = {}): JobHandler<"campaign-run"> {
  return async ({ campaignId, noReplyRun }, job) => {
    try {
      const run = await runCampaign(campaignId, { ...options, sliceMs: options.sliceMs ?? SLICE_MS, noReplyRun });
      // Queued while this job is still active: pg-boss starts it once this one has completed (stately per campaign).
      if (run.outcome === "more") await sendJob("campaign-run", { campaignId, noReplyRun: run.noReplyRun });
    } catch (error) {
      await pauseAfterLastAttempt(campaignId, job, error);
      throw error;
    }
  };
}

export function registerCampaignJobs(options: CampaignJobOptions = {}) {
  registerJobHandler("campaign-run", campaignRunHandler(options));
  registerJobHandler("campaign-check", async ({ campaignId, requestId }) => {
    const checked = await checkCampaign(campaignId, { requestId });
    // An unexpected error is recorded on the campaign (rejected with a reference) by the check itself; one that
    // could not even be recorded is tried again.
    if (checked.outcome === "failed") throw new Error(checked.message);
  });
}

/** Out of attempts: the campaign is paused with the reason, where staff see it, instead of staying "running". */
async function pauseAfterLastAttempt(campaignId: string, job: JobContext, error: unknown) {
  if (!job.lastAttempt) return;
  const message = error instanceof Error ? error.message : String(error);
  await db()
    .campaign.updateMany({
      where: { id: campaignId, status: "running" },
      data: {
        status: "paused",
        statusNote: `Paused: the campaign's worker failed ${job.attempt} times (${message.slice(0, 300)}). Resume to try again.`,
      },
    })
    .catch(() => undefined);
}

/** Queues the sending of a campaign that is `running` (Run, Resume; at start for campaigns left running). */
export async function queueCampaignRun(campaignId: string): Promise<void> {
  await sendJob("campaign-run", { campaignId });
}

/**
 * Queues the check of an uploaded file. The upload's own request goes first: the browser's redirect and the first
 * render of the campaign page are served before the check's first batches share the server's thread.
 */
export async function queueCampaignCheck(campaignId: string, requestId?: string): Promise<void> {
  await sendJob(
    "campaign-check",
    { campaignId, ...(requestId ? { requestId: requestId.slice(0, 100) } : {}) },
    { startAfterSeconds: UPLOAD_HEAD_START_MS / 1000 },
  );
}

/**
 * At start: a job for every campaign left running or checking. Their jobs normally still exist (a stopped instance
 * hands them back, a killed one's expire); this covers campaigns whose job was lost (e.g. started before the job
 * system existed). A job already waiting for the campaign makes this one a no-op (stately per campaign).
 */
export async function queueUnfinishedCampaigns(): Promise<{ running: number; checking: number }> {
  const campaigns = await db().campaign.findMany({
    where: { status: { in: ["running", "checking"] } },
    select: { id: true, status: true },
  });
  for (const campaign of campaigns) {
    if (campaign.status === "running") await sendJob("campaign-run", { campaignId: campaign.id });
    else await sendJob("campaign-check", { campaignId: campaign.id });
  }
  return {
    running: campaigns.filter((campaign) => campaign.status === "running").length,
    checking: campaigns.filter((campaign) => campaign.status === "checking").length,
  };
}
