import { db } from "@/lib/db";
import { disabledEndpoints, pendingCounts } from "@/lib/forwarding/queries";
import { queueOverview } from "@/lib/jobs/admin";
import { jobSystemStatus } from "@/lib/jobs/jobs";
import { errorFields, log } from "@/lib/log";
import { metrics } from "@/lib/metrics";
import { pendingProjections } from "@/lib/webhooks/projector";

/**
 * The gauges that describe the shared database rather than this instance, read at scrape time: job queues, campaign
 * rows by outcome, forwarding messages waiting and endpoints disabled, webhook projections pending, and the sign-in failures and throttles the audit trail keeps. A gauge whose read fails keeps no
 * stale value: it is emptied, and the failure logged, so the scrape still answers with everything else.
 */
export async function refreshDatabaseGauges() {
  const { jobQueueDepth, campaignRows, signInProblems, forwardPending, forwardEndpointsDisabled } = metrics();
  const { webhookProjectionPending } = metrics();
  await Promise.all([
    refresh(
      "job queues",
      () => jobQueueDepth.reset(),
      async () => {
        if (!jobSystemStatus().running) return;
        for (const queue of await queueOverview()) {
          jobQueueDepth.set({ queue: queue.queue, state: "queued" }, queue.queued);
          jobQueueDepth.set({ queue: queue.queue, state: "active" }, queue.active);
          jobQueueDepth.set({ queue: queue.queue, state: "failed" }, queue.failed);
        }
      },
    ),
    refresh(
      "campaign rows",
      () => campaignRows.reset(),
      async () => {
        const rows = await db().campaignRow.groupBy({ by: ["state"], _count: { _all: true } });
        for (const row of rows) campaignRows.set({ outcome: row.state }, row._count._all);
      },
    ),
    refresh(
      "forwarding",
      () => {
        forwardPending.reset();
        forwardEndpointsDisabled.reset();
      },
      async () => {
        const [pending, disabled] = await Promise.all([pendingCounts(), disabledEndpoints()]);
        for (const [endpointId, count] of pending) forwardPending.set({ endpoint: String(endpointId) }, count);
        forwardEndpointsDisabled.set(disabled.length);
      },
    ),
    refresh(
      "webhook projections pending",
      () => webhookProjectionPending.reset(),
      async () => webhookProjectionPending.set(await pendingProjections()),
    ),
    refresh(
      "sign-in events",
      () => signInProblems.reset(),
      async () => {
        const kinds = { "auth.sign_in_failed": "failed", "auth.throttled": "throttled" } as const;
        const rows = await db().auditEntry.groupBy({
          by: ["action"],
          where: { action: { in: Object.keys(kinds) } },
          _count: { _all: true },
        });
        for (const kind of Object.values(kinds)) signInProblems.set({ kind }, 0);
        for (const row of rows) signInProblems.set({ kind: kinds[row.action as keyof typeof kinds] }, row._count._all);
      },
    ),
  ]);
}

async function refresh(what: string, reset: () => void, read: () => Promise<void>) {
  reset();
  try {
    await read();
  } catch (error) {
    reset();
    log("metrics").error({ gauge: what, ...errorFields(error) }, "could not read a gauge");
  }
}
