import type { Metadata } from "next";
import { activeSessions } from "@/lib/auth/sessions";
import { currentSessionId, requirePermission } from "@/lib/auth/staff";
import { may, roleLabels } from "@/lib/auth/roles";
import { getStaffProfile } from "@/lib/staff/staff";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { ChangePasswordForm } from "./change-password-form";
import { AlertEmailsSection } from "./alert-emails-section";
import { formatDateTime } from "@/lib/format";
import { SessionsTable } from "./sessions-table";

export const metadata: Metadata = { title: "My account" };

export default async function AccountPage() {
  const staff = await requirePermission("account.manage");
  const [profile, sessions] = await Promise.all([
    getStaffProfile(staff.id),
    currentSessionId().then((current) => activeSessions(staff.id, current)),
  ]);
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
            <dd>{profile?.lastLoginAt ? `${formatDateTime(profile.lastLoginAt)} UTC` : "—"}</dd>
          </dl>
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
