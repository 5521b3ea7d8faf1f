import type { Metadata } from "next";
import { requirePermission } from "@/lib/auth/staff";
import { roleLabels } from "@/lib/auth/roles";
import { getStaffProfile } from "@/lib/staff/staff";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { ChangePasswordForm } from "./change-password-form";
import { AlertEmailsSection } from "./alert-emails-section";
import { may } from "@/lib/auth/roles";
import { formatDateTime } from "@/lib/format";

export const metadata: Metadata = { title: "My account" };

export default async function AccountPage() {
  const staff = await requirePermission("account.manage");
  const profile = await getStaffProfile(staff.id);
  return (
    <div className="flex max-w-2xl flex-col gap-4">
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
          <CardDescription>At least 12 characters. You stay signed in on this device.</CardDescription>
        </CardHeader>
        <CardContent>
          <ChangePasswordForm />
        </CardContent>
      </Card>
      {may(staff, "alerts.view") && <AlertEmailsSection staff={staff} />}
    </div>
  );
}
