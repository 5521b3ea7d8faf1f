"use client";
import { toast } from "sonner";
import { ActionButton } from "@/components/action/action-button";
import { ActionMessage } from "@/components/action/action-message";
import { useServerAction } from "@/components/action/use-server-action";
import { runRetentionNowAction } from "./actions";

/** Queues one retention job now (audited); the refusal shows beside the button. */
export function RunRetentionNow({ job, label }: { job: string; label: string }) {
  const call = useServerAction(runRetentionNowAction, {
    refresh: true,
    onSuccess: () => toast.success(`${label}: queued. Its outcome shows here once it has run.`),
  });
  return (
    <div className="flex items-center gap-2">
      <ActionButton
        action={call.run}
        fields={{ job }}
        variant="outline"
        size="sm"
        pending={call.pending}
        aria-label={`Run now: ${label}`}
      >
        Run now
      </ActionButton>
      <ActionMessage failure={call.failure} fields={["job"]} className="text-xs" />
    </div>
  );
}
