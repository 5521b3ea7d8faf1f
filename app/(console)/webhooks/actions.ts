"use server";
import { z } from "zod";
import { runAction, type ActionResult } from "@/lib/actions";
import { ActionError } from "@/lib/errors";
import { webhookQuerySchema } from "@/lib/webhooks/queries";
import { startReconciliation, waitForReconciliation } from "@/lib/webhooks/reconcile";
import { replayEvent, replayMatching, type ReplayOutcome } from "@/lib/webhooks/replay";

const replayOneSchema = z.object({
  id: z.string().regex(/^\d{1,18}$/, "Unknown event."),
  mode: z.enum(["dry-run", "apply"]),
});

export async function replayEventAction(
  _prev: unknown,
  form: FormData,
): Promise<ActionResult<ReplayOutcome & { mode: string }>> {
  return runAction(
    {
      action: "webhooks.replay",
      permission: "webhooks.replay",
      schema: replayOneSchema,
      run: async (input) => {
        const outcome = await replayEvent(BigInt(input.id), { dryRun: input.mode === "dry-run" });
        if (!outcome) throw new ActionError("This event no longer exists.");
        return { ...outcome, mode: input.mode };
      },
      // A dry run changes nothing: neither audited nor revalidated.
      audit: (outcome, input) =>
        input.mode === "dry-run"
          ? null
          : {
              targetType: "webhook_event",
              targetId: input.id,
              result: outcome.status === "failed" ? "error" : "ok",
              details: { status: outcome.status, changes: outcome.changes.length, error: outcome.error },
            },
      revalidate: (input) => (input.mode === "dry-run" ? [] : ["/webhooks", `/webhooks/${input.id}`]),
    },
    form,
  );
}

const replayMatchingSchema = webhookQuerySchema.omit({ page: true, sort: true }).extend({
  confirm: z.literal("replay", { error: "Type replay to confirm." }),
});

export async function replayMatchingAction(
  _prev: unknown,
  form: FormData,
): Promise<ActionResult<Awaited<ReturnType<typeof replayMatching>>>> {
  return runAction(
    {
      action: "webhooks.replay_matching",
      permission: "webhooks.replay",
      schema: replayMatchingSchema.transform((input) => ({ ...input, confirm: undefined })),
      run: (filter) => replayMatching(filter),
      audit: (tally, filter) => ({
        targetType: "webhook_filter",
        result: tally.failed ? "error" : "ok",
        details: { filter, ...tally },
      }),
      revalidate: ["/webhooks"],
    },
    form,
  );
}

// One traveler is quick: staff wait for it (the panel keeps refreshing if it takes longer).
const ONE_TRAVELER_WAIT_MS = 15_000;
const reconcileSchema = z.object({
  externalUserId: z.string().trim().min(1).max(200).optional(),
});

/** "Refresh from Hubby": one traveler (waits for it) or every traveler with an active package (background). */
export async function reconcileAction(_prev: unknown, form: FormData): Promise<ActionResult<{ runId: string }>> {
  return runAction(
    {
      action: "webhooks.reconcile",
      permission: "webhooks.reconcile",
      schema: reconcileSchema,
      subject: (input) => ({ externalUserId: input.externalUserId }),
      run: async (input, { staff }) => {
        const scope = input.externalUserId
          ? { kind: "traveler" as const, externalUserId: input.externalUserId }
          : { kind: "all_active" as const };
        const runId = await startReconciliation(staff, scope);
        if (scope.kind === "traveler") await waitForReconciliation(runId, ONE_TRAVELER_WAIT_MS);
        return { runId };
      },
      audit: ({ runId }, input) => ({
        targetType: "reconciliation_run",
        targetId: runId,
        details: { scope: input.externalUserId ? "traveler" : "all_active" },
      }),
      revalidate: ["/webhooks"],
    },
    form,
  );
}
