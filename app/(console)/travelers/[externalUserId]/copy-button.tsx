"use client";
import { Check, Copy } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";

/**
 * Copies `value` to the clipboard; with `path`, the absolute URL of that path on this console (the origin is only
 * known in the browser). Confirms inline and with a toast.
 */
export function CopyButton({
  label,
  value,
  path,
  what,
}: {
  label: string;
  value?: string;
  path?: string;
  /** What was copied, for the confirmation: "id", "link". */
  what: string;
}) {
  const [copied, setCopied] = useState(false);
  async function copy() {
    const text = path ? new URL(path, window.location.origin).toString() : (value ?? "");
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
      toast.success(`Copied the ${what}.`);
      setTimeout(() => setCopied(false), 2_000);
    } catch {
      toast.error(`Could not copy the ${what}: ${text}`);
    }
  }
  return (
    <Button type="button" size="sm" variant="ghost" onClick={copy} aria-label={label} title={label}>
      {copied ? <Check className="h-3.5 w-3.5" aria-hidden /> : <Copy className="h-3.5 w-3.5" aria-hidden />}
      <span className="sr-only sm:not-sr-only">{copied ? "Copied" : label}</span>
    </Button>
  );
}
