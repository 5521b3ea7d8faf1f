"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { ActionError, formToObject, runAction, type ActionResult } from "@/lib/actions";
import { audit } from "@/lib/audit/audit";
import { rolesFor } from "@/lib/auth/roles";
import { webhookQuerySchema } from "@/lib/webhooks/queries";
import { hubbyFor } from "@/lib/hubby";
import { startReconciliation } from "@/lib/webhooks/reconcile";
import { replayEvent, replayMatching, type ReplayOutcome } from "@/lib/webhooks/replay";

const roles = rolesFor("webhooks.replay");

const replayOneSchema = z.object({
  id: z.string().regex(/^\d{1,18}$/, "Unknown event."),
  mode: z.enum(["dry-run", "apply"]),
});

export async function replayEventAction(
  _prev: unknown,
  form: FormData,
): Promise<ActionResult<ReplayOutcome & { mode: string }>> {
  return runAction(
    { action: "webhooks.replay", roles, schema: replayOneSchema, input: formToObject(form) },
    async (input, { staff, requestId }) => {
      const dryRun = input.mode === "dry-run";
      const outcome = await replayEvent(BigInt(input.id), { dryRun });
      if (!outcome) throw new ActionError("This event no longer exists.");
      if (!dryRun) {
        await audit({
          actor: staff,
          action: "webhooks.replay",
          targetType: "webhook_event",
          targetId: input.id,
          result: outcome.status === "failed" ? "error" : "ok",
          details: { status: outcome.status, changes: outcome.changes.length, error: outcome.error },
          requestId,
        });
        revalidatePath("/webhooks");
        revalidatePath(`/webhooks/${input.id}`);
      }
      return { ...outcome, mode: input.mode };
    },
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
    { action: "webhooks.replay_matching", roles, schema: replayMatchingSchema, input: formToObject(form) },
    async (input, { staff, requestId }) => {
      const filter = { ...input, confirm: undefined };
      const tally = await replayMatching(filter);
      await audit({
        actor: staff,
        action: "webhooks.replay_matching",
        targetType: "webhook_filter",
        result: tally.failed ? "error" : "ok",
        details: { filter, ...tally },
        requestId,
      });
      revalidatePath("/webhooks");
      return tally;
    },
  );
}

const reconcileRoles = rolesFor("webhooks.reconcile");
const reconcileSchema = z.object({
  externalUserId: z.string().trim().min(1).max(200).optional(),
});

/** "Refresh from Hubby": one traveler (waits for it) or every traveler with an active package (background). */
export async function reconcileAction(_prev: unknown, form: FormData): Promise<ActionResult<{ runId: string }>> {
  return runAction(
    { action: "webhooks.reconcile", roles: reconcileRoles, schema: reconcileSchema, input: formToObject(form) },
    async (input, { staff, requestId }) => {
      const hubby = await hubbyFor(staff);
      const runId = await startReconciliation(
        hubby,
        staff,
        input.externalUserId ? { kind: "traveler", externalUserId: input.externalUserId } : { kind: "all_active" },
      );
      await audit({
        actor: staff,
        action: "webhooks.reconcile",
        targetType: "reconciliation_run",
        targetId: runId,
        externalUserId: input.externalUserId,
        result: "ok",
        details: { scope: input.externalUserId ? "traveler" : "all_active" },
        requestId,
      });
      revalidatePath("/webhooks");
      return { runId };
    },
  );
}
