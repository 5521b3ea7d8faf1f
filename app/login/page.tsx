import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { z } from "zod";
import { sameOriginCallbackPath } from "@/lib/auth/callback-url";
import { getCurrentStaff } from "@/lib/auth/staff";
import { OIDC_PROVIDER_ID } from "@/lib/auth/sso";
import { getEnv, hubbyEnvironment, oidcSettings } from "@/lib/env";
import { homeFor } from "@/lib/navigation";
import { parseSearchParams, type RawSearchParams } from "@/lib/url-params";
import { EnvironmentBadge } from "@/components/shell/environment-badge";
import { LoginForm } from "./login-form";
import { SsoButton } from "./sso-button";

export const metadata: Metadata = { title: "Sign in" };

const loginQuerySchema = z.object({
  reason: z.enum(["signed-out"]).optional().catch(undefined),
  /** Where proxy.ts found the signed-out browser; only ever used as a path on this console. */
  callbackUrl: z.string().optional().catch(undefined),
  /** next-auth's error code when single sign-on did not complete (pages.error is this page). */
  error: z.string().max(100).optional().catch(undefined),
  /** With SSO_ONLY: the password form, for the break-glass admin. */
  method: z.enum(["password"]).optional().catch(undefined),
});

const SSO_FAILED =
  "Single sign-on did not complete: the identity provider's answer was missing or could not be checked. Try " +
  "again; if it keeps failing, ask an admin.";

const reasons: Record<NonNullable<z.output<typeof loginQuerySchema>["reason"]>, string> = {
  "signed-out": "Please sign in to continue. If you were signed in, your session has ended.",
};

export default async function LoginPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  const staff = await getCurrentStaff();
  if (staff) redirect(homeFor(staff.role));
  const { values: query } = parseSearchParams(loginQuerySchema, await searchParams);
  const reason = query.reason ? reasons[query.reason] : undefined;
  const callbackUrl = sameOriginCallbackPath(query.callbackUrl, getEnv().NEXTAUTH_URL);
  const sso = oidcSettings();
  const passwordForm = !sso?.ssoOnly || query.method === "password";
  const passwordLink = `/login?method=password${callbackUrl === "/" ? "" : `&callbackUrl=${encodeURIComponent(callbackUrl)}`}`;
  return (
    <main className="flex min-h-screen items-center justify-center p-4">
      <div className="w-full max-w-sm rounded-lg border border-border bg-card p-6 shadow-sm">
        <div className="mb-6 flex items-center justify-between">
          <h1 className="text-lg font-semibold">Hubby partner console</h1>
          <EnvironmentBadge environment={hubbyEnvironment()} />
        </div>
        {reason && <p className="mb-4 rounded-md bg-muted p-3 text-sm">{reason}</p>}
        {sso && query.error && (
          <p role="alert" className="mb-4 rounded-md bg-muted p-3 text-sm text-destructive">
            {SSO_FAILED}
          </p>
        )}
        {sso && (
          <div className="mb-4 flex flex-col gap-4">
            <SsoButton providerId={OIDC_PROVIDER_ID} label={sso.buttonLabel} callbackUrl={callbackUrl} />
            {passwordForm && <p className="text-center text-xs text-muted-foreground">or with email and password</p>}
          </div>
        )}
        {sso?.ssoOnly && passwordForm && (
          <p className="mb-4 rounded-md bg-muted p-3 text-sm">
            Password sign-in is off: only the break-glass administrator can sign in here.
          </p>
        )}
        {passwordForm ? (
          <LoginForm callbackUrl={callbackUrl} />
        ) : (
          <a href={passwordLink} className="block text-center text-xs text-muted-foreground underline">
            Break-glass administrator sign-in
          </a>
        )}
      </div>
    </main>
  );
}
