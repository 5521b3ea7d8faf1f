"use client";
import { useState } from "react";
import { toast } from "sonner";
import { ActionButton } from "@/components/action/action-button";
import { ActionDialog } from "@/components/action/action-dialog";
import { ActionMessage } from "@/components/action/action-message";
import { ConfirmCheck } from "@/components/action/confirm-check";
import { useDialogAction, useServerAction, type FormAction } from "@/components/action/use-server-action";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Panel } from "@/components/ui/panel";
import { markIssuedBookingAction, reconcileBookingAction, retryBookingAction, sendOnceBookingAction } from "./actions";

type Settled = { status: string; note: string };
const settledText = ({ status, note }: Settled) => `${status}: ${note}`;

// Both decisions on an UNKNOWN booking share one pending state: only one of them may run at a time.
const decideAction: FormAction<Settled> = (previous, form) =>
  (form.get("decision") === "mark_issued" ? markIssuedBookingAction : sendOnceBookingAction)(previous, form);

/** Reconcile (ask Hubby) for UNKNOWN; a confirmed retry for UNKNOWN or FAILED, which re-checks Hubby first. */
export function IntentActions({ intentId, status }: { intentId: string; status: string }) {
  const reconcile = useServerAction(reconcileBookingAction, { onSuccess: (data) => toast.info(settledText(data)) });
  const retry = useDialogAction(retryBookingAction, { success: settledText, info: true });
  const [decision, setDecision] = useState<"send_once" | "mark_issued" | null>(null);
  const decide = useServerAction(decideAction, {
    onSuccess: (data) => {
      toast.info(settledText(data));
      setDecision(null);
    },
  });
  const decisionDialog = (which: "send_once" | "mark_issued") => ({
    ...decide,
    open: decision === which,
    setOpen: (next: boolean) => setDecision(next ? which : null),
  });

  return (
    <Panel headingId="settle-heading" title="Settle this booking" className="gap-2">
      <p className="text-sm text-muted-foreground">
        {status !== "FAILED"
          ? "Hubby's reply was lost, so the booking may exist. Reconcile asks Hubby for the booking by its reference; nothing is sent."
          : "Hubby did not issue this booking. A retry first checks Hubby again, then sends the same request once more."}
      </p>
      <div className="flex flex-wrap gap-2">
        {status !== "FAILED" && (
          <ActionButton
            action={reconcile.run}
            fields={{ intentId }}
            pending={reconcile.pending}
            pendingLabel="Asking Hubby…"
          >
            Reconcile with Hubby
          </ActionButton>
        )}
        {status !== "SENDING" && (
          <ActionDialog
            action={retry}
            trigger={<Button variant="outline">Retry…</Button>}
            title="Send this booking again?"
            description="A booking costs money. If Hubby did create it after all, a second one would be issued and billed. The console checks Hubby for this booking's reference first and sends only if none exists. This retry is recorded in the audit log under your name."
            fields={{ intentId }}
            submit="Check Hubby, then retry"
            pendingLabel="Checking and sending…"
          >
            <ConfirmCheck>I understand this may issue a paid booking.</ConfirmCheck>
          </ActionDialog>
        )}
      </div>
      {status === "UNKNOWN" && (
        <>
          <p className="text-sm text-muted-foreground">
            When Hubby&apos;s answers cannot prove whether the booking exists, check with Hubby and record what you
            found: nothing is sent again without your confirmation.
          </p>
          <div className="flex flex-wrap gap-2">
            <ActionDialog
              action={decisionDialog("send_once")}
              trigger={<Button variant="outline">Not at Hubby: send once…</Button>}
              title="Send this booking once?"
              description="Only if you have checked with Hubby that it does not exist. The console looks it up once more (a booking found now settles it, nothing is sent), then sends it exactly once. Recorded in the audit log under your name."
              fields={{ intentId, decision: "send_once" }}
              submit="Send once"
              pendingLabel="Checking and sending…"
            >
              <ConfirmCheck>I checked with Hubby: this booking does not exist.</ConfirmCheck>
            </ActionDialog>
            <ActionDialog
              action={decisionDialog("mark_issued")}
              trigger={<Button variant="outline">Mark as issued…</Button>}
              title="Mark this booking as issued?"
              description="Only if you have checked with Hubby that it exists. Nothing is sent. Recorded in the audit log under your name."
              fields={{ intentId, decision: "mark_issued" }}
              submit="Mark as issued"
              pendingLabel="Saving…"
            >
              <label className="flex flex-col gap-1 text-sm" htmlFor="hubby-booking-id">
                Hubby&apos;s booking id (optional)
                <Input id="hubby-booking-id" name="hubbyBookingId" maxLength={100} />
              </label>
              <ConfirmCheck>I checked with Hubby: this booking exists.</ConfirmCheck>
            </ActionDialog>
          </div>
        </>
      )}
      <ActionMessage failure={reconcile.failure} />
    </Panel>
  );
}
