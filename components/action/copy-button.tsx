"use client";
import { Check, Copy } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";

/** Puts text on the clipboard with a toast either way; `copied` stays true for two seconds after a success. */
export function useCopy(what: string) {
  const [copied, setCopied] = useState(false);
  async function copy(text: string) {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
      toast.success(`Copied the ${what}.`);
      setTimeout(() => setCopied(false), 2_000);
    } catch {
      toast.error(`Could not copy the ${what}: ${text}`);
    }
  }
  return { copied, copy };
}

/**
 * Copies `value` to the clipboard; with `path`, the absolute URL of that path on this console (the origin is only
 * known in the browser). `compact`: an icon alone, for a table cell; otherwise the label shows from small screens up.
 */
export function CopyButton({
  what,
  value,
  path,
  label = `Copy the ${what}`,
  compact = false,
}: {
  /** What is copied, for the confirmation: "id", "link". */
  what: string;
  value?: string;
  path?: string;
  label?: string;
  compact?: boolean;
}) {
  const { copied, copy } = useCopy(what);
  const icon = copied ? <Check className="h-3.5 w-3.5" aria-hidden /> : <Copy className="h-3.5 w-3.5" aria-hidden />;
  const onClick = () => copy(path ? new URL(path, window.location.origin).toString() : (value ?? ""));
  if (compact) {
    return (
      <Button
        type="button"
        variant="ghost"
        className="h-6 w-6 shrink-0 p-0"
        onClick={onClick}
        aria-label={label}
        title={label}
      >
        {icon}
      </Button>
    );
  }
  return (
    <Button type="button" size="sm" variant="ghost" onClick={onClick} aria-label={label} title={label}>
      {icon}
      <span className="sr-only sm:not-sr-only">{copied ? "Copied" : label}</span>
    </Button>
  );
}
