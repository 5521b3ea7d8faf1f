"use client";
import { ActionDialog } from "@/components/action/action-dialog";
import { useDialogAction } from "@/components/action/use-server-action";
import { Button } from "@/components/ui/button";
import { signOutEverywhereAction } from "./actions";
import type { StaffRow } from "./staff-table";

/** An admin ends every session of a staff member (a lost laptop, a leaked cookie); they can sign in again. */
export function SignOutEverywhereDialog({ staff }: { staff: StaffRow }) {
  const dialog = useDialogAction(signOutEverywhereAction, {
    success: (result) =>
      `${result.email} is signed out everywhere (${result.ended} session${result.ended === 1 ? "" : "s"}).`,
  });
  return (
    <ActionDialog
      action={dialog}
      trigger={
        <Button variant="outline" size="sm" aria-label={`End sessions of ${staff.email}`}>
          End sessions
        </Button>
      }
      title={`End every session of ${staff.name}?`}
      description={`Every session of ${staff.email} ends now, in every browser. They can sign in again.`}
      fields={{ id: staff.id }}
      submit="End every session"
      submitVariant="destructive"
    />
  );
}
