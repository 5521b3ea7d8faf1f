"use client";
import { ActionDialog } from "@/components/action/action-dialog";
import { useDialogAction } from "@/components/action/use-server-action";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input, Select } from "@/components/ui/input";
import { changeRoleAction, renameStaffAction, resetTwoFactorAction, setDisabledAction } from "./actions";
import { roleOptions } from "./invite-staff-dialog";
import { SendPasswordResetDialog } from "./send-password-reset-dialog";
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

function RenameDialog({ staff }: { staff: StaffRow }) {
  const dialog = useDialogAction(renameStaffAction, { success: (changed) => `${changed.email} renamed.` });
  return (
    <ActionDialog
      action={dialog}
      keepValues
      trigger={
        <Button variant="outline" size="sm" aria-label={`Edit ${staff.email}`}>
          Edit
        </Button>
      }
      title="Edit staff member"
      description={`The name shown for ${staff.email} in lists and the audit log; their email (sign-in) stays.`}
      fields={{ id: staff.id }}
      submit="Save name"
    >
      <Field id={`name-${staff.id}`} label="Name" errors={dialog.fieldErrors?.name}>
        {(props) => <Input name="name" defaultValue={staff.name} required {...props} />}
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
      <RenameDialog staff={staff} />
      <RoleDialog staff={staff} />
      <SendPasswordResetDialog staff={staff} />
      <SignOutEverywhereDialog staff={staff} />
      {staff.twoFactor && <ResetTwoFactorDialog staff={staff} />}
      <DisableDialog staff={staff} isSelf={isSelf} />
    </div>
  );
}
