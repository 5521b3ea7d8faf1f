"use client";
import Link from "next/link";
import { ActionMessage } from "@/components/action/action-message";
import { HiddenFields } from "@/components/action/hidden-fields";
import { SubmitButton } from "@/components/action/submit-button";
import { useServerAction } from "@/components/action/use-server-action";
import { Field, FormMessage } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { completePasswordResetAction } from "./actions";

/** Choosing the new password; then the member signs in on the login page (with their second factor, if any). */
export function PasswordResetForm({ token, minLength }: { token: string; minLength: number }) {
  const reset = useServerAction(completePasswordResetAction);
  if (reset.result?.ok) {
    return (
      <div className="flex flex-col gap-3">
        <FormMessage ok message="Your password is changed, and every session of your account has ended." />
        <Link href="/login" className="text-sm underline">
          Sign in with your new password
        </Link>
      </div>
    );
  }
  return (
    <form action={reset.run} className="flex flex-col gap-4">
      <HiddenFields values={{ token }} />
      <Field
        id="reset-password"
        label="New password"
        hint={`At least ${minLength} characters.`}
        errors={reset.fieldErrors?.password}
      >
        {(props) => <Input name="password" type="password" autoComplete="new-password" required {...props} />}
      </Field>
      <Field id="reset-confirm-password" label="Repeat the password" errors={reset.fieldErrors?.confirmPassword}>
        {(props) => <Input name="confirmPassword" type="password" autoComplete="new-password" required {...props} />}
      </Field>
      <ActionMessage failure={reset.failure} />
      <SubmitButton pending={reset.pending} pendingLabel="Saving your password…">
        Set my new password
      </SubmitButton>
    </form>
  );
}
