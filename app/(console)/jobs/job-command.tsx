"use client";
import { useActionState } from "react";
import type { ActionResult } from "@/lib/actions";
import { Button } from "@/components/ui/button";
import { cancelJobAction, retryJobAction } from "./actions";

type Result = ActionResult<{ queue: string; id: string }> | null;

/** Retry (a failed job) or Cancel (a waiting or running one), with the refusal shown next to the button. */
export function JobCommand({ command, queue, id }: { command: "retry" | "cancel"; queue: string; id: string }) {
  const [state, action, pending] = useActionState<Result, FormData>(
    command === "retry" ? retryJobAction : cancelJobAction,
    null,
  );
  return (
    <form action={action} className="flex items-center gap-2">
      <input type="hidden" name="queue" value={queue} />
      <input type="hidden" name="id" value={id} />
      <Button
        type="submit"
        variant="outline"
        size="sm"
        disabled={pending}
        aria-label={`${command === "retry" ? "Retry" : "Cancel"} job ${id}`}
      >
        {command === "retry" ? "Retry" : "Cancel"}
      </Button>
      {state?.ok === false && (
        <span role="alert" className="text-xs text-red-700 dark:text-red-300">
          {state.message}
        </span>
      )}
    </form>
  );
}
