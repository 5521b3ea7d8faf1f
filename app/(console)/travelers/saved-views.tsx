"use client";
import { useState } from "react";
import { BookmarkPlus, X } from "lucide-react";
import { toast } from "sonner";
import { ActionDialog } from "@/components/action/action-dialog";
import { SubmitButton } from "@/components/action/submit-button";
import { useDialogAction, useServerAction } from "@/components/action/use-server-action";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { deleteViewAction, saveViewAction } from "./actions";

/** "Save view": names the current filter and stores it for the whole team. */
export function SaveViewDialog({ query, description }: { query: string; description: string }) {
  const dialog = useDialogAction(saveViewAction, { success: ({ name }) => `Saved the view “${name}” for the team.` });
  return (
    <ActionDialog
      action={dialog}
      trigger={
        <Button
          type="button"
          variant="outline"
          size="sm"
          disabled={!query}
          title={query ? undefined : "Search or set a filter first"}
        >
          <BookmarkPlus className="h-4 w-4" aria-hidden />
          Save view
        </Button>
      }
      title="Save view"
      description={`Everyone on the team sees it above the travelers list. It shows: ${description}.`}
      fields={{ query }}
      submit="Save for the team"
      pendingLabel="Saving…"
    >
      <Field id="view-name" label="View name" errors={dialog.fieldErrors?.name}>
        {(props) => <Input name="name" required maxLength={80} autoComplete="off" {...props} />}
      </Field>
    </ActionDialog>
  );
}

/** Deletes a team view after a confirmation step (other staff may rely on it). */
export function DeleteViewButton({ id, name }: { id: string; name: string }) {
  const [confirming, setConfirming] = useState(false);
  const { run, pending } = useServerAction(deleteViewAction, {
    onSuccess: (view) => toast.success(`Deleted the view “${view.name}”.`),
    toastFailure: true,
    onSettled: () => setConfirming(false),
  });
  if (!confirming) {
    return (
      <button
        type="button"
        className="rounded p-0.5 text-muted-foreground hover:bg-muted hover:text-foreground"
        aria-label={`Delete view ${name}`}
        onClick={() => setConfirming(true)}
      >
        <X className="h-3 w-3" aria-hidden />
      </button>
    );
  }
  return (
    <form action={run} className="inline-flex items-center gap-1">
      <input type="hidden" name="id" value={id} />
      <SubmitButton size="sm" variant="destructive" className="h-6 px-2" pending={pending} pendingLabel="Deleting…">
        Delete
      </SubmitButton>
      <Button type="button" size="sm" variant="ghost" className="h-6 px-2" onClick={() => setConfirming(false)}>
        Cancel
      </Button>
    </form>
  );
}
