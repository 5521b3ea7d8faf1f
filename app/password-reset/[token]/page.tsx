import type { Metadata } from "next";
import { connection } from "next/server";
import { TokenLinkPage } from "@/components/token-link-page";
import { PASSWORD_MIN_LENGTH } from "@/lib/auth/password-policy";
import { utcStamp } from "@/lib/format";
import { passwordResetState, unusablePasswordResetMessage } from "@/lib/staff/password-resets";
import { PasswordResetForm } from "./reset-form";

// The token is in the path: no Referer may carry it to another site, and no search engine may keep it.
export const metadata: Metadata = {
  title: "Choose a new password",
  referrer: "no-referrer",
  robots: { index: false, follow: false },
};

/** Public by design (proxy.ts): the single-use token an admin sent is the member's credential here. */
export default async function PasswordResetPage({ params }: { params: Promise<{ token: string }> }) {
  await connection();
  const { token } = await params;
  const reset = await passwordResetState(token);
  return (
    <TokenLinkPage refusal={reset.status === "open" ? null : unusablePasswordResetMessage(reset.status)}>
      {reset.status === "open" && (
        <>
          <p className="text-sm">
            {reset.name}, choose a new password for <strong>{reset.email}</strong>. This link works once, until{" "}
            {utcStamp(reset.expiresAt)}. Your current password works until you save a new one; saving signs you out
            everywhere.
          </p>
          <PasswordResetForm token={token} minLength={PASSWORD_MIN_LENGTH} />
        </>
      )}
    </TokenLinkPage>
  );
}
