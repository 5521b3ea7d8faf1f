"use client";
import { useActionState, useEffect } from "react";
import { toast } from "sonner";
import type { ActionResult } from "@/lib/actions";
import type { ReplayOutcome } from "@/lib/webhooks/replay";
import { Button } from "@/components/ui/button";
import { FieldChanges } from "../field-changes";
import { replayEventAction } from "../actions";

type Result = ActionResult<ReplayOutcome & { mode: string }>;

/** Admin only: a dry run first (what would change), then the replay itself. */
export function ReplayPanel({ id }: { id: string }) {
  const [state, action, pending] = useActionState<Result | null, FormData>(replayEventAction, null);
  useEffect(() => {
    if (state?.ok && state.data.mode === "apply") toast.success(`Replayed: ${state.data.status}.`);
  }, [state]);
  const outcome = state?.ok ? state.data : null;

  return (
    <section className="flex flex-col gap-3 rounded-lg border p-4" aria-labelledby="replay-heading">
      <h2 id="replay-heading" className="text-sm font-semibold">
        Replay
      </h2>
      <p className="text-sm text-muted-foreground">
        Re-runs the handler on the stored payload. The handler is idempotent: replaying an applied event changes
        nothing.
      </p>
      <form action={action} className="flex gap-2">
        <input type="hidden" name="id" value={id} />
        <Button type="submit" name="mode" value="dry-run" variant="outline" disabled={pending}>
          Dry run
        </Button>
        <Button type="submit" name="mode" value="apply" disabled={pending || !outcome || outcome.mode !== "dry-run"}>
          Replay now
        </Button>
      </form>
      {state?.ok === false && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-300">
          {state.message}
        </p>
      )}
      {outcome && (
        <div className="flex flex-col gap-2" data-testid="replay-result">
          <p className="text-sm">
            {outcome.mode === "dry-run" ? "A replay would end as" : "Replay ended as"} <strong>{outcome.status}</strong>
            {outcome.error ? `: ${outcome.error}` : ""}.{" "}
            {outcome.changes.length === 0
              ? "Nothing would change."
              : `${outcome.changes.length} field(s) ${outcome.mode === "dry-run" ? "would change" : "changed"}:`}
          </p>
          {outcome.changes.length > 0 && (
            <FieldChanges
              rows={outcome.changes.map((change) => ({
                id: `${change.table}-${change.key}-${change.field}`,
                record: `${change.table} ${change.key}`,
                field: change.field,
                before: change.before,
                after: change.after,
              }))}
            />
          )}
        </div>
      )}
    </section>
  );
}
