"use client";
import { UserPlus } from "lucide-react";
import { roleLabels, staffRoles } from "@/lib/auth/roles";
import { ActionDialog } from "@/components/action/action-dialog";
import { useDialogAction } from "@/components/action/use-server-action";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input, Select } from "@/components/ui/input";
import { createStaffAction } from "./actions";

export const roleOptions = staffRoles.map((role) => ({ value: role, label: roleLabels[role] }));

export function AddStaffDialog() {
  const dialog = useDialogAction(createStaffAction, { success: ({ email }) => `Added ${email}.` });
  const errors = dialog.fieldErrors;
  return (
    <ActionDialog
      action={dialog}
      trigger={
        <Button>
          <UserPlus className="h-4 w-4" aria-hidden />
          Add staff
        </Button>
      }
      title="Add staff"
      description="They sign in with this email and password."
      submit="Add staff member"
      pendingLabel="Adding…"
    >
      <Field id="new-staff-name" label="Name" errors={errors?.name}>
        {(props) => <Input name="name" required {...props} />}
      </Field>
      <Field id="new-staff-email" label="Email" errors={errors?.email}>
        {(props) => <Input name="email" type="email" required {...props} />}
      </Field>
      <Field id="new-staff-role" label="Role" errors={errors?.role}>
        {(props) => <Select name="role" defaultValue="support" options={roleOptions} {...props} />}
      </Field>
      <Field id="new-staff-password" label="Initial password" hint="At least 12 characters." errors={errors?.password}>
        {(props) => <Input name="password" type="password" autoComplete="new-password" required {...props} />}
      </Field>
    </ActionDialog>
  );
}
