"use client";
import Link from "next/link";
import { useState } from "react";
import { toast } from "sonner";
import { ActionButton } from "@/components/action/action-button";
import { ActionDialog } from "@/components/action/action-dialog";
import { ActionMessage } from "@/components/action/action-message";
import { ConfirmCheck } from "@/components/action/confirm-check";
import { useServerAction } from "@/components/action/use-server-action";
import { Button } from "@/components/ui/button";
import { Panel } from "@/components/ui/panel";
import { settleReviewRowsAction } from "./actions";

const confirmations = {
  send_once: {
    button: "Not at Hubby: send once…",
    title: "Send these rows once?",
    body: "Only if you have checked with Hubby that these bookings do not exist. Each row is looked up once more; a booking found now settles the row and nothing is sent. Otherwise each row is sent exactly once. A booking that exists after all would be issued and billed twice.",
    check: "I checked with Hubby: these bookings do not exist.",
    submit: "Send once",
  },
  mark_issued: {
    button: "Mark as issued…",
    title: "Mark these rows as issued?",
    body: "Only if you have checked with Hubby that these bookings exist. Nothing is sent; the rows count as sent.",
    check: "I checked with Hubby: these bookings exist.",
    submit: "Mark as issued",
  },
} as const;

/**
 * The review queue: rows whose reply from Hubby was lost and whose booking no lookup could prove absent. Nothing
 * is sent for them until staff decide, in bulk (at most 200 rows per click), each decision confirmed and audited.
 */
export function ReviewQueue({ campaignId, count }: { campaignId: string; count: number }) {
  const [open, setOpen] = useState<keyof typeof confirmations | null>(null);
  const settle = useServerAction(settleReviewRowsAction, {
    onSuccess: ({ rows, sent, failed, review, posted }) => {
      toast.info(
        `${rows} rows: ${sent} sent${posted ? ` (${posted} just now)` : ""}, ${failed} failed, ${review} still need review.`,
      );
      setOpen(null);
    },
    refresh: true,
  });
  const batch = Math.min(count, 200);

  return (
    <Panel
      headingId="review-heading"
      title={`Needs review: ${count} ${count === 1 ? "row" : "rows"}`}
      className="gap-2 border-amber-300 dark:border-amber-700"
      data-testid="review-queue"
    >
      <p className="text-sm text-muted-foreground">
        Hubby&apos;s reply to these bookings was lost, and Hubby&apos;s answers could not prove whether they exist. They
        are never sent again on their own. Ask Hubby again, or check with Hubby and decide.{" "}
        <Link className="underline" href={`/campaigns/${campaignId}?rows=review`}>
          See the rows
        </Link>
        .
      </p>
      <div className="flex flex-wrap gap-2">
        <ActionButton
          action={settle.run}
          fields={{ campaignId, decision: "reconcile" }}
          variant="outline"
          pending={settle.pending}
          pendingLabel={open === null ? "Asking Hubby…" : undefined}
        >
          Ask Hubby again ({batch})
        </ActionButton>
        {(Object.keys(confirmations) as (keyof typeof confirmations)[]).map((decision) => {
          const text = confirmations[decision];
          return (
            <ActionDialog
              key={decision}
              action={{ ...settle, open: open === decision, setOpen: (next) => setOpen(next ? decision : null) }}
              trigger={<Button variant="outline">{text.button}</Button>}
              title={text.title}
              description={`${text.body} This applies to ${batch} ${batch === 1 ? "row" : "rows"} and is recorded in the audit log under your name.`}
              fields={{ campaignId, decision }}
              submit={`${text.submit} (${batch})`}
              pendingLabel="Working…"
            >
              <ConfirmCheck>{text.check}</ConfirmCheck>
            </ActionDialog>
          );
        })}
      </div>
      {open === null && <ActionMessage failure={settle.failure} />}
    </Panel>
  );
}
