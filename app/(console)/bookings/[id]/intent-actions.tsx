"use client";
import { useActionState, useState } from "react";
import { toast } from "sonner";
import type { ActionResult } from "@/lib/actions";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { markIssuedBookingAction, reconcileBookingAction, retryBookingAction, sendOnceBookingAction } from "./actions";

type Result = ActionResult<{ status: string; note: string }> | null;

/** Reconcile (ask Hubby) for UNKNOWN; a confirmed retry for UNKNOWN or FAILED, which re-checks Hubby first. */
export function IntentActions({ intentId, status }: { intentId: string; status: string }) {
  const [open, setOpen] = useState(false);
  const [reconciled, reconcile, reconciling] = useActionState<Result, FormData>(async (previous, form) => {
    const result = await reconcileBookingAction(previous, form);
    if (result.ok) toast.info(`${result.data.status}: ${result.data.note}`);
    return result;
  }, null);
  const [retried, retry, retrying] = useActionState<Result, FormData>(async (previous, form) => {
    const result = await retryBookingAction(previous, form);
    if (result.ok) {
      toast.info(`${result.data.status}: ${result.data.note}`);
      setOpen(false);
    }
    return result;
  }, null);
  const [decision, setDecision] = useState<"send_once" | "mark_issued" | null>(null);
  const [decided, decide, deciding] = useActionState<Result, FormData>(async (previous, form) => {
    const action = form.get("decision") === "mark_issued" ? markIssuedBookingAction : sendOnceBookingAction;
    const result = await action(previous, form);
    if (result.ok) {
      toast.info(`${result.data.status}: ${result.data.note}`);
      setDecision(null);
    }
    return result;
  }, null);
  const failure = [reconciled, retried, decided].find((state) => state && !state.ok);

  return (
    <section className="flex flex-col gap-2 rounded-lg border p-4" aria-labelledby="settle-heading">
      <h2 id="settle-heading" className="text-sm font-semibold">
        Settle this booking
      </h2>
      <p className="text-sm text-muted-foreground">
        {status !== "FAILED"
          ? "Hubby's reply was lost, so the booking may exist. Reconcile asks Hubby for the booking by its reference; nothing is sent."
          : "Hubby did not issue this booking. A retry first checks Hubby again, then sends the same request once more."}
      </p>
      <div className="flex flex-wrap gap-2">
        {status !== "FAILED" && (
          <form action={reconcile}>
            <input type="hidden" name="intentId" value={intentId} />
            <Button type="submit" disabled={reconciling}>
              {reconciling ? "Asking Hubby…" : "Reconcile with Hubby"}
            </Button>
          </form>
        )}
        {status !== "SENDING" && (
          <Dialog open={open} onOpenChange={setOpen}>
            <DialogTrigger asChild>
              <Button variant="outline">Retry…</Button>
            </DialogTrigger>
            <DialogContent>
              <DialogTitle>Send this booking again?</DialogTitle>
              <DialogDescription>
                A booking costs money. If Hubby did create it after all, a second one would be issued and billed. The
                console checks Hubby for this booking&apos;s reference first and sends only if none exists. This retry
                is recorded in the audit log under your name.
              </DialogDescription>
              <form action={retry} className="mt-4 flex flex-col gap-3">
                <input type="hidden" name="intentId" value={intentId} />
                <label className="flex items-center gap-2 text-sm">
                  <input type="checkbox" name="confirm" value="yes" required />I understand this may issue a paid
                  booking.
                </label>
                <Button type="submit" disabled={retrying}>
                  {retrying ? "Checking and sending…" : "Check Hubby, then retry"}
                </Button>
              </form>
            </DialogContent>
          </Dialog>
        )}
      </div>
      {status === "UNKNOWN" && (
        <>
          <p className="text-sm text-muted-foreground">
            When Hubby&apos;s answers cannot prove whether the booking exists, check with Hubby and record what you
            found: nothing is sent again without your confirmation.
          </p>
          <div className="flex flex-wrap gap-2">
            <Dialog open={decision === "send_once"} onOpenChange={(next) => setDecision(next ? "send_once" : null)}>
              <DialogTrigger asChild>
                <Button variant="outline">Not at Hubby: send once…</Button>
              </DialogTrigger>
              <DialogContent>
                <DialogTitle>Send this booking once?</DialogTitle>
                <DialogDescription>
                  Only if you have checked with Hubby that it does not exist. The console looks it up once more (a
                  booking found now settles it, nothing is sent), then sends it exactly once. Recorded in the audit log
                  under your name.
                </DialogDescription>
                <form action={decide} className="mt-4 flex flex-col gap-3">
                  <input type="hidden" name="intentId" value={intentId} />
                  <input type="hidden" name="decision" value="send_once" />
                  <label className="flex items-center gap-2 text-sm">
                    <input type="checkbox" name="confirm" value="yes" required />I checked with Hubby: this booking does
                    not exist.
                  </label>
                  <Button type="submit" disabled={deciding}>
                    {deciding ? "Checking and sending…" : "Send once"}
                  </Button>
                </form>
              </DialogContent>
            </Dialog>
            <Dialog open={decision === "mark_issued"} onOpenChange={(next) => setDecision(next ? "mark_issued" : null)}>
              <DialogTrigger asChild>
                <Button variant="outline">Mark as issued…</Button>
              </DialogTrigger>
              <DialogContent>
                <DialogTitle>Mark this booking as issued?</DialogTitle>
                <DialogDescription>
                  Only if you have checked with Hubby that it exists. Nothing is sent. Recorded in the audit log under
                  your name.
                </DialogDescription>
                <form action={decide} className="mt-4 flex flex-col gap-3">
                  <input type="hidden" name="intentId" value={intentId} />
                  <input type="hidden" name="decision" value="mark_issued" />
                  <label className="flex flex-col gap-1 text-sm" htmlFor="hubby-booking-id">
                    Hubby&apos;s booking id (optional)
                    <Input id="hubby-booking-id" name="hubbyBookingId" maxLength={100} />
                  </label>
                  <label className="flex items-center gap-2 text-sm">
                    <input type="checkbox" name="confirm" value="yes" required />I checked with Hubby: this booking
                    exists.
                  </label>
                  <Button type="submit" disabled={deciding}>
                    {deciding ? "Saving…" : "Mark as issued"}
                  </Button>
                </form>
              </DialogContent>
            </Dialog>
          </div>
        </>
      )}
      {failure && !failure.ok && (
        <p role="alert" className="text-sm text-destructive">
          {failure.message}
        </p>
      )}
    </section>
  );
}
