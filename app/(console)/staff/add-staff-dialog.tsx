"use client";
import { useActionState, useState } from "react";
import { UserPlus } from "lucide-react";
import { toast } from "sonner";
import { roleLabels, staffRoles } from "@/lib/auth/roles";
import type { ActionResult } from "@/lib/actions";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { Field, FormMessage } from "@/components/ui/field";
import { Input, Select } from "@/components/ui/input";
import { createStaffAction } from "./actions";

export function AddStaffDialog() {
  const [open, setOpen] = useState(false);
  const [state, action, pending] = useActionState<ActionResult<{ email: string }> | null, FormData>(
    async (previous, form) => {
      const result = await createStaffAction(previous, form);
      if (result.ok) {
        toast.success(`Added ${result.data.email}.`);
        setOpen(false);
      }
      return result;
    },
    null,
  );
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button>
          <UserPlus className="h-4 w-4" aria-hidden />
          Add staff
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogTitle>Add staff</DialogTitle>
        <DialogDescription>They sign in with this email and password.</DialogDescription>
        <form action={action} className="mt-4 flex flex-col gap-3">
          <Field id="new-staff-name" label="Name" errors={errors?.name}>
            {(props) => <Input name="name" required {...props} />}
          </Field>
          <Field id="new-staff-email" label="Email" errors={errors?.email}>
            {(props) => <Input name="email" type="email" required {...props} />}
          </Field>
          <Field id="new-staff-role" label="Role" errors={errors?.role}>
            {(props) => (
              <Select name="role" defaultValue="support" {...props}>
                {staffRoles.map((role) => (
                  <option key={role} value={role}>
                    {roleLabels[role]}
                  </option>
                ))}
              </Select>
            )}
          </Field>
          <Field
            id="new-staff-password"
            label="Initial password"
            hint="At least 12 characters."
            errors={errors?.password}
          >
            {(props) => <Input name="password" type="password" autoComplete="new-password" required {...props} />}
          </Field>
          {state && !state.ok && <FormMessage message={state.message} />}
          <Button type="submit" disabled={pending}>
            {pending ? "Adding…" : "Add staff member"}
          </Button>
        </form>
      </DialogContent>
    </Dialog>
  );
}
