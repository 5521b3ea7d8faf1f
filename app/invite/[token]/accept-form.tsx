"use client";
import { useRef, useState } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { ActionMessage } from "@/components/action/action-message";
import { HiddenFields } from "@/components/action/hidden-fields";
import { SubmitButton } from "@/components/action/submit-button";
import { useServerAction } from "@/components/action/use-server-action";
import { Field, FormMessage } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { secondFactorChallenge, TwoFactorStep, type SecondFactorChallenge } from "@/app/login/two-factor-step";
import { acceptInviteAction } from "./actions";

/**
 * Choosing a password, then signing in with it at once: where the role requires two-factor, the sign-in goes on
 * to the same enrolment step as the login page.
 */
/** `home`: the role's first screen, loaded in full so the server renders the shell with the new session cookie. */
export function AcceptInviteForm({ token, minLength, home }: { token: string; minLength: number; home: string }) {
  const router = useRouter();
  const password = useRef("");
  const [secondFactor, setSecondFactor] = useState<SecondFactorChallenge | null>(null);
  const [signInFailure, setSignInFailure] = useState<string>();
  const accept = useServerAction(acceptInviteAction, {
    prepare: (form) => {
      password.current = String(form.get("password") ?? "");
    },
    onSuccess: async ({ email }) => {
      const result = await signIn("credentials", { email, password: password.current, redirect: false });
      const challenge = secondFactorChallenge(result?.error);
      if (challenge) return setSecondFactor(challenge);
      if (!result || result.error) {
        return setSignInFailure("Your account is ready, but signing in failed. Sign in on the login page.");
      }
      window.location.assign(home);
    },
  });

  if (secondFactor) {
    return <TwoFactorStep step={secondFactor} callbackUrl={home} onRestart={() => router.push("/login")} />;
  }
  if (signInFailure) {
    return (
      <div className="flex flex-col gap-2">
        <FormMessage message={signInFailure} />
        <Link href="/login" className="text-sm underline">
          Go to the login page
        </Link>
      </div>
    );
  }
  return (
    <form action={accept.run} className="flex flex-col gap-4">
      <HiddenFields values={{ token }} />
      <Field
        id="invite-password"
        label="Password"
        hint={`At least ${minLength} characters.`}
        errors={accept.fieldErrors?.password}
      >
        {(props) => <Input name="password" type="password" autoComplete="new-password" required {...props} />}
      </Field>
      <Field id="invite-confirm-password" label="Repeat the password" errors={accept.fieldErrors?.confirmPassword}>
        {(props) => <Input name="confirmPassword" type="password" autoComplete="new-password" required {...props} />}
      </Field>
      <ActionMessage failure={accept.failure} />
      <SubmitButton pending={accept.pending} pendingLabel="Creating your account…">
        Create my account
      </SubmitButton>
    </form>
  );
}
