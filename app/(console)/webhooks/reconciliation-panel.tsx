"use client";
import { useEffect } from "react";
import { useRouter } from "next/navigation";
import type { ReconciliationView } from "@/lib/webhooks/reconcile";
import { ActionMessage } from "@/components/action/action-message";
import { SubmitButton } from "@/components/action/submit-button";
import { useServerAction } from "@/components/action/use-server-action";
import { Panel } from "@/components/ui/panel";
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
  const { run: reconcile, pending, failure } = useServerAction(reconcileAction);
  const running = run?.status === "running";
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => router.refresh(), 2_000);
    return () => clearInterval(timer);
  }, [running, router]);

  return (
    <Panel headingId="reconcile-heading" title="Refresh from Hubby">
      <p className="text-sm text-muted-foreground">
        {externalUserId
          ? "Re-reads this traveler's dashboard from Hubby and records what changed."
          : "Hubby drops a webhook after three failed retries. This re-reads the dashboard of every traveler with an active package and records what changed."}
      </p>
      <form action={reconcile} className="flex items-center gap-2">
        {externalUserId && <input type="hidden" name="externalUserId" value={externalUserId} />}
        <SubmitButton variant="outline" pending={pending} disabled={running}>
          {running ? "Refreshing…" : externalUserId ? "Refresh this traveler" : "Refresh all active travelers"}
        </SubmitButton>
      </form>
      <ActionMessage failure={failure} />
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
    </Panel>
  );
}
