import * as React from "react";
import { Button, type ButtonProps } from "@/components/ui/button";

/** A form's submit button: disabled while its action runs, saying so when `pendingLabel` is given. */
export function SubmitButton({
  pending,
  pendingLabel,
  disabled,
  children,
  ...props
}: Omit<ButtonProps, "type"> & { pending: boolean; pendingLabel?: React.ReactNode }) {
  return (
    <Button type="submit" disabled={pending || disabled} {...props}>
      {pending && pendingLabel ? pendingLabel : children}
    </Button>
  );
}
