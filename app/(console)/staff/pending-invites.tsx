"use client";
import { roleLabels, type StaffRole } from "@/lib/auth/roles";
import { utcStamp } from "@/lib/format";
import { ActionDialog } from "@/components/action/action-dialog";
import { useDialogAction } from "@/components/action/use-server-action";
import { DataTable, type Column } from "@/components/data-table";
import { Button } from "@/components/ui/button";
import { revokeInviteAction } from "./actions";

export type PendingInviteRow = { id: string; email: string; name: string; role: StaffRole; expiresAt: string };

function RevokeInviteDialog({ invite }: { invite: PendingInviteRow }) {
  const dialog = useDialogAction(revokeInviteAction, { success: () => `Invitation for ${invite.email} withdrawn.` });
  return (
    <ActionDialog
      action={dialog}
      trigger={
        <Button variant="outline" size="sm" aria-label={`Withdraw the invitation for ${invite.email}`}>
          Withdraw
        </Button>
      }
      title="Withdraw the invitation?"
      description={`The link sent to ${invite.email} stops working.`}
      fields={{ id: invite.id }}
      submit="Withdraw invitation"
      submitVariant="destructive"
    />
  );
}

const columns: Column<PendingInviteRow>[] = [
  { id: "name", header: "Name", cell: (row) => row.name },
  { id: "email", header: "Email", cell: (row) => row.email },
  { id: "role", header: "Role", cell: (row) => roleLabels[row.role] },
  { id: "expiresAt", header: "Link expires", cell: (row) => utcStamp(row.expiresAt) },
  {
    id: "actions",
    header: <span className="sr-only">Actions</span>,
    cell: (row) => (
      <div className="flex justify-end">
        <RevokeInviteDialog invite={row} />
      </div>
    ),
  },
];

/** Invitations not yet accepted, withdrawn or expired. */
export function PendingInvites({ rows }: { rows: PendingInviteRow[] }) {
  if (rows.length === 0) return null;
  return (
    <section className="flex flex-col gap-2" aria-labelledby="pending-invites">
      <h2 id="pending-invites" className="text-base font-semibold">
        Pending invitations
      </h2>
      <DataTable columns={columns} rows={rows} empty="" label="Pending invitations" testIdPrefix="invite-row-" />
    </section>
  );
}
