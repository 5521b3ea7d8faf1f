"use client";
import { Plus } from "lucide-react";
import { useState } from "react";
import { ActionDialog } from "@/components/action/action-dialog";
import { ActionMessage } from "@/components/action/action-message";
import { CopyButton } from "@/components/action/copy-button";
import { SubmitButton } from "@/components/action/submit-button";
import { useDialogAction, useServerAction } from "@/components/action/use-server-action";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import type { FieldErrors } from "@/lib/errors";
import { createEndpointAction, updateEndpointAction } from "./actions";

export type EndpointFormValues = {
  url: string;
  description: string;
  eventTypes: string[];
  enabled: boolean;
  ordered: boolean;
  rateLimitPerSecond: number | null;
  headers: Record<string, string>;
};

const blank: EndpointFormValues = {
  url: "",
  description: "",
  eventTypes: [],
  enabled: true,
  ordered: false,
  rateLimitPerSecond: null,
  headers: {},
};

const textareaClass =
  "min-h-20 w-full rounded-md border border-input bg-background px-3 py-2 font-mono text-xs shadow-sm focus-visible:outline-none focus-visible:ring-1 focus-visible:ring-ring";

/** The endpoint's fields, shared by the add dialog and the edit form. */
function EndpointFields({
  prefix,
  values,
  errors,
  disabled = false,
}: {
  prefix: string;
  values: EndpointFormValues;
  errors?: FieldErrors;
  disabled?: boolean;
}) {
  return (
    <fieldset disabled={disabled} className="flex flex-col gap-3">
      <Field id={`${prefix}-url`} label="URL" errors={errors?.url}>
        {(props) => (
          <Input name="url" type="url" required defaultValue={values.url} placeholder="https://" {...props} />
        )}
      </Field>
      <Field id={`${prefix}-description`} label="Description" errors={errors?.description}>
        {(props) => <Input name="description" defaultValue={values.description} {...props} />}
      </Field>
      <Field
        id={`${prefix}-types`}
        label="Event types"
        hint="One per line. Empty forwards every type, including types Hubby adds later; a type not known yet may be listed."
        errors={errors?.eventTypes}
      >
        {(props) => (
          <textarea
            name="eventTypes"
            className={textareaClass}
            defaultValue={values.eventTypes.join("\n")}
            {...props}
          />
        )}
      </Field>
      <Field
        id={`${prefix}-rate`}
        label="Rate limit (requests per second)"
        hint="Empty for no limit."
        errors={errors?.rateLimitPerSecond}
      >
        {(props) => (
          <Input
            name="rateLimitPerSecond"
            type="number"
            min={1}
            defaultValue={values.rateLimitPerSecond ?? ""}
            className="w-32"
            {...props}
          />
        )}
      </Field>
      <Field id={`${prefix}-headers`} label="Custom headers" hint="Name: value, one per line." errors={errors?.headers}>
        {(props) => (
          <textarea
            name="headers"
            className={textareaClass}
            defaultValue={Object.entries(values.headers)
              .map(([name, value]) => `${name}: ${value}`)
              .join("\n")}
            {...props}
          />
        )}
      </Field>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" name="enabled" defaultChecked={values.enabled} />
        Enabled
      </label>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" name="ordered" defaultChecked={values.ordered} />
        Deliver each traveler&apos;s events in the order received
      </label>
    </fieldset>
  );
}

/** The secret, shown once with a copy button: it is never shown again. */
export function SecretOnce({ secret, onDone }: { secret: string; onDone?: () => void }) {
  return (
    <div
      role="status"
      className="flex flex-col gap-2 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm dark:bg-amber-900/30"
    >
      <p className="font-medium">Signing secret: copy it now, it is not shown again.</p>
      <code data-testid="endpoint-secret" className="break-all font-mono text-xs">
        {secret}
      </code>
      <div className="flex gap-2">
        <CopyButton what="secret" value={secret} />
        {onDone && (
          <Button variant="ghost" size="sm" onClick={onDone}>
            Done
          </Button>
        )}
      </div>
    </div>
  );
}

export function AddEndpointDialog() {
  const [dismissed, setDismissed] = useState<number | null>(null);
  const dialog = useDialogAction(createEndpointAction, {
    success: ({ url }) => `Added ${url}.`,
    refresh: true,
  });
  const created = dialog.result?.ok ? dialog.result.data : null;
  return (
    <div className="flex flex-col gap-3">
      <ActionDialog
        action={dialog}
        trigger={
          <Button>
            <Plus className="h-4 w-4" aria-hidden />
            Add endpoint
          </Button>
        }
        title="Add endpoint"
        description="Hubby's webhooks are forwarded here, signed like Standard Webhooks. The secret is shown once."
        submit="Add endpoint"
        pendingLabel="Adding…"
      >
        <EndpointFields prefix="new-endpoint" values={blank} errors={dialog.fieldErrors} />
      </ActionDialog>
      {created && dismissed !== created.id && (
        <SecretOnce secret={created.secret} onDone={() => setDismissed(created.id)} />
      )}
    </div>
  );
}

export function EditEndpointForm({ id, values }: { id: number; values: EndpointFormValues }) {
  const call = useServerAction(updateEndpointAction, { refresh: true });
  return (
    <form action={call.run} className="flex max-w-xl flex-col gap-3">
      <input type="hidden" name="id" value={id} />
      <EndpointFields prefix="endpoint" values={values} errors={call.fieldErrors} />
      <ActionMessage failure={call.failure} />
      {call.result?.ok && (
        <p role="status" className="text-sm text-emerald-700 dark:text-emerald-300">
          Saved.
        </p>
      )}
      <SubmitButton pending={call.pending} pendingLabel="Saving…" className="self-start">
        Save
      </SubmitButton>
    </form>
  );
}
