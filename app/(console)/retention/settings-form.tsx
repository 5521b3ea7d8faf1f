"use client";
import { toast } from "sonner";
import { ActionMessage } from "@/components/action/action-message";
import { SubmitButton } from "@/components/action/submit-button";
import { useServerAction } from "@/components/action/use-server-action";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { saveRetentionSettingsAction } from "./actions";

type Values = { webhookMonths: number; apiLogDays: number; auditYears: number };

const fields = [
  {
    name: "webhookMonths",
    label: "Webhook events: months kept",
    unit: "months",
    env: "RETENTION_WEBHOOK_MONTHS",
    min: 1,
    max: 120,
  },
  {
    name: "apiLogDays",
    label: "Hubby API log: days kept",
    unit: "days",
    env: "API_LOG_RETENTION_DAYS",
    min: 1,
    max: 3650,
  },
  { name: "auditYears", label: "Audit log: years kept", unit: "years", env: "RETENTION_AUDIT_YEARS", min: 1, max: 100 },
] as const;

/** The three retention periods, saved together (admin only, audited with before and after). */
export function RetentionSettingsForm({ current, defaults }: { current: Values; defaults: Values }) {
  const { submit, pending, failure, fieldErrors } = useServerAction(saveRetentionSettingsAction, {
    refresh: true,
    onSuccess: (saved) =>
      toast.success(
        `Saved: webhooks ${saved.webhookMonths} months, API log ${saved.apiLogDays} days, audit log ${saved.auditYears} years.`,
      ),
  });
  return (
    <form onSubmit={submit} className="flex flex-col gap-4" aria-label="Retention settings" noValidate>
      <div className="grid gap-4 sm:grid-cols-3">
        {fields.map((field) => (
          <Field
            key={field.name}
            id={`retention-${field.name}`}
            label={field.label}
            errors={fieldErrors?.[field.name]}
            hint={`Default ${defaults[field.name]} ${field.unit} (${field.env}).`}
          >
            {(props) => (
              <Input
                {...props}
                name={field.name}
                type="number"
                inputMode="numeric"
                step={1}
                min={field.min}
                max={field.max}
                defaultValue={current[field.name]}
                className="w-32"
              />
            )}
          </Field>
        ))}
      </div>
      <div className="flex items-center gap-3">
        <SubmitButton size="sm" pending={pending} pendingLabel="Saving…">
          Save retention
        </SubmitButton>
        {failure && !failure.fieldErrors ? <ActionMessage failure={failure} /> : null}
      </div>
    </form>
  );
}
