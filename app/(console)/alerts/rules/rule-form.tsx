"use client";
import { toast } from "sonner";
import { ActionButton } from "@/components/action/action-button";
import { ActionMessage } from "@/components/action/action-message";
import { SubmitButton } from "@/components/action/submit-button";
import { useServerAction } from "@/components/action/use-server-action";
import { FilterField } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import type { AlertRuleDefinition, RuleSettings } from "@/lib/alerts/rules";
import { evaluateNowAction, setChatWebhookAction, testChatWebhookAction, updateRuleAction } from "../actions";

/** One rule's switch, threshold, reminder interval and scope, saved together (audited). */
export function RuleForm({ rule, settings }: { rule: AlertRuleDefinition; settings: RuleSettings }) {
  const { run, pending, failure, fieldErrors } = useServerAction(updateRuleAction, {
    refresh: true,
    onSuccess: () => toast.success(`Rule "${rule.label}" saved.`),
  });
  const id = (field: string) => `rule-${rule.key}-${field}`;
  return (
    <form action={run} className="flex flex-wrap items-end gap-3" data-testid={`rule-${rule.key}`}>
      <input type="hidden" name="key" value={rule.key} />
      <label className="flex items-center gap-2 text-sm" htmlFor={id("enabled")}>
        <input id={id("enabled")} type="checkbox" name="enabled" defaultChecked={settings.enabled} />
        On
      </label>
      <FilterField id={id("threshold")} label={rule.thresholdLabel}>
        <Input
          id={id("threshold")}
          name="threshold"
          type="number"
          step={rule.integer ? 1 : "any"}
          min={rule.min}
          max={rule.max}
          defaultValue={settings.threshold}
          className="w-32"
          aria-invalid={fieldErrors?.threshold ? true : undefined}
        />
      </FilterField>
      <FilterField id={id("remind")} label="Remind every (hours)">
        <Input
          id={id("remind")}
          name="remindHours"
          type="number"
          step="any"
          min={0.25}
          defaultValue={settings.remindHours}
          className="w-28"
        />
      </FilterField>
      {rule.scopeLabel && (
        <FilterField id={id("scope")} label={`Scope: ${rule.scopeLabel}`}>
          <Input id={id("scope")} name="scope" defaultValue={settings.scope} className="w-64" />
        </FilterField>
      )}
      <SubmitButton size="sm" variant="outline" pending={pending} aria-label={`Save rule ${rule.label}`}>
        Save
      </SubmitButton>
      <ActionMessage failure={failure} fields={["key", "enabled", "threshold", "remindHours", "scope"]} />
    </form>
  );
}

/** Where chat messages go (Slack-compatible incoming webhook); empty stops them. */
export function ChatWebhookForm({ url }: { url: string }) {
  const { run, pending, failure } = useServerAction(setChatWebhookAction, {
    refresh: true,
    onSuccess: ({ set }) => toast.success(set ? "Chat webhook saved." : "Chat webhook removed."),
  });
  return (
    <form action={run} className="flex flex-wrap items-end gap-2">
      <FilterField id="chat-webhook-url" label="Chat webhook URL (Slack-compatible)">
        <Input
          id="chat-webhook-url"
          name="url"
          type="url"
          defaultValue={url}
          placeholder="https://hooks.slack.com/services/…"
          className="w-[28rem]"
        />
      </FilterField>
      <SubmitButton size="sm" variant="outline" pending={pending}>
        Save webhook
      </SubmitButton>
      <ActionMessage failure={failure} fields={["url"]} />
    </form>
  );
}

/** Posts a test message to the chat webhook in use; a refusal or failure shows its reason beside the button. */
export function TestChatButton() {
  const call = useServerAction(testChatWebhookAction, {
    onSuccess: () => toast.success("Test message sent to the chat webhook."),
  });
  return (
    <div className="flex items-center gap-2">
      <ActionButton
        action={call.run}
        fields={{}}
        size="sm"
        variant="outline"
        pending={call.pending}
        pendingLabel="Sending…"
      >
        Send a test message
      </ActionButton>
      <ActionMessage failure={call.failure} />
    </div>
  );
}

/** Evaluates every rule now rather than at the next minute. */
export function EvaluateNowButton() {
  const call = useServerAction(evaluateNowAction, {
    refresh: true,
    onSuccess: (outcome) =>
      toast.success(
        `Rules evaluated: ${outcome.opened} opened, ${outcome.reminded} reminded, ${outcome.resolved} resolved.`,
      ),
  });
  return (
    <div className="flex items-center gap-2">
      <ActionButton action={call.run} fields={{}} size="sm" pending={call.pending} pendingLabel="Evaluating…">
        Evaluate now
      </ActionButton>
      <ActionMessage failure={call.failure} />
    </div>
  );
}
