"use client";
import type * as React from "react";
import { Dialog, DialogContent, DialogDescription, DialogTitle } from "@/components/ui/dialog";
import type { ActionDialogProps } from "./action-dialog";
import { ActionMessage } from "./action-message";
import { HiddenFields } from "./hidden-fields";
import { SubmitButton } from "./submit-button";

/** ActionDialog's dialog, loaded on its trigger's first click (./action-dialog.tsx). */
export default function ActionDialogContent({
  action: { open, setOpen, run, submit: submitForm, pending, failure },
  title,
  description,
  fields = {},
  submit,
  pendingLabel,
  submitVariant,
  children,
  keepValues = false,
  returnFocusTo,
}: ActionDialogProps & { returnFocusTo: React.RefObject<HTMLElement | null> }) {
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogContent
        onCloseAutoFocus={(event) => {
          // The trigger lives outside this Dialog (it renders before the dialog's code loads): focus goes back to it.
          event.preventDefault();
          returnFocusTo.current?.focus();
        }}
      >
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
