"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useActionState, useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { FormMessage } from "@/components/ui/field";
import type { ActionResult } from "@/lib/actions";
import { settleReviewRowsAction, type ReviewTally } from "./actions";

type Result = ActionResult<ReviewTally> | null;

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
  const router = useRouter();
  const [open, setOpen] = useState<keyof typeof confirmations | null>(null);
  const [state, settle, settling] = useActionState<Result, FormData>(async (previous, form) => {
    const result = await settleReviewRowsAction(previous, form);
    if (result.ok) {
      const { rows, sent, failed, review, posted } = result.data;
      toast.info(
        `${rows} rows: ${sent} sent${posted ? ` (${posted} just now)` : ""}, ${failed} failed, ${review} still need review.`,
      );
      setOpen(null);
      router.refresh();
    }
    return result;
  }, null);
  const batch = Math.min(count, 200);

  return (
    <section
      className="flex flex-col gap-2 rounded-lg border border-amber-300 p-4 dark:border-amber-700"
      aria-labelledby="review-heading"
      data-testid="review-queue"
    >
      <h2 id="review-heading" className="text-sm font-semibold">
        Needs review: {count} {count === 1 ? "row" : "rows"}
      </h2>
      <p className="text-sm text-muted-foreground">
        Hubby&apos;s reply to these bookings was lost, and Hubby&apos;s answers could not prove whether they exist. They
        are never sent again on their own. Ask Hubby again, or check with Hubby and decide.{" "}
        <Link className="underline" href={`/campaigns/${campaignId}?rows=review`}>
          See the rows
        </Link>
        .
      </p>
      <div className="flex flex-wrap gap-2">
        <form action={settle}>
          <input type="hidden" name="campaignId" value={campaignId} />
          <input type="hidden" name="decision" value="reconcile" />
          <Button type="submit" variant="outline" disabled={settling}>
            {settling && open === null ? "Asking Hubby…" : `Ask Hubby again (${batch})`}
          </Button>
        </form>
        {(Object.keys(confirmations) as (keyof typeof confirmations)[]).map((decision) => {
          const text = confirmations[decision];
          return (
            <Dialog key={decision} open={open === decision} onOpenChange={(next) => setOpen(next ? decision : null)}>
              <DialogTrigger asChild>
                <Button variant="outline">{text.button}</Button>
              </DialogTrigger>
              <DialogContent>
                <DialogTitle>{text.title}</DialogTitle>
                <DialogDescription>
                  {text.body} This applies to {batch} {batch === 1 ? "row" : "rows"} and is recorded in the audit log
                  under your name.
                </DialogDescription>
                <form action={settle} className="mt-4 flex flex-col gap-3">
                  <input type="hidden" name="campaignId" value={campaignId} />
                  <input type="hidden" name="decision" value={decision} />
                  <label className="flex items-center gap-2 text-sm">
                    <input type="checkbox" name="confirm" value="yes" required />
                    {text.check}
                  </label>
                  <Button type="submit" disabled={settling}>
                    {settling ? "Working…" : `${text.submit} (${batch})`}
                  </Button>
                  {state && !state.ok && <FormMessage message={state.message} />}
                </form>
              </DialogContent>
            </Dialog>
          );
        })}
      </div>
      {state && !state.ok && open === null && <FormMessage message={state.message} />}
    </section>
  );
}
