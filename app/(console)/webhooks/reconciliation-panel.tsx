"use client";
import { useActionState, useEffect } from "react";
import { useRouter } from "next/navigation";
import type { ActionResult } from "@/lib/actions";
import type { ReconciliationView } from "@/lib/webhooks/reconcile";
import { Button } from "@/components/ui/button";
import { FieldChanges } from "./field-changes";
import { reconcileAction } from "./actions";

/** Admin only: re-read every traveler with an active package from Hubby, with progress and what changed. */
export function ReconciliationPanel({
  run,
  externalUserId,
}: {
  run: ReconciliationView | null;
  externalUserId?: string;
}) {
  const router = useRouter();
  const [state, action, pending] = useActionState<ActionResult<{ runId: string }> | null, FormData>(
    reconcileAction,
    null,
  );
  const running = run?.status === "running";
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => router.refresh(), 2_000);
    return () => clearInterval(timer);
  }, [running, router]);

  return (
    <section className="flex flex-col gap-3 rounded-lg border p-4" aria-labelledby="reconcile-heading">
      <h2 id="reconcile-heading" className="text-sm font-semibold">
        Refresh from Hubby
      </h2>
      <p className="text-sm text-muted-foreground">
        {externalUserId
          ? "Re-reads this traveler's dashboard from Hubby and records what changed."
          : "Hubby drops a webhook after three failed retries. This re-reads the dashboard of every traveler with an active package and records what changed."}
      </p>
      <form action={action} className="flex items-center gap-2">
        {externalUserId && <input type="hidden" name="externalUserId" value={externalUserId} />}
        <Button type="submit" variant="outline" disabled={pending || running}>
          {running ? "Refreshing…" : externalUserId ? "Refresh this traveler" : "Refresh all active travelers"}
        </Button>
      </form>
      {state?.ok === false && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-300">
          {state.message}
        </p>
      )}
      {run && (
        <div className="flex flex-col gap-2 text-sm" data-testid="reconciliation-run">
          <p>
            Last run ({run.scope === "traveler" ? `traveler ${run.externalUserId}` : "all active travelers"}, by{" "}
            {run.startedByEmail ?? "system"}): <strong>{run.status}</strong>, {run.done} of {run.total} refreshed,{" "}
            {run.changed} changed, {run.failed} failed.
          </p>
          {running && (
            <progress className="w-full" max={Math.max(1, run.total)} value={run.done} aria-label="Refresh progress" />
          )}
          {run.error && <p className="whitespace-pre-line text-xs text-red-700 dark:text-red-300">{run.error}</p>}
          {run.changes.length > 0 && (
            <FieldChanges rows={run.changes.map((change) => ({ ...change, traveler: change.externalUserId }))} />
          )}
        </div>
      )}
    </section>
  );
}
