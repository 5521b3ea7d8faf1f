"use client";
import Link from "next/link";
import type { PreviewInputs } from "@/lib/instructions/schemas";
import { ActionMessage } from "@/components/action/action-message";
import { HiddenFields } from "@/components/action/hidden-fields";
import { SubmitButton } from "@/components/action/submit-button";
import { useServerAction } from "@/components/action/use-server-action";
import { saveSnapshotAction } from "./actions";

/** "Save to traveler's timeline": the server asks Hubby again with these inputs and stores the sanitized reply. */
export function SaveSnapshotButton({ inputs, size = "default" }: { inputs: PreviewInputs; size?: "default" | "sm" }) {
  const { result, run, pending, failure } = useServerAction(saveSnapshotAction);
  return (
    <form action={run} className="flex flex-wrap items-center gap-2">
      <HiddenFields values={inputs} />
      <SubmitButton variant="outline" size={size} pending={pending} pendingLabel="Saving…">
        Save to traveler&apos;s timeline
      </SubmitButton>
      {result?.ok && (
        <span role="status" className="text-xs">
          Saved.{" "}
          <Link className="underline" href={result.data.href} data-testid="snapshot-link">
            Open snapshot
          </Link>
        </span>
      )}
      <ActionMessage failure={failure} className="text-xs" />
    </form>
  );
}
