"use client";
import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { ActionButton } from "@/components/action/action-button";
import { ActionDialog } from "@/components/action/action-dialog";
import { ActionMessage } from "@/components/action/action-message";
import { SubmitButton } from "@/components/action/submit-button";
import { useDialogAction, useServerAction } from "@/components/action/use-server-action";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Panel } from "@/components/ui/panel";
import { utcStamp } from "@/lib/format";
import { clearLegalHoldAction, eraseTravelerAction, setLegalHoldAction } from "./privacy-actions";

type Hold = { reason: string; setAt: string; setByEmail: string | null } | null;

/**
 * Admins only: the traveler's personal data (docs/guide.md, "Personal data"): the full export as JSON or CSV, the
 * legal hold, and erasure behind a dialog that asks for the id typed again.
 */
export function PrivacyPanel({
  externalUserId,
  hold,
  mayExport,
  mayManage,
  erased,
}: {
  externalUserId: string;
  hold: Hold;
  mayExport: boolean;
  mayManage: boolean;
  erased: boolean;
}) {
  const router = useRouter();
  const setHold = useServerAction(setLegalHoldAction, { refresh: true });
  const clearHold = useServerAction(clearLegalHoldAction, { refresh: true, toastFailure: true });
  const erase = useDialogAction(eraseTravelerAction, {
    success: (outcome) =>
      outcome.alreadyErased
        ? "Nothing left to erase: this traveler was already erased."
        : `Erased: ${outcome.rows} stored records now carry the pseudonym ${outcome.pseudonym}.`,
  });
  const base = `/travelers/${encodeURIComponent(externalUserId)}/personal-data`;
  const pseudonym = erase.result?.ok ? erase.result.data.pseudonym : null;
  useEffect(() => {
    // The id no longer exists: the traveler is the pseudonym now.
    if (pseudonym) router.replace(`/travelers/${encodeURIComponent(pseudonym)}`);
  }, [pseudonym, router]);

  return (
    <Panel headingId="personal-data-heading" title="Personal data" data-testid="personal-data">
      {erased ? (
        <p className="text-sm text-muted-foreground">
          This traveler was erased: the id shown is a pseudonym, and their personal fields read “erased”.
        </p>
      ) : null}
      {mayExport && (
        <div className="flex flex-wrap items-center gap-2 text-sm">
          <span className="text-muted-foreground">Everything stored about this traveler (audited):</span>
          <Button asChild variant="outline" size="sm">
            <a href={`${base}?format=json`} download>
              Download JSON
            </a>
          </Button>
          <Button asChild variant="outline" size="sm">
            <a href={`${base}?format=csv`} download>
              Download CSV
            </a>
          </Button>
        </div>
      )}
      {mayManage && !erased && (
        <>
          {hold ? (
            <div className="flex flex-wrap items-center gap-2 text-sm" data-testid="legal-hold">
              <span className="rounded bg-amber-100 px-2 py-0.5 font-medium text-amber-900 dark:bg-amber-900/40 dark:text-amber-100">
                Legal hold
              </span>
              <span>
                “{hold.reason}”, set {utcStamp(hold.setAt)}
                {hold.setByEmail ? ` by ${hold.setByEmail}` : ""}. Erasure is refused while it stands.
              </span>
              <ActionButton
                action={clearHold.run}
                fields={{ externalUserId }}
                pending={clearHold.pending}
                size="sm"
                variant="outline"
              >
                Clear legal hold
              </ActionButton>
            </div>
          ) : (
            <form action={setHold.run} className="flex flex-wrap items-end gap-2">
              <input type="hidden" name="externalUserId" value={externalUserId} />
              <Field id="legal-hold-reason" label="Legal hold reason" errors={setHold.fieldErrors?.reason}>
                {(props) => <Input name="reason" required maxLength={500} className="w-72" {...props} />}
              </Field>
              <SubmitButton size="sm" variant="outline" pending={setHold.pending}>
                Set legal hold
              </SubmitButton>
              <ActionMessage failure={setHold.failure} fields={["reason"]} />
            </form>
          )}
          <ActionDialog
            action={erase}
            trigger={
              <Button type="button" variant="destructive" size="sm" className="w-fit">
                Erase personal data…
              </Button>
            }
            title="Erase this traveler's personal data"
            description={
              <>
                Every stored mention of <span className="font-mono">{externalUserId}</span> (packages, webhooks,
                bookings, campaign rows, logs, audit entries) is replaced by a pseudonym, and names, emails and phone
                numbers in stored bodies by “erased”. Counts stay. This cannot be undone. Hubby keeps its own data: ask
                Hubby too.
              </>
            }
            fields={{ externalUserId }}
            submit="Erase"
            pendingLabel="Erasing…"
            submitVariant="destructive"
            keepValues
          >
            <Field id="erase-confirm" label="Type the traveler's id to confirm" errors={erase.fieldErrors?.confirmId}>
              {(props) => <Input name="confirmId" required autoComplete="off" {...props} />}
            </Field>
          </ActionDialog>
        </>
      )}
    </Panel>
  );
}
