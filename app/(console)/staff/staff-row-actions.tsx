"use client";
import { ActionDialog } from "@/components/action/action-dialog";
import { useDialogAction } from "@/components/action/use-server-action";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input, Select } from "@/components/ui/input";
import { changeRoleAction, resetPasswordAction, resetTwoFactorAction, setDisabledAction } from "./actions";
import { roleOptions } from "./invite-staff-dialog";
import { SignOutEverywhereDialog } from "./sign-out-everywhere-dialog";
import type { StaffRow } from "./staff-table";

function RoleDialog({ staff }: { staff: StaffRow }) {
  const dialog = useDialogAction(changeRoleAction, { success: () => `Role of ${staff.email} changed.` });
  return (
    <ActionDialog
      action={dialog}
      trigger={
        <Button variant="outline" size="sm" aria-label={`Change role of ${staff.email}`}>
          Role
        </Button>
      }
      title="Change role"
      description={`${staff.email} — the change applies on their next request.`}
      fields={{ id: staff.id }}
      submit="Save role"
    >
      <Field id={`role-${staff.id}`} label="Role" errors={dialog.fieldErrors?.role}>
        {(props) => <Select name="role" defaultValue={staff.role} options={roleOptions} {...props} />}
      </Field>
    </ActionDialog>
  );
}

function DisableDialog({ staff, isSelf }: { staff: StaffRow; isSelf: boolean }) {
  const disabling = !staff.disabled;
  const dialog = useDialogAction(setDisabledAction, {
    success: () => `${staff.email} ${disabling ? "disabled" : "enabled"}.`,
  });
  return (
    <ActionDialog
      action={dialog}
      trigger={
        <Button
          variant="outline"
          size="sm"
          disabled={isSelf && disabling}
          aria-label={`${disabling ? "Disable" : "Enable"} ${staff.email}`}
          title={isSelf && disabling ? "You cannot disable your own account." : undefined}
        >
          {disabling ? "Disable" : "Enable"}
        </Button>
      }
      title={`${disabling ? "Disable" : "Enable"} ${staff.name}?`}
      description={
        disabling
          ? `${staff.email} will be signed out on their next request and cannot sign in until enabled again.`
          : `${staff.email} will be able to sign in again with their current password.`
      }
      fields={{ id: staff.id, disabled: disabling }}
      submit={disabling ? "Disable account" : "Enable account"}
      submitVariant={disabling ? "destructive" : "default"}
    />
  );
}

function ResetPasswordDialog({ staff }: { staff: StaffRow }) {
  const dialog = useDialogAction(resetPasswordAction, { success: () => `Password of ${staff.email} reset.` });
  return (
    <ActionDialog
      action={dialog}
      trigger={
        <Button variant="outline" size="sm" aria-label={`Reset password of ${staff.email}`}>
          Reset password
        </Button>
      }
      title="Reset password"
      description={`${staff.email} will be signed out everywhere; give them the new password through a safe channel.`}
      fields={{ id: staff.id }}
      submit="Reset password"
    >
      <Field
        id={`password-${staff.id}`}
        label="New password"
        hint="At least 12 characters."
        errors={dialog.fieldErrors?.password}
      >
        {(props) => <Input name="password" type="password" autoComplete="new-password" required {...props} />}
      </Field>
    </ActionDialog>
  );
}

function ResetTwoFactorDialog({ staff }: { staff: StaffRow }) {
  const dialog = useDialogAction(resetTwoFactorAction, { success: () => `Two-factor of ${staff.email} reset.` });
  return (
    <ActionDialog
      action={dialog}
      trigger={
        <Button variant="outline" size="sm" aria-label={`Reset 2FA of ${staff.email}`}>
          Reset 2FA
        </Button>
      }
      title="Reset two-factor sign-in"
      description={`${staff.email} loses their authenticator app and recovery codes and is signed out everywhere. Their next sign-in asks for a new set-up where two-factor is required.`}
      fields={{ id: staff.id }}
      submit="Reset two-factor"
      submitVariant="destructive"
    />
  );
}

export function StaffRowActions({ staff, isSelf }: { staff: StaffRow; isSelf: boolean }) {
  return (
    <div className="flex justify-end gap-2">
      <RoleDialog staff={staff} />
      <ResetPasswordDialog staff={staff} />
      <SignOutEverywhereDialog staff={staff} />
      {staff.twoFactor && <ResetTwoFactorDialog staff={staff} />}
      <DisableDialog staff={staff} isSelf={isSelf} />
    </div>
  );
}
