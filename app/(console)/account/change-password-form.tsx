"use client";
import { useRef } from "react";
import { toast } from "sonner";
import { ActionMessage } from "@/components/action/action-message";
import { SubmitButton } from "@/components/action/submit-button";
import { useServerAction } from "@/components/action/use-server-action";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { changeOwnPasswordAction } from "./actions";

export function ChangePasswordForm() {
  const formRef = useRef<HTMLFormElement>(null);
  const { run, pending, failure, fieldErrors } = useServerAction(changeOwnPasswordAction, {
    onSuccess: () => {
      toast.success("Password changed.");
      formRef.current?.reset();
    },
  });
  return (
    <form ref={formRef} action={run} className="flex max-w-sm flex-col gap-3">
      <Field id="current-password" label="Current password" errors={fieldErrors?.currentPassword}>
        {(props) => (
          <Input name="currentPassword" type="password" autoComplete="current-password" required {...props} />
        )}
      </Field>
      <Field id="new-password" label="New password" errors={fieldErrors?.newPassword}>
        {(props) => <Input name="newPassword" type="password" autoComplete="new-password" required {...props} />}
      </Field>
      <ActionMessage failure={failure} />
      <SubmitButton pending={pending} className="self-start">
        Change password
      </SubmitButton>
    </form>
  );
}
