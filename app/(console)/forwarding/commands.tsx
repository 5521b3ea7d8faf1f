"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { ActionButton } from "@/components/action/action-button";
import { ActionDialog } from "@/components/action/action-dialog";
import { ActionMessage } from "@/components/action/action-message";
import { ConfirmCheck } from "@/components/action/confirm-check";
import { useDialogAction, useServerAction } from "@/components/action/use-server-action";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import {
  deleteEndpointAction,
  forwardEventAgainAction,
  recoverFailedAction,
  retryMessageAction,
  rotateSecretAction,
  sendTestEventAction,
} from "./actions";
import { SecretOnce } from "./endpoint-form";

export function SendTestEvent({ id }: { id: number }) {
  const call = useServerAction(sendTestEventAction, { refresh: true });
  return (
    <div className="flex items-center gap-2">
      <ActionButton action={call.run} fields={{ id }} variant="outline" size="sm" pending={call.pending}>
        Send test event
      </ActionButton>
      {call.result?.ok && (
        <span role="status" className="text-xs text-muted-foreground">
          Test event queued; it appears in the delivery log.
        </span>
      )}
      <ActionMessage failure={call.failure} className="text-xs" />
    </div>
  );
}

export function RotateSecret({ id }: { id: number }) {
  const dialog = useDialogAction(rotateSecretAction, { success: () => "New secret made.", refresh: true });
  const [dismissed, setDismissed] = useState<string | null>(null);
  const rotated = dialog.result?.ok ? dialog.result.data : null;
  return (
    <div className="flex flex-col gap-2">
      <ActionDialog
        action={dialog}
        trigger={
          <Button variant="outline" size="sm">
            Rotate secret
          </Button>
        }
        title="Rotate the signing secret"
        description="A new secret signs from now on. For 24 hours the old one signs too (two signatures per request), so the receiver can switch without losing events."
        fields={{ id }}
        submit="Rotate"
      >
        <ConfirmCheck>I will give the new secret to the receiver within 24 hours.</ConfirmCheck>
      </ActionDialog>
      {rotated && dismissed !== rotated.secret && (
        <SecretOnce secret={rotated.secret} onDone={() => setDismissed(rotated.secret)} />
      )}
    </div>
  );
}

export function RecoverFailed({ id, defaultSince }: { id: number; defaultSince: string }) {
  const call = useServerAction(recoverFailedAction, { refresh: true });
  return (
    <form action={call.run} className="flex flex-wrap items-end gap-2">
      <input type="hidden" name="id" value={id} />
      <Field id="recover-since" label="Failed messages since (UTC)" errors={call.fieldErrors?.since}>
        {(props) => (
          <Input name="since" type="datetime-local" defaultValue={defaultSince} className="w-56" {...props} />
        )}
      </Field>
      <Button type="submit" variant="outline" size="sm" disabled={call.pending}>
        Recover
      </Button>
      {call.result?.ok && (
        <span role="status" className="text-sm">
          {call.result.data.count} failed message(s) will be sent again.
        </span>
      )}
      <ActionMessage failure={call.failure} fields={["id"]} className="text-xs" />
    </form>
  );
}

export function DeleteEndpoint({ id }: { id: number }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const call = useServerAction(deleteEndpointAction, {
    onSuccess: () => {
      setOpen(false);
      router.push("/forwarding");
    },
  });
  return (
    <ActionDialog
      action={{ ...call, open, setOpen }}
      trigger={
        <Button variant="outline" size="sm">
          Delete endpoint
        </Button>
      }
      title="Delete this endpoint"
      description="Nothing more is forwarded to it, and its delivery log is deleted with it."
      fields={{ id }}
      submit="Delete"
      submitVariant="destructive"
    >
      <ConfirmCheck>Delete the endpoint and its log.</ConfirmCheck>
    </ActionDialog>
  );
}

export function RetryMessage({ id }: { id: string }) {
  const call = useServerAction(retryMessageAction, { refresh: true, toastFailure: true });
  return (
    <ActionButton
      action={call.run}
      fields={{ id }}
      variant="outline"
      size="sm"
      pending={call.pending}
      aria-label={`Retry message ${id}`}
    >
      Retry
    </ActionButton>
  );
}

export function ForwardEventAgain({ event }: { event: string }) {
  const call = useServerAction(forwardEventAgainAction, { refresh: true });
  return (
    <div className="flex items-center gap-2">
      <ActionButton action={call.run} fields={{ event }} variant="outline" size="sm" pending={call.pending}>
        Forward this event again
      </ActionButton>
      {call.result?.ok && (
        <span role="status" className="text-xs">
          Sent again to every subscribed endpoint.
        </span>
      )}
      <ActionMessage failure={call.failure} className="text-xs" />
    </div>
  );
}
