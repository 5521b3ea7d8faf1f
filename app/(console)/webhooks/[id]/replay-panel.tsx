"use client";
import { toast } from "sonner";
import { ActionMessage } from "@/components/action/action-message";
import { useServerAction } from "@/components/action/use-server-action";
import { Button } from "@/components/ui/button";
import { Panel } from "@/components/ui/panel";
import { FieldChanges } from "../field-changes";
import { replayEventAction } from "../actions";

/** Admin only: a dry run first (what would change), then the replay itself. */
export function ReplayPanel({ id }: { id: string }) {
  const { result, run, pending, failure } = useServerAction(replayEventAction, {
    onSuccess: ({ mode, status }) => mode === "apply" && toast.success(`Replayed: ${status}.`),
  });
  const outcome = result?.ok ? result.data : null;

  return (
    <Panel headingId="replay-heading" title="Replay">
      <p className="text-sm text-muted-foreground">
        Re-runs the handler on the stored payload. The handler is idempotent: replaying an applied event changes
        nothing.
      </p>
      <form action={run} className="flex gap-2">
        <input type="hidden" name="id" value={id} />
        <Button type="submit" name="mode" value="dry-run" variant="outline" disabled={pending}>
          Dry run
        </Button>
        <Button type="submit" name="mode" value="apply" disabled={pending || !outcome || outcome.mode !== "dry-run"}>
          Replay now
        </Button>
      </form>
      <ActionMessage failure={failure} />
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
    </Panel>
  );
}
