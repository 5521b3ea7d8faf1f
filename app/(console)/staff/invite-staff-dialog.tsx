"use client";
import { useState } from "react";
import { UserPlus } from "lucide-react";
import { toast } from "sonner";
import { roleLabels, staffRoles } from "@/lib/auth/roles";
import { ActionMessage } from "@/components/action/action-message";
import { CopyButton } from "@/components/action/copy-button";
import { SubmitButton } from "@/components/action/submit-button";
import { useServerAction } from "@/components/action/use-server-action";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { Field, FormMessage } from "@/components/ui/field";
import { Input, Select } from "@/components/ui/input";
import { inviteStaffAction, type InviteReply } from "./actions";

export const roleOptions = staffRoles.map((role) => ({ value: role, label: roleLabels[role] }));

/**
 * "Invite staff": name, email and role; the person chooses their own password through the link. With email set
 * up the link is sent; otherwise (or when sending failed) the dialog shows it to copy and pass on.
 */
export function InviteStaffDialog({ emailConfigured, ttlHours }: { emailConfigured: boolean; ttlHours: number }) {
  const [open, setOpen] = useState(false);
  const [sent, setSent] = useState<InviteReply | null>(null);
  const invite = useServerAction(inviteStaffAction, {
    refresh: true,
    onSuccess: (reply) => {
      if (reply.emailed) {
        toast.success(`Invitation sent to ${reply.email}.`);
        setOpen(false);
      } else {
        setSent(reply);
      }
    },
  });
  const errors = invite.fieldErrors;
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) setSent(null);
      }}
    >
      <DialogTrigger asChild>
        <Button>
          <UserPlus className="h-4 w-4" aria-hidden />
          Invite staff
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogTitle>Invite staff</DialogTitle>
        <DialogDescription>
          {emailConfigured
            ? `They get an email with a link to choose their password. The link works once, for ${ttlHours} hours.`
            : `Email is not set up (SMTP_URL): you get a link to pass on. It works once, for ${ttlHours} hours.`}
        </DialogDescription>
        {sent?.link ? (
          <div className="mt-4 flex flex-col gap-3">
            {sent.mailError ? (
              <FormMessage message={`${sent.mailError} Pass the link on another way.`} />
            ) : (
              <FormMessage ok message={`Invitation for ${sent.email} created.`} />
            )}
            <label className="text-sm font-medium" htmlFor="invite-link">
              Invitation link
            </label>
            <div className="flex items-center gap-1">
              <Input id="invite-link" readOnly value={sent.link} className="font-mono text-xs" />
              <CopyButton what="link" value={sent.link} compact />
            </div>
            <p className="text-xs text-muted-foreground">
              Whoever has this link can create the account: send it only to {sent.email}.
            </p>
            <Button type="button" className="self-start" onClick={() => (setOpen(false), setSent(null))}>
              Done
            </Button>
          </div>
        ) : (
          // onSubmit, not action: a refused invitation keeps the name, email and role beside its field errors.
          <form onSubmit={invite.submit} className="mt-4 flex flex-col gap-3">
            <Field id="invite-name" label="Name" errors={errors?.name}>
              {(props) => <Input name="name" required {...props} />}
            </Field>
            <Field id="invite-email" label="Email" errors={errors?.email}>
              {(props) => <Input name="email" type="email" required {...props} />}
            </Field>
            <Field id="invite-role" label="Role" errors={errors?.role}>
              {(props) => <Select name="role" defaultValue="support" options={roleOptions} {...props} />}
            </Field>
            <ActionMessage failure={invite.failure} />
            <SubmitButton pending={invite.pending} pendingLabel="Inviting…">
              {emailConfigured ? "Send invitation" : "Create invitation link"}
            </SubmitButton>
          </form>
        )}
      </DialogContent>
    </Dialog>
  );
}
