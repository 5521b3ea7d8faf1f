"use client";
import * as React from "react";
import type { ButtonProps } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { ActionMessage } from "./action-message";
import { HiddenFields } from "./hidden-fields";
import { SubmitButton } from "./submit-button";
import type { ActionFailure } from "./use-server-action";

/** What ActionDialog needs of its action: useDialogAction's return, or one built from useServerAction. */
export type DialogAction = {
  open: boolean;
  setOpen: (open: boolean) => void;
  run: (form: FormData) => void;
  /** useServerAction's submit handler, used with `keepValues`. */
  submit?: (event: React.FormEvent<HTMLFormElement>) => void;
  pending: boolean;
  failure: ActionFailure | null;
};

/**
 * A dialog whose form calls one action: the trigger, the title and what will happen, the form's own fields, the
 * refusal, the submit button.
 */
export function ActionDialog({
  action: { open, setOpen, run, submit: submitForm, pending, failure },
  trigger,
  title,
  description,
  fields = {},
  submit,
  pendingLabel,
  submitVariant,
  children,
  keepValues = false,
}: {
  action: DialogAction;
  trigger: React.ReactNode;
  title: React.ReactNode;
  description: React.ReactNode;
  fields?: React.ComponentProps<typeof HiddenFields>["values"];
  submit: React.ReactNode;
  pendingLabel?: React.ReactNode;
  submitVariant?: ButtonProps["variant"];
  children?: React.ReactNode;
  /** Keep what was typed when the server refuses (a form `action` is reset by React after every call). */
  keepValues?: boolean;
}) {
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>{trigger}</DialogTrigger>
      <DialogContent>
        <DialogTitle>{title}</DialogTitle>
        <DialogDescription>{description}</DialogDescription>
        <form
          {...(keepValues && submitForm ? { onSubmit: submitForm } : { action: run })}
          className="mt-4 flex flex-col gap-3"
        >
          <HiddenFields values={fields} />
          {children}
          <ActionMessage failure={failure} />
          <SubmitButton pending={pending} pendingLabel={pendingLabel} variant={submitVariant}>
            {submit}
          </SubmitButton>
        </form>
      </DialogContent>
    </Dialog>
  );
}
