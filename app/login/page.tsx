import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { z } from "zod";
import { sameOriginCallbackPath } from "@/lib/auth/callback-url";
import { getCurrentStaff } from "@/lib/auth/staff";
import { getEnv, hubbyEnvironment } from "@/lib/env";
import { homeFor } from "@/lib/navigation";
import { parseSearchParams, type RawSearchParams } from "@/lib/url-params";
import { EnvironmentBadge } from "@/components/shell/environment-badge";
import { LoginForm } from "./login-form";

export const metadata: Metadata = { title: "Sign in" };

const loginQuerySchema = z.object({
  reason: z.enum(["signed-out"]).optional().catch(undefined),
  /** Where proxy.ts found the signed-out browser; only ever used as a path on this console. */
  callbackUrl: z.string().optional().catch(undefined),
});

const reasons: Record<NonNullable<z.output<typeof loginQuerySchema>["reason"]>, string> = {
  "signed-out": "Please sign in to continue. If you were signed in, your session has ended.",
};

export default async function LoginPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  const staff = await getCurrentStaff();
  if (staff) redirect(homeFor(staff.role));
  const { values: query } = parseSearchParams(loginQuerySchema, await searchParams);
  const reason = query.reason ? reasons[query.reason] : undefined;
  const callbackUrl = sameOriginCallbackPath(query.callbackUrl, getEnv().NEXTAUTH_URL);
  return (
    <main className="flex min-h-screen items-center justify-center p-4">
      <div className="w-full max-w-sm rounded-lg border border-border bg-card p-6 shadow-sm">
        <div className="mb-6 flex items-center justify-between">
          <h1 className="text-lg font-semibold">Hubby partner console</h1>
          <EnvironmentBadge environment={hubbyEnvironment()} />
        </div>
        {reason && <p className="mb-4 rounded-md bg-muted p-3 text-sm">{reason}</p>}
        <LoginForm callbackUrl={callbackUrl} />
      </div>
    </main>
  );
}
