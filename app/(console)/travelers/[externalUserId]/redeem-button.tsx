"use client";
import { useActionState, useState } from "react";
import { toast } from "sonner";
import type { ActionResult } from "@/lib/actions";
import { Button } from "@/components/ui/button";
import { redeemPackageAction } from "./actions";

/** Redeem with a confirmation step: it moves the package onto the traveler's eSIM and cannot be undone. */
export function RedeemButton({
  externalUserId,
  packageQueueId,
  label,
}: {
  externalUserId: string;
  packageQueueId: string;
  label: string;
}) {
  const [confirming, setConfirming] = useState(false);
  const [state, action, pending] = useActionState<ActionResult<{ message: string }> | null, FormData>(
    async (previous, form) => {
      const result = await redeemPackageAction(previous, form);
      if (result.ok) {
        toast.success(result.data.message);
        setConfirming(false);
      }
      return result;
    },
    null,
  );
  if (!confirming) {
    return (
      <Button type="button" size="sm" variant="outline" onClick={() => setConfirming(true)}>
        Redeem
      </Button>
    );
  }
  return (
    <form action={action} className="flex flex-wrap items-center gap-2">
      <input type="hidden" name="externalUserId" value={externalUserId} />
      <input type="hidden" name="packageQueueId" value={packageQueueId} />
      <span className="text-sm">Redeem {label} onto the eSIM now?</span>
      <Button type="submit" size="sm" disabled={pending}>
        {pending ? "Redeeming…" : "Confirm redeem"}
      </Button>
      <Button type="button" size="sm" variant="ghost" onClick={() => setConfirming(false)}>
        Cancel
      </Button>
      {state?.ok === false && (
        <p role="alert" className="w-full text-sm text-red-700 dark:text-red-300">
          {state.message}
        </p>
      )}
    </form>
  );
}
