"use client";
import { useState } from "react";
import { signIn } from "next-auth/react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { secondFactorChallenge, TwoFactorStep, type SecondFactorChallenge } from "./two-factor-step";

const GENERIC_ERROR = "Wrong email or password.";
const THROTTLED_ERROR = "Too many failed sign-in attempts. Wait 15 minutes and try again, or ask an admin.";

export function LoginForm({ callbackUrl }: { callbackUrl: string }) {
  const [error, setError] = useState<string>();
  const [pending, setPending] = useState(false);
  const [secondFactor, setSecondFactor] = useState<SecondFactorChallenge | null>(null);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(undefined);
    try {
      const result = await signIn("credentials", {
        email: String(form.get("email") ?? ""),
        password: String(form.get("password") ?? ""),
        redirect: false,
      });
      const challenge = secondFactorChallenge(result?.error);
      if (challenge) {
        setSecondFactor(challenge);
        setPending(false);
        return;
      }
      if (!result || result.error) {
        setError(result?.error === "TooManyAttempts" ? THROTTLED_ERROR : GENERIC_ERROR);
        setPending(false);
        return;
      }
      // A full navigation so the server renders the shell with the new session cookie.
      window.location.assign(callbackUrl);
    } catch {
      setError("The console could not be reached. Check your connection and try again.");
      setPending(false);
    }
  }

  if (secondFactor) {
    return <TwoFactorStep step={secondFactor} callbackUrl={callbackUrl} onRestart={() => setSecondFactor(null)} />;
  }

  // method="post": a submit before hydration must never put the password in the URL.
  return (
    <form method="post" onSubmit={onSubmit} className="flex flex-col gap-4" noValidate>
      <div className="flex flex-col gap-1.5">
        <Label htmlFor="email">Email</Label>
        <Input id="email" name="email" type="email" autoComplete="username" required autoFocus />
      </div>
      <div className="flex flex-col gap-1.5">
        <Label htmlFor="password">Password</Label>
        <Input id="password" name="password" type="password" autoComplete="current-password" required />
      </div>
      {error && (
        <p role="alert" className="text-sm text-destructive">
          {error}
        </p>
      )}
      <Button type="submit" disabled={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}
