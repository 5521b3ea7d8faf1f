"use client";
import { useActionState, useState } from "react";
import { BookmarkPlus, X } from "lucide-react";
import { toast } from "sonner";
import type { ActionResult } from "@/lib/actions";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { Field, FormMessage } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { deleteViewAction, saveViewAction } from "./actions";

/** "Save view": names the current filter and stores it for the whole team. */
export function SaveViewDialog({ query, description }: { query: string; description: string }) {
  const [open, setOpen] = useState(false);
  const [state, action, pending] = useActionState<ActionResult<{ name: string }> | null, FormData>(
    async (previous, form) => {
      const result = await saveViewAction(previous, form);
      if (result.ok) {
        toast.success(`Saved the view “${result.data.name}” for the team.`);
        setOpen(false);
      }
      return result;
    },
    null,
  );
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
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
      </DialogTrigger>
      <DialogContent>
        <DialogTitle>Save view</DialogTitle>
        <DialogDescription>
          Everyone on the team sees it above the travelers list. It shows: {description}.
        </DialogDescription>
        <form action={action} className="mt-4 flex flex-col gap-3">
          <input type="hidden" name="query" value={query} />
          <Field id="view-name" label="View name" errors={errors?.name}>
            {(props) => <Input name="name" required maxLength={80} autoComplete="off" {...props} />}
          </Field>
          {state && !state.ok && <FormMessage message={state.message} />}
          <Button type="submit" disabled={pending}>
            {pending ? "Saving…" : "Save for the team"}
          </Button>
        </form>
      </DialogContent>
    </Dialog>
  );
}

/** Deletes a team view after a confirmation step (other staff may rely on it). */
export function DeleteViewButton({ id, name }: { id: string; name: string }) {
  const [confirming, setConfirming] = useState(false);
  const [, action, pending] = useActionState<ActionResult<{ name: string }> | null, FormData>(
    async (previous, form) => {
      const result = await deleteViewAction(previous, form);
      if (result.ok) toast.success(`Deleted the view “${result.data.name}”.`);
      else toast.error(result.message);
      setConfirming(false);
      return result;
    },
    null,
  );
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
    <form action={action} className="inline-flex items-center gap-1">
      <input type="hidden" name="id" value={id} />
      <Button type="submit" size="sm" variant="destructive" className="h-6 px-2" disabled={pending}>
        {pending ? "Deleting…" : "Delete"}
      </Button>
      <Button type="button" size="sm" variant="ghost" className="h-6 px-2" onClick={() => setConfirming(false)}>
        Cancel
      </Button>
    </form>
  );
}
