"use client";
import { ActionButton } from "@/components/action/action-button";
import { ActionMessage } from "@/components/action/action-message";
import { useServerAction } from "@/components/action/use-server-action";
import { endSessionAction } from "./actions";

/** Ends one of the user's other sessions, with the refusal (already ended) shown beside the button. */
export function EndSessionButton({ id, device }: { id: string; device: string }) {
  const call = useServerAction(endSessionAction, { refresh: true });
  return (
    <div className="flex items-center justify-end gap-2">
      <ActionMessage failure={call.failure} fields={["id"]} className="text-xs" />
      <ActionButton
        action={call.run}
        fields={{ id }}
        variant="outline"
        size="sm"
        pending={call.pending}
        aria-label={`End session on ${device}`}
      >
        End session
      </ActionButton>
    </div>
  );
}
