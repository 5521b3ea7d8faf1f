"use client";
import { ActionButton } from "@/components/action/action-button";
import { ActionMessage } from "@/components/action/action-message";
import { useServerAction } from "@/components/action/use-server-action";
import { cancelJobAction, retryJobAction } from "./actions";

/** Retry (a failed job) or Cancel (a waiting or running one), with the refusal shown next to the button. */
export function JobCommand({ command, queue, id }: { command: "retry" | "cancel"; queue: string; id: string }) {
  const call = useServerAction(command === "retry" ? retryJobAction : cancelJobAction, { refresh: true });
  const label = command === "retry" ? "Retry" : "Cancel";
  return (
    <div className="flex items-center gap-2">
      <ActionButton
        action={call.run}
        fields={{ queue, id }}
        variant="outline"
        size="sm"
        pending={call.pending}
        aria-label={`${label} job ${id}`}
      >
        {label}
      </ActionButton>
      <ActionMessage failure={call.failure} fields={["queue", "id"]} className="text-xs" />
    </div>
  );
}
