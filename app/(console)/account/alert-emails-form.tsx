"use client";
import { toast } from "sonner";
import { ActionMessage } from "@/components/action/action-message";
import { SubmitButton } from "@/components/action/submit-button";
import { useServerAction } from "@/components/action/use-server-action";
import type { SubscriptionView } from "@/lib/alerts/incidents";
import { saveAlertEmailsAction } from "./subscription-actions";

/** One checkbox per alert rule the staff member may see; checked ones reach them by email. */
export function AlertEmailsForm({ subscriptions, mail }: { subscriptions: SubscriptionView[]; mail: boolean }) {
  const { run, pending, failure } = useServerAction(saveAlertEmailsAction, {
    refresh: true,
    onSuccess: ({ emailRules }) => toast.success(`Alert emails saved: ${emailRules.length} rule(s).`),
  });
  return (
    <form action={run} className="flex flex-col gap-3">
      {!mail && (
        <p className="text-sm text-muted-foreground">
          Email is not configured on this console (SMTP_URL): alerts show in the app only until it is.
        </p>
      )}
      <fieldset className="flex flex-col gap-2">
        <legend className="sr-only">Rules that reach you by email</legend>
        {subscriptions.map((subscription) => (
          <label key={subscription.key} className="flex items-center gap-2 text-sm">
            <input type="checkbox" name="rules" value={subscription.key} defaultChecked={subscription.email} />
            {subscription.label}
            {subscription.roleDefault && (
              <span className="text-xs text-muted-foreground">(your role&apos;s default)</span>
            )}
          </label>
        ))}
      </fieldset>
      <div className="flex items-center gap-2">
        <SubmitButton size="sm" pending={pending}>
          Save alert emails
        </SubmitButton>
        <ActionMessage failure={failure} fields={["rules"]} />
      </div>
    </form>
  );
}
