"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { ActionButton } from "@/components/action/action-button";
import { ActionMessage } from "@/components/action/action-message";
import { useServerAction } from "@/components/action/use-server-action";
import { RecoveryCodes, TotpSetupForm, type EnrolmentSetup } from "@/components/two-factor/enrolment";
import { beginTwoFactorAction, confirmTwoFactorAction } from "./actions";

/** Setting TOTP up from "My account": start, scan, confirm with a code, keep the recovery codes. */
export function TwoFactorSetup() {
  const router = useRouter();
  const [setup, setSetup] = useState<EnrolmentSetup>();
  const [recoveryCodes, setRecoveryCodes] = useState<string[]>();
  const begin = useServerAction(beginTwoFactorAction, { onSuccess: setSetup });
  const confirm = useServerAction(confirmTwoFactorAction, {
    onSuccess: (data) => setRecoveryCodes(data.recoveryCodes),
  });

  if (recoveryCodes) {
    return <RecoveryCodes codes={recoveryCodes} doneLabel="I have saved them" onDone={() => router.refresh()} />;
  }
  if (setup) {
    return (
      <TotpSetupForm
        setup={setup}
        onSubmit={confirm.run}
        pending={confirm.pending}
        error={confirm.fieldErrors?.code?.[0] ?? confirm.failure?.message}
      />
    );
  }
  return (
    <div className="flex flex-col gap-2">
      <ActionButton action={begin.run} fields={{}} pending={begin.pending} className="self-start">
        Set up two-factor
      </ActionButton>
      <ActionMessage failure={begin.failure} />
    </div>
  );
}
