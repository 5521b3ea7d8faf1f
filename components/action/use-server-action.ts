"use client";
import { useRouter } from "next/navigation";
import { startTransition, useActionState, useState, type FormEvent } from "react";
import { toast } from "sonner";
import type { ActionResult } from "@/lib/actions";

/** A server action as forms call it: every action in app/(console)/** has this signature. */
export type FormAction<T> = (previous: unknown, form: FormData) => Promise<ActionResult<T>>;

export type ActionFailure = Extract<ActionResult<unknown>, { ok: false }>;

export type ServerActionOptions<T> = {
  /** Adds what only the browser knows (the page's origin, say) to the form before it is sent. */
  prepare?: (form: FormData) => void;
  /** Runs after a success, before the screen re-renders (close a dialog, toast, copy). */
  onSuccess?: (data: T) => unknown;
  /** Re-renders the page from the server after a success (the action changed what the page shows). */
  refresh?: boolean;
  /** Shows the refusal as a toast, for controls too small to show it beside themselves. */
  toastFailure?: boolean;
  /** Runs after either outcome (leave a confirmation step, say). */
  onSettled?: () => void;
};

/**
 * One call of a server action with its effects, in the order the screen relies on: the form is completed, the
 * action runs, then on success `onSuccess` (awaited) before the page re-renders; `onSettled` comes last either way.
 */
export async function callServerAction<T>(
  action: FormAction<T>,
  previous: unknown,
  form: FormData,
  options: ServerActionOptions<T>,
  refresh: () => void,
): Promise<ActionResult<T>> {
  options.prepare?.(form);
  const result = await action(previous, form);
  if (result.ok) {
    await options.onSuccess?.(result.data);
    if (options.refresh) refresh();
  } else if (options.toastFailure) {
    toast.error(result.message);
  }
  options.onSettled?.();
  return result;
}

/**
 * Calls a server action from a form (`<form action={run}>`): the last result, whether it is running, and the
 * refusal with its field errors when there is one. Success effects run once per result, inside the transition.
 */
export function useServerAction<T>(action: FormAction<T>, options: ServerActionOptions<T> = {}) {
  const router = useRouter();
  const [result, run, pending] = useActionState<ActionResult<T> | null, FormData>(
    (previous, form) => callServerAction(action, previous, form, options, () => router.refresh()),
    null,
  );
  const failure: ActionFailure | null = result && !result.ok ? result : null;
  /**
   * For `<form onSubmit={submit}>`: sends the form without React's reset of a form `action` (which empties every
   * field and puts selects back to their default even when the server refuses), so a refusal keeps what was typed
   * beside its field errors.
   */
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    startTransition(() => run(form));
  };
  return { result, run, submit, pending, failure, fieldErrors: failure?.fieldErrors };
}

/**
 * An action behind a dialog: the dialog's open state, and on success a toast (`info` for outcomes that are not
 * plainly good news, such as "3 sent, 1 failed") and the dialog closed. A refusal keeps the dialog open.
 */
export function useDialogAction<T>(
  action: FormAction<T>,
  options: Omit<ServerActionOptions<T>, "onSuccess"> & { success: (data: T) => string; info?: boolean },
) {
  const [open, setOpen] = useState(false);
  const call = useServerAction(action, {
    ...options,
    onSuccess: (data) => {
      (options.info ? toast.info : toast.success)(options.success(data));
      setOpen(false);
    },
  });
  return { ...call, open, setOpen };
}
