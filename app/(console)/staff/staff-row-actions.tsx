"use client";
import { useActionState, useState } from "react";
import { toast } from "sonner";
import { roleLabels, staffRoles, type StaffRole } from "@/lib/auth/roles";
import type { ActionResult } from "@/lib/actions";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { Field, FormMessage } from "@/components/ui/field";
import { Input, Select } from "@/components/ui/input";
import { changeRoleAction, resetPasswordAction, setDisabledAction } from "./actions";
import type { StaffRow } from "./staff-table";

type Result = ActionResult<{ email: string }> | null;

type ServerAction = (previous: unknown, form: FormData) => Promise<ActionResult<{ email: string }>>;

/** Closes the dialog and toasts on success; keeps it open with the message on failure. */
function useDialogAction(serverAction: ServerAction, success: string, close: () => void) {
  return useActionState<Result, FormData>(async (previous, form) => {
    const result = await serverAction(previous, form);
    if (result.ok) {
      toast.success(success);
      close();
    }
    return result;
  }, null);
}

function RoleDialog({ staff }: { staff: StaffRow }) {
  const [open, setOpen] = useState(false);
  const [state, action, pending] = useDialogAction(changeRoleAction, `Role of ${staff.email} changed.`, () =>
    setOpen(false),
  );
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant="outline" size="sm" aria-label={`Change role of ${staff.email}`}>
          Role
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogTitle>Change role</DialogTitle>
        <DialogDescription>{staff.email} — the change applies on their next request.</DialogDescription>
        <form action={action} className="mt-4 flex flex-col gap-3">
          <input type="hidden" name="id" value={staff.id} />
          <Field id={`role-${staff.id}`} label="Role" errors={state && !state.ok ? state.fieldErrors?.role : undefined}>
            {(props) => (
              <Select name="role" defaultValue={staff.role} {...props}>
                {staffRoles.map((role: StaffRole) => (
                  <option key={role} value={role}>
                    {roleLabels[role]}
                  </option>
                ))}
              </Select>
            )}
          </Field>
          {state && !state.ok && <FormMessage message={state.message} />}
          <Button type="submit" disabled={pending}>
            Save role
          </Button>
        </form>
      </DialogContent>
    </Dialog>
  );
}

function DisableDialog({ staff, isSelf }: { staff: StaffRow; isSelf: boolean }) {
  const [open, setOpen] = useState(false);
  const disabling = !staff.disabled;
  const [state, action, pending] = useDialogAction(
    setDisabledAction,
    `${staff.email} ${disabling ? "disabled" : "enabled"}.`,
    () => setOpen(false),
  );
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button
          variant="outline"
          size="sm"
          disabled={isSelf && disabling}
          aria-label={`${disabling ? "Disable" : "Enable"} ${staff.email}`}
          title={isSelf && disabling ? "You cannot disable your own account." : undefined}
        >
          {disabling ? "Disable" : "Enable"}
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogTitle>
          {disabling ? "Disable" : "Enable"} {staff.name}?
        </DialogTitle>
        <DialogDescription>
          {disabling
            ? `${staff.email} will be signed out on their next request and cannot sign in until enabled again.`
            : `${staff.email} will be able to sign in again with their current password.`}
        </DialogDescription>
        <form action={action} className="mt-4 flex flex-col gap-3">
          <input type="hidden" name="id" value={staff.id} />
          <input type="hidden" name="disabled" value={disabling ? "true" : "false"} />
          {state && !state.ok && <FormMessage message={state.message} />}
          <Button type="submit" variant={disabling ? "destructive" : "default"} disabled={pending}>
            {disabling ? "Disable account" : "Enable account"}
          </Button>
        </form>
      </DialogContent>
    </Dialog>
  );
}

function ResetPasswordDialog({ staff }: { staff: StaffRow }) {
  const [open, setOpen] = useState(false);
  const [state, action, pending] = useDialogAction(resetPasswordAction, `Password of ${staff.email} reset.`, () =>
    setOpen(false),
  );
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant="outline" size="sm" aria-label={`Reset password of ${staff.email}`}>
          Reset password
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogTitle>Reset password</DialogTitle>
        <DialogDescription>
          {staff.email} will be signed out everywhere; give them the new password through a safe channel.
        </DialogDescription>
        <form action={action} className="mt-4 flex flex-col gap-3">
          <input type="hidden" name="id" value={staff.id} />
          <Field
            id={`password-${staff.id}`}
            label="New password"
            hint="At least 12 characters."
            errors={state && !state.ok ? state.fieldErrors?.password : undefined}
          >
            {(props) => <Input name="password" type="password" autoComplete="new-password" required {...props} />}
          </Field>
          {state && !state.ok && <FormMessage message={state.message} />}
          <Button type="submit" disabled={pending}>
            Reset password
          </Button>
        </form>
      </DialogContent>
    </Dialog>
  );
}

export function StaffRowActions({ staff, isSelf }: { staff: StaffRow; isSelf: boolean }) {
  return (
    <div className="flex justify-end gap-2">
      <RoleDialog staff={staff} />
      <ResetPasswordDialog staff={staff} />
      <DisableDialog staff={staff} isSelf={isSelf} />
    </div>
  );
}
