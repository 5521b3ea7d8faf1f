"use client";
import { useRouter } from "next/navigation";
import { useActionState, useEffect, useRef, useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { FormMessage } from "@/components/ui/field";
import type { ActionResult } from "@/lib/actions";
import type { Progress } from "@/lib/campaigns/queries";
import {
  cancelCampaignAction,
  pauseCampaignAction,
  resumeCampaignAction,
  retryFailedRowsAction,
  startCampaignAction,
} from "./actions";

type ControlResult = ActionResult<{ campaignId: string }> | null;

function useControl(action: (prev: unknown, form: FormData) => Promise<NonNullable<ControlResult>>) {
  const router = useRouter();
  return useActionState<ControlResult, FormData>(async (previous, form) => {
    const result = await action(previous, form);
    if (result.ok) router.refresh();
    return result;
  }, null);
}

/** The dry run's Run button: it names the count and the cost, and carries the checksum of the file it checked. */
export function RunButton(props: { campaignId: string; checksum: string; label: string; disabled: boolean }) {
  const [state, run, running] = useControl(startCampaignAction);
  return (
    <form action={run} className="flex flex-col gap-2">
      <input type="hidden" name="campaignId" value={props.campaignId} />
      <input type="hidden" name="checksum" value={props.checksum} />
      <div>
        <Button type="submit" disabled={props.disabled || running}>
          {running ? "Starting…" : props.label}
        </Button>
      </div>
      {state && !state.ok && <FormMessage message={state.message} />}
    </form>
  );
}

const duration = (seconds: number) =>
  seconds < 90
    ? `${seconds} s`
    : seconds < 5400
      ? `${Math.round(seconds / 60)} min`
      : `${(seconds / 3600).toFixed(1)} h`;

/**
 * Polls the progress route every second while `live`; the work itself happens on the server. A change of status
 * re-renders the page from the server (e.g. the dry run's totals once the check ends).
 */
function useLiveProgress(campaignId: string, initial: Progress, live: boolean): Progress {
  const router = useRouter();
  const [progress, setProgress] = useState(initial);
  const lastStatus = useRef(initial.status);
  useEffect(() => {
    if (!live) return;
    let stopped = false;
    const timer = setInterval(async () => {
      const response = await fetch(`/campaigns/${campaignId}/progress`, { cache: "no-store" }).catch(() => null);
      if (stopped || !response?.ok) return;
      const next = (await response.json()) as Progress;
      setProgress(next);
      if (next.status !== lastStatus.current) {
        lastStatus.current = next.status;
        router.refresh();
      }
    }, 1000);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [campaignId, live, router]);
  return progress;
}

const count = (value: number) => value.toLocaleString("en");

/** The background dry run: rows checked so far, against the row count estimated from the file's size. */
export function CheckProgress({ campaignId, initial }: { campaignId: string; initial: Progress }) {
  const progress = useLiveProgress(campaignId, initial, true);
  const expected = progress.expected ? Math.max(progress.expected, progress.checked) : null;
  // Never 100% while checking: the estimate may be short, and the totals replace this bar when the check ends.
  const percent = expected ? Math.min(99, Math.floor((progress.checked / expected) * 100)) : null;
  return (
    <section className="flex flex-col gap-3 rounded-lg border p-4" aria-labelledby="check-heading">
      <h2 id="check-heading" className="text-sm font-semibold">
        Dry run
      </h2>
      {percent !== null && (
        <div
          role="progressbar"
          aria-label="Dry run progress"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={percent}
          className="h-3 overflow-hidden rounded-full bg-muted"
        >
          <div className="h-full bg-sky-600 transition-all" style={{ width: `${percent}%` }} />
        </div>
      )}
      <p className="text-sm" data-testid="check-counts">
        {expected
          ? `Checking the file: ${count(progress.checked)} of ~${count(expected)} rows`
          : `Checking the file: ${count(progress.checked)} rows checked`}
      </p>
      <p className="text-xs text-muted-foreground">
        Every row is checked on the server and nothing is sent to Hubby; leaving this page does not stop it. The totals,
        the row errors and the run button appear here when the check ends.
      </p>
    </section>
  );
}

/** The run's progress bar with pause, resume and cancel. */
export function CampaignProgress({ campaignId, initial }: { campaignId: string; initial: Progress }) {
  const live = initial.status === "running" || initial.unknown > 0;
  const progress = useLiveProgress(campaignId, initial, live);
  const [paused, pause, pausing] = useControl(pauseCampaignAction);
  const [resumed, resume, resuming] = useControl(resumeCampaignAction);
  const [cancelled, cancel, cancelling] = useControl(cancelCampaignAction);
  const [confirmCancel, setConfirmCancel] = useState(false);
  const failure = [paused, resumed, cancelled].find((state) => state && !state.ok);

  const settled = progress.sent + progress.failed + progress.review;
  const percent = progress.total > 0 ? Math.floor((settled / progress.total) * 100) : 0;
  return (
    <section className="flex flex-col gap-3 rounded-lg border p-4" aria-labelledby="progress-heading">
      <h2 id="progress-heading" className="text-sm font-semibold">
        Progress
      </h2>
      <div
        role="progressbar"
        aria-label="Campaign progress"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        className="h-3 overflow-hidden rounded-full bg-muted"
      >
        <div className="h-full bg-emerald-600 transition-all" style={{ width: `${percent}%` }} />
      </div>
      <p className="text-sm" data-testid="progress-counts">
        {percent}% · done {progress.sent} · failed {progress.failed} · unknown {progress.unknown}
        {progress.review > 0 ? ` · needs review ${progress.review}` : ""} · remaining {progress.remaining} of{" "}
        {progress.total}
        {progress.rate ? ` · ${progress.rate.toFixed(1)} rows/s` : ""}
        {progress.etaSeconds !== null && progress.remaining + progress.unknown > 0
          ? ` · about ${duration(progress.etaSeconds)} left`
          : ""}
      </p>
      {progress.statusNote && <p className="text-sm text-amber-700 dark:text-amber-300">{progress.statusNote}</p>}
      <p className="text-xs text-muted-foreground">
        The campaign runs on the server: closing this page does not stop it. Unknown rows (Hubby&apos;s reply was lost)
        are looked up at Hubby, never sent again blindly; a row Hubby cannot prove absent waits for your review.
      </p>
      <div className="flex flex-wrap gap-2">
        {progress.status === "running" && (
          <form action={pause}>
            <input type="hidden" name="campaignId" value={campaignId} />
            <Button type="submit" variant="outline" disabled={pausing}>
              Pause
            </Button>
          </form>
        )}
        {progress.status === "paused" && (
          <form action={resume}>
            <input type="hidden" name="campaignId" value={campaignId} />
            <Button type="submit" disabled={resuming}>
              Resume
            </Button>
          </form>
        )}
        {(progress.status === "running" || progress.status === "paused") && (
          <Dialog open={confirmCancel} onOpenChange={setConfirmCancel}>
            <DialogTrigger asChild>
              <Button variant="outline">Cancel…</Button>
            </DialogTrigger>
            <DialogContent>
              <DialogTitle>Cancel this campaign?</DialogTitle>
              <DialogDescription>
                Rows not yet sent ({progress.remaining}) will not be sent. Bookings already issued stay issued. This
                cannot be undone.
              </DialogDescription>
              <form action={cancel} className="mt-4" onSubmit={() => setConfirmCancel(false)}>
                <input type="hidden" name="campaignId" value={campaignId} />
                <Button type="submit" disabled={cancelling}>
                  Cancel the campaign
                </Button>
              </form>
            </DialogContent>
          </Dialog>
        )}
      </div>
      {failure && !failure.ok && <FormMessage message={failure.message} />}
    </section>
  );
}

type RetryResult = ActionResult<{
  retried: number;
  sent: number;
  failed: number;
  unknown: number;
  review: number;
}> | null;

/** Failed rows are retried only on request, with a confirmation; each is checked at Hubby before any resend. */
export function RetryFailedButton({ campaignId, failed }: { campaignId: string; failed: number }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [state, retry, retrying] = useActionState<RetryResult, FormData>(async (previous, form) => {
    const result = await retryFailedRowsAction(previous, form);
    if (result.ok) {
      toast.info(`Retried ${result.data.retried}: ${result.data.sent} sent, ${result.data.failed} failed again.`);
      setOpen(false);
      router.refresh();
    }
    return result;
  }, null);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant="outline">Retry {failed} failed…</Button>
      </DialogTrigger>
      <DialogContent>
        <DialogTitle>Retry the failed rows?</DialogTitle>
        <DialogDescription>
          Each failed row is checked at Hubby first and sent again only when Hubby has no booking for it (at most 200
          per click). Retries cost money and are recorded in the audit log under your name.
        </DialogDescription>
        <form action={retry} className="mt-4 flex flex-col gap-3">
          <input type="hidden" name="campaignId" value={campaignId} />
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" name="confirm" value="yes" required />I understand this may issue paid bookings.
          </label>
          <Button type="submit" disabled={retrying}>
            {retrying ? "Checking and sending…" : "Check Hubby, then retry"}
          </Button>
          {state && !state.ok && <FormMessage message={state.message} />}
        </form>
      </DialogContent>
    </Dialog>
  );
}
