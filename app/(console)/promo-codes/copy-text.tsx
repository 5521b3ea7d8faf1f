"use client";
import { Check, Copy } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";

/**
 * A small copy button for a table cell. The value is only copied: the console never opens or fetches a code's
 * links (they are the traveler's vouchers).
 */
export function CopyText({ value, what }: { value: string; what: string }) {
  const [copied, setCopied] = useState(false);
  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
      toast.success(`Copied the ${what}.`);
      setTimeout(() => setCopied(false), 2_000);
    } catch {
      toast.error(`Could not copy the ${what}: ${value}`);
    }
  }
  return (
    <button
      type="button"
      onClick={copy}
      aria-label={`Copy the ${what}`}
      title={`Copy the ${what}`}
      className="inline-flex h-6 w-6 shrink-0 items-center justify-center rounded hover:bg-muted"
    >
      {copied ? <Check className="h-3.5 w-3.5" aria-hidden /> : <Copy className="h-3.5 w-3.5" aria-hidden />}
    </button>
  );
}
