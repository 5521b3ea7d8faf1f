"use client";
import { useState } from "react";
import { signIn } from "next-auth/react";
import { ActionButton } from "@/components/action/action-button";
import { ActionMessage } from "@/components/action/action-message";
import { useServerAction } from "@/components/action/use-server-action";
import { RecoveryCodes, TotpSetupForm, type EnrolmentSetup } from "@/components/two-factor/enrolment";
import { Button } from "@/components/ui/button";
import { Field, FormMessage } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { beginSignInEnrolmentAction, confirmSignInEnrolmentAction } from "./two-factor-actions";

/** The password step's answer when a second factor is needed: next-auth passes the thrown message through. */
export type SecondFactorChallenge = { kind: "verify" | "enrol"; challenge: string };

export function secondFactorChallenge(error: string | null | undefined): SecondFactorChallenge | null {
  const match = /^(TwoFactor|TwoFactorEnrol):([A-Za-z0-9_-]{20,200})$/.exec(error ?? "");
  if (!match) return null;
  return { kind: match[1] === "TwoFactor" ? "verify" : "enrol", challenge: match[2]! };
}

const messages: Record<string, string> = {
  CredentialsSignin: "That code is not right. Enter the code your authenticator app shows now, or a recovery code.",
  TooManyAttempts: "Too many failed sign-in attempts. Wait 15 minutes and try again, or ask an admin.",
  TwoFactorExpired: "This sign-in has expired. Sign in again.",
};

/** Completes the sign-in with the challenge (and a code), then loads the console. */
async function finishSignIn(challenge: string, code: string | undefined, callbackUrl: string): Promise<string | null> {
  try {
    const result = await signIn("two-factor", { challenge, ...(code ? { code } : {}), redirect: false });
    if (!result || result.error) return messages[result?.error ?? ""] ?? messages.CredentialsSignin!;
    window.location.assign(callbackUrl);
    return null;
  } catch {
    return "The console could not be reached. Check your connection and try again.";
  }
}

/** The code step, or the enrolment a role that requires two-factor goes through first. */
export function TwoFactorStep({
  step,
  callbackUrl,
  onRestart,
}: {
  step: SecondFactorChallenge;
  callbackUrl: string;
  onRestart: () => void;
}) {
  return (
    <div className="flex flex-col gap-4">
      {step.kind === "verify" ? (
        <CodeStep challenge={step.challenge} callbackUrl={callbackUrl} />
      ) : (
        <EnrolStep challenge={step.challenge} callbackUrl={callbackUrl} />
      )}
      <Button type="button" variant="ghost" size="sm" className="self-start" onClick={onRestart}>
        Start again
      </Button>
    </div>
  );
}

function CodeStep({ challenge, callbackUrl }: { challenge: string; callbackUrl: string }) {
  const [error, setError] = useState<string>();
  const [pending, setPending] = useState(false);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const code = String(new FormData(event.currentTarget).get("code") ?? "").trim();
    if (!code) return setError("Enter the code from your authenticator app, or a recovery code.");
    setPending(true);
    setError(undefined);
    const failure = await finishSignIn(challenge, code, callbackUrl);
    if (failure) {
      setError(failure);
      setPending(false);
    }
  }

  return (
    <form method="post" onSubmit={onSubmit} className="flex flex-col gap-4" noValidate>
      <Field
        id="two-factor-code"
        label="Authentication code"
        hint="The 6-digit code from your authenticator app, or one of your recovery codes."
      >
        {(props) => <Input name="code" autoComplete="one-time-code" maxLength={32} autoFocus required {...props} />}
      </Field>
      <FormMessage message={error} />
      <Button type="submit" disabled={pending}>
        {pending ? "Checking…" : "Verify"}
      </Button>
    </form>
  );
}

function EnrolStep({ challenge, callbackUrl }: { challenge: string; callbackUrl: string }) {
  const [setup, setSetup] = useState<EnrolmentSetup>();
  const [recoveryCodes, setRecoveryCodes] = useState<string[]>();
  const [error, setError] = useState<string>();
  const begin = useServerAction(beginSignInEnrolmentAction, { onSuccess: setSetup });
  const confirm = useServerAction(confirmSignInEnrolmentAction, {
    onSuccess: (data) => setRecoveryCodes(data.recoveryCodes),
    prepare: (form) => form.set("challenge", challenge),
  });

  if (recoveryCodes) {
    return (
      <div className="flex flex-col gap-2">
        <RecoveryCodes
          codes={recoveryCodes}
          doneLabel="Continue to the console"
          onDone={async () => setError((await finishSignIn(challenge, undefined, callbackUrl)) ?? undefined)}
        />
        <FormMessage message={error} />
      </div>
    );
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
    <div className="flex flex-col gap-3">
      <p className="text-sm">
        Your role requires two-factor sign-in. Set it up now with an authenticator app to continue.
      </p>
      <ActionButton action={begin.run} fields={{ challenge }} pending={begin.pending} className="self-start">
        Set up two-factor
      </ActionButton>
      <ActionMessage failure={begin.failure} />
    </div>
  );
}
