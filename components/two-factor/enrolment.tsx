"use client";
import { CopyButton } from "@/components/action/copy-button";
import { SubmitButton } from "@/components/action/submit-button";
import { Button } from "@/components/ui/button";
import { Field, FormMessage } from "@/components/ui/field";
import { Input } from "@/components/ui/input";

export type EnrolmentSetup = { secret: string; uri: string; qrSvg: string };

/**
 * Setting TOTP up: the QR code for the authenticator app, the secret for typing in by hand, and the first code,
 * which proves the app holds the secret. Used on "My account" and in a sign-in that requires two-factor.
 */
export function TotpSetupForm({
  setup,
  onSubmit,
  pending,
  error,
}: {
  setup: EnrolmentSetup;
  onSubmit: (form: FormData) => void;
  pending: boolean;
  error?: string;
}) {
  return (
    <form action={onSubmit} className="flex flex-col gap-3">
      <p className="text-sm">
        Scan this QR code with an authenticator app (1Password, Google Authenticator, Microsoft Authenticator, Authy…),
        then enter the 6-digit code it shows.
      </p>
      <div
        className="h-44 w-44 self-start rounded-md border border-border bg-white p-1 [&>svg]:h-full [&>svg]:w-full"
        role="img"
        aria-label="QR code for your authenticator app"
        // The SVG is generated on the server by the qrcode library from the otpauth:// URI, not from user HTML.
        dangerouslySetInnerHTML={{ __html: setup.qrSvg }}
      />
      <div className="flex flex-col gap-1 text-sm">
        <span className="text-muted-foreground">Or enter this key by hand:</span>
        <span className="flex items-center gap-1">
          <code data-testid="totp-secret" className="rounded bg-muted px-2 py-1 font-mono text-xs break-all">
            {setup.secret}
          </code>
          <CopyButton what="key" value={setup.secret} compact />
        </span>
      </div>
      <Field id="totp-setup-code" label="Code from the app" errors={error ? [error] : undefined}>
        {(props) => (
          <Input
            name="code"
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="[0-9 ]*"
            maxLength={8}
            required
            className="max-w-40"
            {...props}
          />
        )}
      </Field>
      <SubmitButton pending={pending} pendingLabel="Checking…" className="self-start">
        Turn on two-factor
      </SubmitButton>
    </form>
  );
}

/** The ten recovery codes, shown once, with a way to copy them and a button to go on. */
export function RecoveryCodes({
  codes,
  onDone,
  doneLabel,
  message = "Two-factor sign-in is on.",
}: {
  codes: string[];
  onDone: () => void;
  doneLabel: string;
  message?: string;
}) {
  return (
    <div className="flex flex-col gap-3">
      <FormMessage ok message={message} />
      <p className="text-sm">
        Keep these recovery codes somewhere safe, away from your phone. Each one signs you in once if you lose your
        authenticator app. They are shown only now.
      </p>
      <ul
        aria-label="Recovery codes"
        className="grid grid-cols-2 gap-x-6 gap-y-1 self-start rounded-md bg-muted p-3 font-mono text-sm"
      >
        {codes.map((code) => (
          <li key={code}>{code}</li>
        ))}
      </ul>
      <div className="flex gap-2">
        <CopyButton what="recovery codes" value={codes.join("\n")} label="Copy the codes" />
        <Button type="button" onClick={onDone}>
          {doneLabel}
        </Button>
      </div>
    </div>
  );
}
