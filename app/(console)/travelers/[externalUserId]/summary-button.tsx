"use client";
import { ClipboardList } from "lucide-react";
import { useActionState, useState } from "react";
import { toast } from "sonner";
import type { ActionResult } from "@/lib/actions";
import { Button } from "@/components/ui/button";
import { copySupportSummaryAction } from "./actions";

/**
 * "Copy support summary": the server builds the text (and audits it); the browser puts it on the clipboard. When
 * the clipboard refuses (no focus, no permission), the text is shown to select by hand.
 */
export function SummaryButton({ externalUserId, path }: { externalUserId: string; path: string }) {
  const [copied, setCopied] = useState<boolean | null>(null);
  const [state, action, pending] = useActionState<ActionResult<{ text: string }> | null, FormData>(
    async (previous, form) => {
      form.set("link", new URL(path, window.location.origin).toString());
      const result = await copySupportSummaryAction(previous, form);
      if (result.ok) {
        try {
          await navigator.clipboard.writeText(result.data.text);
          setCopied(true);
          toast.success("Support summary copied.");
        } catch {
          setCopied(false);
        }
      } else {
        toast.error(result.message);
      }
      return result;
    },
    null,
  );
  return (
    <form action={action} className="flex flex-col items-end gap-1">
      <input type="hidden" name="externalUserId" value={externalUserId} />
      <Button type="submit" size="sm" variant="outline" disabled={pending}>
        <ClipboardList className="h-3.5 w-3.5" aria-hidden />
        {pending ? "Preparing summary…" : "Copy support summary"}
      </Button>
      {state?.ok && copied === true && (
        <details className="w-full max-w-xl text-xs" data-testid="support-summary">
          <summary role="status" className="cursor-pointer text-muted-foreground">
            Copied to the clipboard. Show the summary
          </summary>
          <textarea
            readOnly
            aria-label="Support summary"
            className="mt-1 h-64 w-full rounded border bg-muted/40 p-2 font-mono text-xs"
            value={state.data.text}
          />
        </details>
      )}
      {state?.ok && copied === false && (
        <div className="w-full max-w-xl text-xs" data-testid="support-summary">
          <p role="status">The clipboard refused; select the summary and copy it by hand.</p>
          <textarea
            readOnly
            aria-label="Support summary"
            className="mt-1 h-64 w-full rounded border bg-muted/40 p-2 font-mono text-xs"
            value={state.data.text}
          />
        </div>
      )}
      {state?.ok === false && (
        <p role="alert" className="text-xs text-red-700 dark:text-red-300">
          {state.message}
        </p>
      )}
    </form>
  );
}
