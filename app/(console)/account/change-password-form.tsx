"use client";
import { useActionState, useEffect, useRef } from "react";
import { toast } from "sonner";
import type { ActionResult } from "@/lib/actions";
import { Button } from "@/components/ui/button";
import { Field, FormMessage } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { changeOwnPasswordAction } from "./actions";

export function ChangePasswordForm() {
  const formRef = useRef<HTMLFormElement>(null);
  const [state, action, pending] = useActionState<ActionResult<null> | null, FormData>(changeOwnPasswordAction, null);
  useEffect(() => {
    if (state?.ok) {
      toast.success("Password changed.");
      formRef.current?.reset();
    }
  }, [state]);
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  return (
    <form ref={formRef} action={action} className="flex max-w-sm flex-col gap-3">
      <Field id="current-password" label="Current password" errors={errors?.currentPassword}>
        {(props) => (
          <Input name="currentPassword" type="password" autoComplete="current-password" required {...props} />
        )}
      </Field>
      <Field id="new-password" label="New password" errors={errors?.newPassword}>
        {(props) => <Input name="newPassword" type="password" autoComplete="new-password" required {...props} />}
      </Field>
      {state && !state.ok && <FormMessage message={state.message} />}
      <Button type="submit" disabled={pending} className="self-start">
        Change password
      </Button>
    </form>
  );
}
