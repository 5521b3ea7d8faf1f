import type { Metadata } from "next";
import { activeSessions } from "@/lib/auth/sessions";
import { currentSessionId, requirePermission } from "@/lib/auth/staff";
import { may, roleLabels } from "@/lib/auth/roles";
import { getStaffProfile } from "@/lib/staff/staff";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { ChangePasswordForm } from "./change-password-form";
import { AlertEmailsSection } from "./alert-emails-section";
import { TwoFactorManage, TwoFactorSetup } from "./two-factor-card";
import { twoFactorRequiredFor, twoFactorStatus } from "@/lib/auth/two-factor";
import { utcStamp } from "@/lib/format";
import { SessionsTable } from "./sessions-table";

export const metadata: Metadata = { title: "My account" };

export default async function AccountPage() {
  const staff = await requirePermission("account.manage");
  const [profile, sessions, twoFactor] = await Promise.all([
    getStaffProfile(staff.id),
    currentSessionId().then((current) => activeSessions(staff.id, current)),
    twoFactorStatus(staff.id),
  ]);
  const required = twoFactorRequiredFor(staff.role);
  return (
    <div className="flex max-w-4xl flex-col gap-4">
      <h1 className="text-xl font-semibold">My account</h1>
      <Card>
        <CardHeader>
          <CardTitle>Profile</CardTitle>
          <CardDescription>Your role is set by an admin.</CardDescription>
        </CardHeader>
        <CardContent>
          <dl className="grid grid-cols-[10rem_1fr] gap-y-2 text-sm">
            <dt className="text-muted-foreground">Name</dt>
            <dd>{profile?.name}</dd>
            <dt className="text-muted-foreground">Email</dt>
            <dd>{profile?.email}</dd>
            <dt className="text-muted-foreground">Role</dt>
            <dd>{profile ? roleLabels[profile.role] : ""}</dd>
            <dt className="text-muted-foreground">Last sign-in</dt>
            <dd>{profile?.lastLoginAt ? utcStamp(profile.lastLoginAt) : "—"}</dd>
          </dl>
        </CardContent>
      </Card>
      {profile?.hasPassword === false ? (
        <Card>
          <CardHeader>
            <CardTitle>Password and two-factor</CardTitle>
            <CardDescription>
              You sign in with single sign-on: your password and second factor are managed by your identity provider.
            </CardDescription>
          </CardHeader>
        </Card>
      ) : (
        <>
          <Card>
            <CardHeader>
              <CardTitle>Two-factor sign-in</CardTitle>
              <CardDescription>
                {required
                  ? "Required for your role: after your password, a code from an authenticator app."
                  : "After your password, a code from an authenticator app on your phone."}
              </CardDescription>
            </CardHeader>
            <CardContent>
              {twoFactor.enabled ? (
                <div className="flex flex-col gap-3">
                  <p className="text-sm" data-testid="two-factor-status">
                    On since {utcStamp(twoFactor.enabledAt)}. {twoFactor.recoveryCodesLeft} of 10 recovery codes left.
                    Lost your phone? Sign in with a recovery code and ask an admin to reset two-factor.
                  </p>
                  <TwoFactorManage required={required} />
                </div>
              ) : (
                <TwoFactorSetup />
              )}
            </CardContent>
          </Card>
          <Card>
            <CardHeader>
              <CardTitle>Change password</CardTitle>
              <CardDescription>
                At least 12 characters. You stay signed in in this browser; your other sessions end.
              </CardDescription>
            </CardHeader>
            <CardContent>
              <ChangePasswordForm />
            </CardContent>
          </Card>
        </>
      )}
      <Card>
        <CardHeader>
          <CardTitle>Active sessions</CardTitle>
          <CardDescription>
            Browsers signed in to your account. Signing one out ends it at once; use the header&apos;s Sign out for this
            browser.
          </CardDescription>
        </CardHeader>
        <CardContent>
          <SessionsTable sessions={sessions} />
        </CardContent>
      </Card>
      {may(staff, "alerts.view") && <AlertEmailsSection staff={staff} />}
    </div>
  );
}
