"use client";
import { ActionButton } from "@/components/action/action-button";
import { ActionMessage } from "@/components/action/action-message";
import { useServerAction } from "@/components/action/use-server-action";
import { acknowledgeIncidentAction } from "../actions";

/** "I am on it": records who acknowledged the incident; the refusal (already acknowledged) shows beside it. */
export function AcknowledgeButton({ id }: { id: string }) {
  const call = useServerAction(acknowledgeIncidentAction, { refresh: true });
  return (
    <div className="flex items-center gap-2">
      <ActionButton
        action={call.run}
        fields={{ id }}
        variant="outline"
        size="sm"
        pending={call.pending}
        aria-label={`Acknowledge incident ${id}`}
      >
        Acknowledge
      </ActionButton>
      <ActionMessage failure={call.failure} fields={["id"]} className="text-xs" />
    </div>
  );
}
