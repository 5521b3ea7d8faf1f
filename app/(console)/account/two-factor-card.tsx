"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { ActionButton } from "@/components/action/action-button";
import { ActionDialog } from "@/components/action/action-dialog";
import { ActionMessage } from "@/components/action/action-message";
import { SubmitButton } from "@/components/action/submit-button";
import { useDialogAction, useServerAction } from "@/components/action/use-server-action";
import { RecoveryCodes, TotpSetupForm, type EnrolmentSetup } from "@/components/two-factor/enrolment";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import {
  beginTwoFactorAction,
  confirmTwoFactorAction,
  disableTwoFactorAction,
  regenerateRecoveryCodesAction,
} from "./actions";

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

/**
 * With TOTP on: ten new recovery codes (shown once, the old ones stop working) and, where the role does not
 * require it, turning two-factor off. Both ask for proof again, under the sign-in throttle.
 */
export function TwoFactorManage({ required }: { required: boolean }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [recoveryCodes, setRecoveryCodes] = useState<string[]>();
  const regenerate = useServerAction(regenerateRecoveryCodesAction, {
    onSuccess: (data) => setRecoveryCodes(data.recoveryCodes),
  });
  const disable = useDialogAction(disableTwoFactorAction, {
    refresh: true,
    success: () => "Two-factor sign-in is off.",
  });
  return (
    <div className="flex flex-wrap items-center gap-2">
      <Dialog
        open={open}
        onOpenChange={(next) => {
          setOpen(next);
          if (!next && recoveryCodes) {
            setRecoveryCodes(undefined);
            router.refresh();
          }
        }}
      >
        <DialogTrigger asChild>
          <Button variant="outline" size="sm">
            New recovery codes
          </Button>
        </DialogTrigger>
        <DialogContent>
          <DialogTitle>New recovery codes</DialogTitle>
          <DialogDescription>
            You get ten new codes, shown once; every earlier recovery code stops working.
          </DialogDescription>
          {recoveryCodes ? (
            <div className="mt-4">
              <RecoveryCodes
                codes={recoveryCodes}
                message="New recovery codes made: the old ones no longer work."
                doneLabel="I have saved them"
                onDone={() => (setOpen(false), setRecoveryCodes(undefined), router.refresh())}
              />
            </div>
          ) : (
            <form action={regenerate.run} className="mt-4 flex flex-col gap-3">
              <Field
                id="recovery-proof"
                label="Code from your authenticator app, or your password"
                errors={regenerate.fieldErrors?.proof}
              >
                {(props) => <Input name="proof" type="password" autoComplete="one-time-code" required {...props} />}
              </Field>
              {/* A wrong code or password is said under the field; other refusals (throttled) here. */}
              <ActionMessage failure={regenerate.fieldErrors?.proof ? null : regenerate.failure} />
              <SubmitButton pending={regenerate.pending} pendingLabel="Making codes…">
                Make new codes
              </SubmitButton>
            </form>
          )}
        </DialogContent>
      </Dialog>
      {required ? (
        <p className="text-xs text-muted-foreground">Your role requires two-factor: it cannot be turned off.</p>
      ) : (
        <ActionDialog
          action={{ ...disable, failure: disable.fieldErrors?.code ? null : disable.failure }}
          trigger={
            <Button variant="outline" size="sm">
              Turn off two-factor
            </Button>
          }
          title="Turn off two-factor sign-in?"
          description="Your password alone will sign you in; your authenticator entry and recovery codes stop working."
          submit="Turn off two-factor"
          submitVariant="destructive"
        >
          <Field id="disable-code" label="Code from your authenticator app" errors={disable.fieldErrors?.code}>
            {(props) => <Input name="code" inputMode="numeric" autoComplete="one-time-code" required {...props} />}
          </Field>
        </ActionDialog>
      )}
    </div>
  );
}
