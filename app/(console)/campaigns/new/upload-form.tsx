"use client";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { ActionMessage } from "@/components/action/action-message";
import { SubmitButton } from "@/components/action/submit-button";
import { Field } from "@/components/ui/field";
import { Input, Select } from "@/components/ui/input";
import type { ActionResult } from "@/lib/actions";
import { MAX_UPLOAD_BYTES, UPLOAD_TOO_LARGE_MESSAGE } from "./limits";
import type { DryRunData } from "./upload";

async function upload(form: FormData): Promise<ActionResult<DryRunData> & { signedOut?: boolean }> {
  const file = form.get("file");
  if (file instanceof File && file.size > MAX_UPLOAD_BYTES) return { ok: false, message: UPLOAD_TOO_LARGE_MESSAGE };
  try {
    const response = await fetch("/api/campaigns/upload", { method: "POST", body: form });
    if (response.status === 401) return { ok: false, message: "Your session has ended.", signedOut: true };
    const result = (await response.json().catch(() => null)) as ActionResult<DryRunData> | null;
    return result ?? { ok: false, message: `The upload failed (HTTP ${response.status}). Try again.` };
  } catch {
    return { ok: false, message: "The upload was interrupted (network). Try again." };
  }
}

type MappingStep = Extract<DryRunData, { outcome: "mapping" }>;

/**
 * The upload: a file or pasted rows and a name. The form is submitted by hand (not reset by React), so the chosen
 * file is still there when the server asks for a column mapping and the same file is sent again with it.
 */
export function UploadForm({ fields, required }: { fields: string[]; required: string[] }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [result, setResult] = useState<ActionResult<DryRunData> | null>(null);
  const [mapping, setMapping] = useState<MappingStep | null>(null);

  const submit = (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    startTransition(async () => {
      const outcome = await upload(form);
      if (outcome.signedOut) return router.push("/login?reason=signed-out&callbackUrl=%2Fcampaigns%2Fnew");
      setResult(outcome);
      if (!outcome.ok) return;
      if (outcome.data.outcome === "mapping") setMapping(outcome.data);
      else router.push(`/campaigns/${outcome.data.campaignId}`);
    });
  };
  const failure = result && !result.ok ? result : null;
  const errors = failure?.fieldErrors;

  return (
    <form onSubmit={submit} className="flex flex-col gap-4 rounded-lg border p-4">
      <Field id="name" label="Campaign name" errors={errors?.name}>
        {(props) => <Input {...props} name="name" required maxLength={120} placeholder="Summer loyalty tier" />}
      </Field>
      <Field id="file" label="CSV file" errors={errors?.file} hint="UTF-8, comma-separated, a header line first.">
        {(props) => <Input {...props} name="file" type="file" accept=".csv,text/csv" />}
      </Field>
      <Field id="text" label="…or paste rows (with the header line)" errors={errors?.text}>
        {(props) => (
          <textarea
            {...props}
            name="text"
            rows={5}
            className="rounded-md border bg-background p-2 font-mono text-xs"
            spellCheck={false}
          />
        )}
      </Field>
      {mapping && (
        <fieldset className="flex flex-col gap-3 rounded-md border p-3">
          <legend className="px-1 text-sm font-semibold">Match your columns</legend>
          <p className="text-sm text-muted-foreground">{mapping.issue}</p>
          <input type="hidden" name="mapped" value="1" />
          <div className="grid gap-3 sm:grid-cols-2">
            {fields.map((field) => (
              <Field key={field} id={`map-${field}`} label={required.includes(field) ? field : `${field} (optional)`}>
                {(props) => (
                  <Select
                    {...props}
                    name={`map.${field}`}
                    defaultValue={mapping.guessed[field as never] ?? ""}
                    options={mapping.headers}
                  >
                    <option value="">— not in the file —</option>
                  </Select>
                )}
              </Field>
            ))}
          </div>
        </fieldset>
      )}
      <ActionMessage failure={failure} />
      <div>
        <SubmitButton pending={pending} pendingLabel="Uploading…">
          Dry run
        </SubmitButton>
      </div>
    </form>
  );
}
