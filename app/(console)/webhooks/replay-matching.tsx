"use client";
import { useActionState, useState } from "react";
import { toast } from "sonner";
import type { ActionResult } from "@/lib/actions";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { replayMatchingAction } from "./actions";

type Tally = { total: number; replayed: number; processed: number; failed: number; other: number; capped: boolean };

/** Admin only: re-run the handler on every event matching the current filter. */
export function ReplayMatching({ total, filter }: { total: number; filter: Record<string, string> }) {
  const [open, setOpen] = useState(false);
  const [state, action, pending] = useActionState<ActionResult<Tally> | null, FormData>(async (previous, form) => {
    const result = await replayMatchingAction(previous, form);
    if (result.ok) {
      toast.success(
        `Replayed ${result.data.replayed} event(s): ${result.data.processed} processed, ${result.data.failed} failed.`,
      );
      setOpen(false);
    }
    return result;
  }, null);
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
    <form action={action} className="flex flex-wrap items-end gap-2 rounded-md border border-amber-300 p-3">
      {Object.entries(filter).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <div className="flex flex-col gap-1">
        <label htmlFor="replay-confirm" className="text-xs text-muted-foreground">
          Re-run the handler on {total} event(s) matching this filter{total > 5000 ? " (the first 5000)" : ""}. Type{" "}
          <code>replay</code> to confirm.
        </label>
        <Input
          id="replay-confirm"
          name="confirm"
          autoComplete="off"
          className="w-40"
          aria-invalid={state?.ok === false}
        />
      </div>
      <Button type="submit" disabled={pending}>
        {pending ? "Replaying…" : "Replay"}
      </Button>
      <Button type="button" variant="ghost" onClick={() => setOpen(false)}>
        Cancel
      </Button>
      {state?.ok === false && (
        <p role="alert" className="w-full text-sm text-red-700 dark:text-red-300">
          {state.fieldErrors?.confirm?.[0] ?? state.message}
        </p>
      )}
    </form>
  );
}
