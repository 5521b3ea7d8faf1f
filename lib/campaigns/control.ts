import "server-only";
import { ActionError } from "../errors";
import {
  confirmAbsentAndSend,
  markIntentIssued,
  reconcileIntent,
  retryIntent,
  type BookingsHubby,
} from "../bookings/intents";
import { db } from "../db";
import { queueCampaignRun } from "./jobs";
import { settleRow } from "./worker";

/**
 * Starting, pausing, resuming and cancelling a campaign: each a conditional UPDATE on its status, so a double
 * submit or two tabs change it once. The callers (server actions) audit every change.
 */

/** A refusal whose message is shown to staff as is (runAction audits it as refused). */
export class CampaignRefusal extends ActionError {}

type Staff = { id: string; email: string };

/**
 * Runs the draft left by a finished dry run whose checksum the page showed (a different file needs its own dry run);
 * a campaign still being checked, or rejected by its check, cannot be run.
 */
export async function startCampaign(id: string, checksum: string, staff: Staff) {
  const campaign = await db().campaign.findUnique({
    where: { id },
    select: { name: true, status: true, checksum: true, validCount: true },
  });
  if (!campaign) throw new CampaignRefusal("No such campaign.");
  if (campaign.status === "checking") {
    throw new CampaignRefusal("The dry run is still checking the file: run it once the check has finished.");
  }
  if (campaign.status === "rejected") {
    throw new CampaignRefusal("The dry run rejected this file: upload a corrected file as a new campaign.");
  }
  if (campaign.status !== "draft") throw new CampaignRefusal("The campaign has already been started.");
  if (campaign.checksum !== checksum)
    throw new CampaignRefusal("This is not the file of this dry run: dry-run it first.");
  if (campaign.validCount === 0) throw new CampaignRefusal("The dry run found no row that can be sent.");
  const { count } = await db().campaign.updateMany({
    where: { id, status: "draft" },
    data: { status: "running", startedById: staff.id, startedByEmail: staff.email, startedAt: new Date() },
  });
  if (count === 0) throw new CampaignRefusal("The campaign has already been started.");
  await queueCampaignRun(id);
}

async function move(
  id: string,
  from: "running" | "paused" | ("running" | "paused")[],
  to: "running" | "paused" | "cancelled",
) {
  const { count } = await db().campaign.updateMany({
    where: { id, status: { in: Array.isArray(from) ? from : [from] } },
    data: { status: to, statusNote: null, ...(to === "cancelled" ? { finishedAt: new Date() } : {}) },
  });
  if (count === 0) throw new CampaignRefusal(`The campaign is not ${Array.isArray(from) ? from.join(" or ") : from}.`);
}

export async function pauseCampaign(id: string) {
  await move(id, "running", "paused");
}

export async function resumeCampaign(id: string) {
  await move(id, "paused", "running");
  await queueCampaignRun(id);
}

/** Rows not yet sent stay unsent; rows in flight finish and are recorded. */
export async function cancelCampaign(id: string) {
  await move(id, ["running", "paused"], "cancelled");
}

export const RETRY_BATCH = 200;

/**
 * An explicit retry of failed rows (at most RETRY_BATCH per call): each intent is reconciled first and sent again
 * only when Hubby has no booking for its reference (lib/bookings retryIntent).
 */
export async function retryFailedRows(id: string, hubby: BookingsHubby, staff: Staff) {
  const rows = await db().campaignRow.findMany({
    where: { campaignId: id, state: "failed", intentId: { not: null } },
    select: { id: true, intentId: true },
    orderBy: { line: "asc" },
    take: RETRY_BATCH,
  });
  const tally = { retried: rows.length, sent: 0, failed: 0, unknown: 0, review: 0 };
  for (const row of rows) {
    await retryIntent(row.intentId!, hubby, staff);
    // Staff asked for this: a row left UNKNOWN (a lost reply again, or a lookup that cannot tell) goes to review.
    tally[await settleRow(row.id, row.intentId!, undefined, { review: true })]++;
  }
  return tally;
}

export const REVIEW_DECISIONS = ["reconcile", "send_once", "mark_issued"] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

/**
 * The review queue: rows whose reply was lost and whose booking no lookup could prove absent. Staff settle them in
 * bulk (at most RETRY_BATCH per call): `reconcile` asks Hubby again (nothing is sent); `send_once` is their
 * confirmation that Hubby has no such booking (each row is looked up once more, then sent once); `mark_issued` is
 * their confirmation that it exists (nothing is sent). The caller audits the decision with the tally.
 */
export async function settleReviewRows(id: string, decision: ReviewDecision, hubby: BookingsHubby, staff: Staff) {
  const rows = await db().campaignRow.findMany({
    where: { campaignId: id, state: "review", intentId: { not: null } },
    select: { id: true, intentId: true },
    orderBy: { line: "asc" },
    take: RETRY_BATCH,
  });
  const tally = { rows: rows.length, sent: 0, failed: 0, unknown: 0, review: 0, posted: 0 };
  for (const row of rows) {
    const intentId = row.intentId!;
    if (decision === "reconcile") await reconcileIntent(intentId, hubby, staff, { quietMs: 0 });
    else if (decision === "send_once") {
      if ((await confirmAbsentAndSend(intentId, hubby, staff)).sent) tally.posted++;
    } else await markIntentIssued(intentId, staff, null);
    // Whatever is still UNKNOWN stays in the queue: no worker checks a row staff are settling.
    tally[await settleRow(row.id, intentId, undefined, { review: true })]++;
  }
  return tally;
}
