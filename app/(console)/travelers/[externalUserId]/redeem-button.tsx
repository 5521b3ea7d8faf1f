"use client";
import { useState } from "react";
import { toast } from "sonner";
import { ActionMessage } from "@/components/action/action-message";
import { HiddenFields } from "@/components/action/hidden-fields";
import { SubmitButton } from "@/components/action/submit-button";
import { useServerAction } from "@/components/action/use-server-action";
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
  const { run, pending, failure } = useServerAction(redeemPackageAction, {
    onSuccess: ({ message }) => {
      toast.success(message);
      setConfirming(false);
    },
  });
  if (!confirming) {
    return (
      <Button type="button" size="sm" variant="outline" onClick={() => setConfirming(true)}>
        Redeem
      </Button>
    );
  }
  return (
    <form action={run} className="flex flex-wrap items-center gap-2">
      <HiddenFields values={{ externalUserId, packageQueueId }} />
      <span className="text-sm">Redeem {label} onto the eSIM now?</span>
      <SubmitButton size="sm" pending={pending} pendingLabel="Redeeming…">
        Confirm redeem
      </SubmitButton>
      <Button type="button" size="sm" variant="ghost" onClick={() => setConfirming(false)}>
        Cancel
      </Button>
      <ActionMessage failure={failure} className="w-full" />
    </form>
  );
}
