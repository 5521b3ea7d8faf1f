"use client";
import * as React from "react";
import dynamic from "next/dynamic";
import { Slot } from "@radix-ui/react-slot";
import type { ButtonProps } from "@/components/ui/button";
import type { HiddenFields } from "./hidden-fields";
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

export type ActionDialogProps = {
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
};

// The dialog itself (its primitives: focus trap, scroll lock, portal) loads on the first click of its trigger, not
// with the page (decision 0055); ./action-dialog-content.tsx.
const ActionDialogContent = dynamic(() => import("./action-dialog-content"), { ssr: false });

/**
 * A dialog whose form calls one action: the trigger, the title and what will happen, the form's own fields, the
 * refusal, the submit button.
 */
export function ActionDialog(props: ActionDialogProps) {
  const { open, setOpen } = props.action;
  const triggerRef = React.useRef<HTMLElement>(null);
  // Mounted from the first opening on, so closing animates and focus returns to the trigger as before.
  const [used, setUsed] = React.useState(open);
  if (open && !used) setUsed(true);
  return (
    <>
      <Slot
        ref={triggerRef}
        aria-haspopup="dialog"
        aria-expanded={open}
        data-state={open ? "open" : "closed"}
        onClick={() => setOpen(true)}
      >
        {props.trigger}
      </Slot>
      {used && <ActionDialogContent {...props} returnFocusTo={triggerRef} />}
    </>
  );
}
