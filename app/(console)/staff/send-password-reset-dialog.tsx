"use client";
import { useState } from "react";
import { toast } from "sonner";
import { ActionMessage } from "@/components/action/action-message";
import { CopyButton } from "@/components/action/copy-button";
import { HiddenFields } from "@/components/action/hidden-fields";
import { SubmitButton } from "@/components/action/submit-button";
import { useServerAction } from "@/components/action/use-server-action";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { FormMessage } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { sendPasswordResetAction, type PasswordResetReply } from "./actions";
import type { StaffRow } from "./staff-table";

/**
 * "Send password reset": after a confirmation, the member gets a single-use link to choose a new password by
 * email, or (no SMTP, or the server refused) the admin copies it. Accounts single sign-on created have no password.
 */
export function SendPasswordResetDialog({ staff }: { staff: StaffRow }) {
  const [open, setOpen] = useState(false);
  const [sent, setSent] = useState<PasswordResetReply | null>(null);
  const reset = useServerAction(sendPasswordResetAction, {
    onSuccess: (reply) => {
      if (reply.emailed) {
        toast.success(`Password reset link sent to ${reply.email}.`);
        setOpen(false);
      } else {
        setSent(reply);
      }
    },
  });
  if (!staff.hasPassword) {
    // Said on the row, not in a tooltip: the admin looking for the reset button learns why there is none.
    return (
      <span className="max-w-40 self-center text-xs text-muted-foreground" data-testid="no-password-reset">
        Single sign-on account: its password is reset at the identity provider.
      </span>
    );
  }
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) setSent(null);
      }}
    >
      <DialogTrigger asChild>
        <Button variant="outline" size="sm" aria-label={`Send password reset to ${staff.email}`}>
          Send password reset
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogTitle>Send a password reset link to {staff.name}?</DialogTitle>
        <DialogDescription>
          {staff.email} gets a link to choose a new password; it works once, for a day. Their current password keeps
          working until they use it, and choosing a new one signs them out everywhere. Without email set up (SMTP_URL)
          you get the link to pass on.
        </DialogDescription>
        {sent?.link ? (
          <div className="mt-4 flex flex-col gap-3">
            {sent.mailError ? (
              <FormMessage message={`${sent.mailError} Pass the link on another way.`} />
            ) : (
              <FormMessage ok message={`Password reset link for ${sent.email} created.`} />
            )}
            <label className="text-sm font-medium" htmlFor={`reset-link-${staff.id}`}>
              Password reset link
            </label>
            <div className="flex items-center gap-1">
              <Input id={`reset-link-${staff.id}`} readOnly value={sent.link} className="font-mono text-xs" />
              <CopyButton what="link" value={sent.link} compact />
            </div>
            <p className="text-xs text-muted-foreground">
              Whoever has this link can set the password of this account: send it only to {sent.email}.
            </p>
            <Button type="button" className="self-start" onClick={() => (setOpen(false), setSent(null))}>
              Done
            </Button>
          </div>
        ) : (
          <form action={reset.run} className="mt-4 flex flex-col gap-3">
            <HiddenFields values={{ id: staff.id }} />
            <ActionMessage failure={reset.failure} />
            <SubmitButton pending={reset.pending} pendingLabel="Sending…">
              Send password reset
            </SubmitButton>
          </form>
        )}
      </DialogContent>
    </Dialog>
  );
}
