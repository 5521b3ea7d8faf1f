import type { Metadata } from "next";
import { z } from "zod";
import { ssoRefusals, type SsoRefusal } from "@/lib/auth/sso";
import { parseSearchParams, type RawSearchParams } from "@/lib/url-params";

export const metadata: Metadata = { title: "Sign-in refused" };

// Public by design (proxy.ts lets /login/* through): the person is not signed in to the console, only at the provider.
const querySchema = z.object({ reason: z.enum(ssoRefusals).catch("no-role") });

const explanations: Record<SsoRefusal, { title: string; text: string }> = {
  "no-role": {
    title: "You have no role in this console",
    text:
      "Your identity provider signed you in, but none of your groups gives you a role here (admin, campaign " +
      "manager or support). Ask your administrator to add you to one of the console's groups, then sign in again.",
  },
  disabled: {
    title: "Your console account is disabled",
    text: "An admin has disabled your account in the console. Ask an admin to enable it again.",
  },
  "no-email": {
    title: "Your identity provider sent no verified email address",
    text:
      "The console identifies staff by email address, and the identity provider did not send a verified one. Ask " +
      "your administrator to release the email claim to the console.",
  },
  "linked-elsewhere": {
    title: "This email address belongs to another sign-in",
    text:
      "A console account with your email address is already linked to a different identity at your provider. Ask " +
      "an admin to sort out which account is yours.",
  },
};

export default async function SsoRefusedPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  const { values } = parseSearchParams(querySchema, await searchParams);
  const explanation = explanations[values.reason];
  return (
    <main className="flex min-h-screen items-center justify-center p-4">
      <div className="w-full max-w-md rounded-lg border border-border bg-card p-6 shadow-sm">
        <h1 className="mb-3 text-lg font-semibold">{explanation.title}</h1>
        <p className="mb-4 text-sm" data-testid="sso-refusal">
          {explanation.text}
        </p>
        <a href="/login" className="text-sm underline">
          Back to sign-in
        </a>
      </div>
    </main>
  );
}
