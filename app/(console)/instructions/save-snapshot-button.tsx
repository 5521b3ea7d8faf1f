"use client";
import Link from "next/link";
import { useActionState } from "react";
import type { ActionResult } from "@/lib/actions";
import type { PreviewInputs } from "@/lib/instructions/schemas";
import { Button } from "@/components/ui/button";
import { saveSnapshotAction } from "./actions";

/** "Save to traveler's timeline": the server asks Hubby again with these inputs and stores the sanitized reply. */
export function SaveSnapshotButton({ inputs, size = "default" }: { inputs: PreviewInputs; size?: "default" | "sm" }) {
  const [result, save, saving] = useActionState<ActionResult<{ id: string; href: string }> | null, FormData>(
    saveSnapshotAction,
    null,
  );
  return (
    <form action={save} className="flex flex-wrap items-center gap-2">
      {Object.entries(inputs).map(([name, value]) =>
        value === undefined || value === null ? null : (
          <input key={name} type="hidden" name={name} value={String(value)} />
        ),
      )}
      <Button type="submit" variant="outline" size={size} disabled={saving}>
        {saving ? "Saving…" : "Save to traveler's timeline"}
      </Button>
      {result?.ok && (
        <span role="status" className="text-xs">
          Saved.{" "}
          <Link className="underline" href={result.data.href} data-testid="snapshot-link">
            Open snapshot
          </Link>
        </span>
      )}
      {result?.ok === false && (
        <span role="alert" className="text-xs text-destructive">
          {result.message}
        </span>
      )}
    </form>
  );
}
