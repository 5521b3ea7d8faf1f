"use client";
import { startTransition, useActionState, useRef, useState } from "react";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import type { ActionResult, FieldErrors } from "@/lib/actions";
import { Button } from "@/components/ui/button";
import type { SentData } from "./outcome";

type Step<Data> = (previous: unknown, form: FormData) => Promise<ActionResult<Data>>;

/**
 * The preview-then-send flow both booking forms share: a preview step that sends nothing, one send, the errors of
 * either shown by their fields (one shape: the action's `fieldErrors`), and where a sent booking leads. The client
 * key was minted when the page rendered: submitting twice finds the same intent; after Hubby refused a send the
 * form gets a fresh key, so the corrected form makes a new intent.
 *
 * Submitting goes through onSubmit, not a form action: React resets a form after its action runs, and a reset puts
 * every controlled <select> back on its first option (React marks no option as the default of a controlled select),
 * so the fields showed 1GB / UTC / partner default beside a preview of something else.
 */
export function useTwoStepForm<Preview>(props: {
  clientKey: string;
  preview: Step<Preview>;
  send: Step<SentData>;
  /** Where the staff member goes once the booking was sent, or may have been. */
  hrefAfterSend: (sent: SentData) => string;
}) {
  const router = useRouter();
  const [clientKey, setClientKey] = useState(props.clientKey);
  const [phase, setPhase] = useState<"edit" | "preview">("edit");
  const [errors, setErrors] = useState<{ message?: string; fields: FieldErrors }>({ fields: {} });
  const showErrors = (failure: { message: string; fieldErrors?: FieldErrors }) => {
    setErrors({ message: failure.message, fields: failure.fieldErrors ?? {} });
    setPhase("edit");
  };

  // Outcomes are handled where the action returns (not in effects), so each result updates the form once.
  const [previewState, previewAction, previewing] = useActionState<ActionResult<Preview> | null, FormData>(
    async (previous, form) => {
      const result = await props.preview(previous, form);
      if (!result.ok) showErrors(result);
      else {
        setErrors({ fields: {} });
        setPhase("preview");
      }
      return result;
    },
    null,
  );
  const sendInFlight = useRef(false);
  const [, sendAction, sending] = useActionState<ActionResult<SentData> | null, FormData>(async (previous, form) => {
    const result = await props.send(previous, form).finally(() => {
      // By now the button shows as busy (disabled) until this transition ends.
      sendInFlight.current = false;
    });
    if (!result.ok) showErrors(result);
    else if (result.data.outcome === "failed") {
      showErrors(result.data);
      if (result.data.nextClientKey) setClientKey(result.data.nextClientKey);
    } else {
      if (result.data.outcome === "sent") toast.success(result.data.message);
      else toast.warning(result.data.message);
      router.push(props.hrefAfterSend(result.data));
    }
    return result;
  }, null);

  function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const step = (event.nativeEvent as SubmitEvent).submitter?.getAttribute("data-step");
    if (step === "send") {
      // A double click submits twice before the button re-renders disabled. The server would send nothing the
      // second time (the form's key), but that second call's answer, arriving after the first one's navigation
      // had started, could put the router back on this form: so the second click sends nothing at all.
      if (sendInFlight.current) return;
      sendInFlight.current = true;
    }
    startTransition(() => (step === "send" ? sendAction(form) : previewAction(form)));
  }

  const editing = phase === "edit";
  return {
    clientKey,
    editing,
    busy: previewing || sending,
    previewing,
    sending,
    errors,
    field: (key: string) => errors.fields[key],
    preview: !editing && previewState?.ok ? previewState.data : null,
    edit: () => setPhase("edit"),
    submit,
  };
}

type TwoStepForm<Preview> = ReturnType<typeof useTwoStepForm<Preview>>;

/**
 * Below the fields: the form's message, then "Preview" while editing, or the preview with "Send" and "Edit".
 * `renderPreview` puts the buttons inside the preview, under what they send.
 */
export function TwoStepFooter<Preview>(props: {
  form: TwoStepForm<Preview>;
  sendLabel: (preview: Preview) => string;
  sendTestId: string;
  renderPreview: (preview: Preview, buttons: React.ReactNode) => React.ReactNode;
}) {
  const { form } = props;
  const formErrors = form.field("form");
  return (
    <>
      {form.errors.message && (
        <p role="alert" className="text-sm text-destructive" data-testid="form-error">
          {form.errors.message}
          {formErrors ? ` ${formErrors.join(" ")}` : ""}
        </p>
      )}
      {form.editing ? (
        <div>
          <Button type="submit" data-step="preview" disabled={form.busy}>
            {form.previewing ? "Preparing preview…" : "Preview"}
          </Button>
        </div>
      ) : (
        form.preview &&
        props.renderPreview(
          form.preview,
          <div className="flex gap-2">
            <Button type="submit" data-step="send" disabled={form.busy} data-testid={props.sendTestId}>
              {form.sending ? "Sending…" : props.sendLabel(form.preview)}
            </Button>
            <Button type="button" variant="outline" disabled={form.busy} onClick={form.edit}>
              Edit
            </Button>
          </div>,
        )
      )}
    </>
  );
}
