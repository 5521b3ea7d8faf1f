"use client";
import { useState } from "react";
import { toast } from "sonner";
import { ActionMessage } from "@/components/action/action-message";
import { HiddenFields } from "@/components/action/hidden-fields";
import { SubmitButton } from "@/components/action/submit-button";
import { useServerAction } from "@/components/action/use-server-action";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { replayMatchingAction } from "./actions";

/** Admin only: re-run the handler on every event matching the current filter. */
export function ReplayMatching({ total, filter }: { total: number; filter: Record<string, string> }) {
  const [open, setOpen] = useState(false);
  const { run, pending, failure } = useServerAction(replayMatchingAction, {
    onSuccess: ({ replayed, processed, failed }) => {
      toast.success(`Replayed ${replayed} event(s): ${processed} processed, ${failed} failed.`);
      setOpen(false);
    },
  });
  if (!open) {
    return (
      <div>
        <Button type="button" variant="outline" size="sm" onClick={() => setOpen(true)}>
          Replay all {total} matching…
        </Button>
      </div>
    );
  }
  return (
    <form action={run} className="flex flex-wrap items-end gap-2 rounded-md border border-amber-300 p-3">
      <HiddenFields values={filter} />
      <div className="flex flex-col gap-1">
        <label htmlFor="replay-confirm" className="text-xs text-muted-foreground">
          Re-run the handler on {total} event(s) matching this filter{total > 5000 ? " (the first 5000)" : ""}. Type{" "}
          <code>replay</code> to confirm.
        </label>
        <Input id="replay-confirm" name="confirm" autoComplete="off" className="w-40" aria-invalid={Boolean(failure)} />
      </div>
      <SubmitButton pending={pending} pendingLabel="Replaying…">
        Replay
      </SubmitButton>
      <Button type="button" variant="ghost" onClick={() => setOpen(false)}>
        Cancel
      </Button>
      <ActionMessage failure={failure} fields={["confirm"]} className="w-full" />
    </form>
  );
}
