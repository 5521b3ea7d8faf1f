"use client";
import { ClipboardList } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { ActionMessage } from "@/components/action/action-message";
import { SubmitButton } from "@/components/action/submit-button";
import { useServerAction } from "@/components/action/use-server-action";
import { copySupportSummaryAction } from "./actions";

/**
 * "Copy support summary": the server builds the text (and audits it); the browser puts it on the clipboard. When
 * the clipboard refuses (no focus, no permission), the text is shown to select by hand.
 */
export function SummaryButton({ externalUserId, path }: { externalUserId: string; path: string }) {
  const [copied, setCopied] = useState<boolean | null>(null);
  const { result, run, pending, failure } = useServerAction(copySupportSummaryAction, {
    prepare: (form) => form.set("link", new URL(path, window.location.origin).toString()),
    onSuccess: async ({ text }) => {
      try {
        await navigator.clipboard.writeText(text);
        setCopied(true);
        toast.success("Support summary copied.");
      } catch {
        setCopied(false);
      }
    },
    toastFailure: true,
  });
  const summary = result?.ok && (
    <textarea
      readOnly
      aria-label="Support summary"
      className="mt-1 h-64 w-full rounded border bg-muted/40 p-2 font-mono text-xs"
      value={result.data.text}
    />
  );
  return (
    <form action={run} className="flex flex-col items-end gap-1">
      <input type="hidden" name="externalUserId" value={externalUserId} />
      <SubmitButton size="sm" variant="outline" pending={pending}>
        <ClipboardList className="h-3.5 w-3.5" aria-hidden />
        {pending ? "Preparing summary…" : "Copy support summary"}
      </SubmitButton>
      {summary && copied === true && (
        <details className="w-full max-w-xl text-xs" data-testid="support-summary">
          <summary role="status" className="cursor-pointer text-muted-foreground">
            Copied to the clipboard. Show the summary
          </summary>
          {summary}
        </details>
      )}
      {summary && copied === false && (
        <div className="w-full max-w-xl text-xs" data-testid="support-summary">
          <p role="status">The clipboard refused; select the summary and copy it by hand.</p>
          {summary}
        </div>
      )}
      <ActionMessage failure={failure} className="text-xs" />
    </form>
  );
}
