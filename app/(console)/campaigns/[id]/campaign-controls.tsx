"use client";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import type { Progress } from "@/lib/campaigns/queries";
import { ActionButton } from "@/components/action/action-button";
import { ActionDialog } from "@/components/action/action-dialog";
import { ActionMessage } from "@/components/action/action-message";
import { ConfirmCheck } from "@/components/action/confirm-check";
import { useDialogAction, useServerAction } from "@/components/action/use-server-action";
import { Bar } from "@/components/ui/bar";
import { Button } from "@/components/ui/button";
import { Panel } from "@/components/ui/panel";
import {
  cancelCampaignAction,
  pauseCampaignAction,
  resumeCampaignAction,
  retryFailedRowsAction,
  startCampaignAction,
} from "./actions";

/**
 * The dry run's Run button: it names the count and the cost, and opens a confirmation that names them again ("Run 3
 * rows, about €12.00") before anything is sent; the form carries the checksum of the file the dry run checked.
 */
export function RunButton(props: {
  campaignId: string;
  checksum: string;
  label: string;
  rows: number;
  cost: string;
  disabled: boolean;
}) {
  const [open, setOpen] = useState(false);
  const start = useServerAction(startCampaignAction, { refresh: true, onSuccess: () => setOpen(false) });
  const rows = `${count(props.rows)} row${props.rows === 1 ? "" : "s"}`;
  return (
    <div>
      <ActionDialog
        action={{ ...start, open, setOpen }}
        trigger={<Button disabled={props.disabled}>{props.label}…</Button>}
        title={`Run ${rows}, about ${props.cost}?`}
        description={`Each of the ${rows} is sent to Hubby as a paid booking; the dry run put their B2B cost at about ${props.cost}. Rows with errors are not sent. A running campaign can be paused or cancelled, but bookings already issued stay issued.`}
        fields={{ campaignId: props.campaignId, checksum: props.checksum }}
        submit={`Run ${rows}`}
        pendingLabel="Starting…"
      />
    </div>
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

function ProgressBar({ label, percent, fill }: { label: string; percent: number; fill: string }) {
  return (
    <Bar
      role="progressbar"
      label={label}
      percent={percent}
      className="h-3 rounded-full"
      fillClassName={`${fill} transition-all`}
    />
  );
}

const count = (value: number) => value.toLocaleString("en");

/** The background dry run: rows checked so far, against the row count estimated from the file's size. */
export function CheckProgress({ campaignId, initial }: { campaignId: string; initial: Progress }) {
  const progress = useLiveProgress(campaignId, initial, true);
  const expected = progress.expected ? Math.max(progress.expected, progress.checked) : null;
  // Never 100% while checking: the estimate may be short, and the totals replace this bar when the check ends.
  const percent = expected ? Math.min(99, Math.floor((progress.checked / expected) * 100)) : null;
  return (
    <Panel headingId="check-heading" title="Dry run">
      {percent !== null && <ProgressBar label="Dry run progress" percent={percent} fill="bg-sky-600" />}
      <p className="text-sm" data-testid="check-counts">
        {expected
          ? `Checking the file: ${count(progress.checked)} of ~${count(expected)} rows`
          : `Checking the file: ${count(progress.checked)} rows checked`}
      </p>
      <p className="text-xs text-muted-foreground">
        Every row is checked on the server and nothing is sent to Hubby; leaving this page does not stop it. The totals,
        the row errors and the run button appear here when the check ends.
      </p>
    </Panel>
  );
}

/** The run's progress bar with pause, resume and cancel. */
export function CampaignProgress({ campaignId, initial }: { campaignId: string; initial: Progress }) {
  const live = initial.status === "running" || initial.unknown > 0;
  const progress = useLiveProgress(campaignId, initial, live);
  const pause = useServerAction(pauseCampaignAction, { refresh: true });
  const resume = useServerAction(resumeCampaignAction, { refresh: true });
  const [confirmCancel, setConfirmCancel] = useState(false);
  const cancel = useServerAction(cancelCampaignAction, { refresh: true, onSuccess: () => setConfirmCancel(false) });

  const settled = progress.sent + progress.failed + progress.review;
  const percent = progress.total > 0 ? Math.floor((settled / progress.total) * 100) : 0;
  return (
    <Panel headingId="progress-heading" title="Progress">
      <ProgressBar label="Campaign progress" percent={percent} fill="bg-emerald-600" />
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
          <ActionButton action={pause.run} fields={{ campaignId }} variant="outline" pending={pause.pending}>
            Pause
          </ActionButton>
        )}
        {progress.status === "paused" && (
          <ActionButton action={resume.run} fields={{ campaignId }} pending={resume.pending}>
            Resume
          </ActionButton>
        )}
        {(progress.status === "running" || progress.status === "paused") && (
          <ActionDialog
            action={{ ...cancel, open: confirmCancel, setOpen: setConfirmCancel }}
            trigger={<Button variant="outline">Cancel…</Button>}
            title="Cancel this campaign?"
            description={`Rows not yet sent (${progress.remaining}) will not be sent. Bookings already issued stay issued. This cannot be undone.`}
            fields={{ campaignId }}
            submit="Cancel the campaign"
          />
        )}
      </div>
      <ActionMessage failure={pause.failure ?? resume.failure} />
    </Panel>
  );
}

/** Failed rows are retried only on request, with a confirmation; each is checked at Hubby before any resend. */
export function RetryFailedButton({ campaignId, failed }: { campaignId: string; failed: number }) {
  const retry = useDialogAction(retryFailedRowsAction, {
    success: (data) => `Retried ${data.retried}: ${data.sent} sent, ${data.failed} failed again.`,
    info: true,
    refresh: true,
  });
  return (
    <ActionDialog
      action={retry}
      trigger={<Button variant="outline">Retry {failed} failed…</Button>}
      title="Retry the failed rows?"
      description="Each failed row is checked at Hubby first and sent again only when Hubby has no booking for it (at most 200 per click). Retries cost money and are recorded in the audit log under your name."
      fields={{ campaignId }}
      submit="Check Hubby, then retry"
      pendingLabel="Checking and sending…"
    >
      <ConfirmCheck>I understand this may issue paid bookings.</ConfirmCheck>
    </ActionDialog>
  );
}
