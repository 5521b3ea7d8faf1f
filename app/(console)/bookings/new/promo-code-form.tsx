"use client";
import { startTransition, useActionState, useState } from "react";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import type { ActionResult, FieldErrors } from "@/lib/actions";
import { formatMoney } from "@/lib/bookings/quote";
import { Button } from "@/components/ui/button";
import { Input, Select } from "@/components/ui/input";
import {
  previewPromoCodesAction,
  sendPromoCodesAction,
  type PromoInvalidData,
  type PromoPreviewData,
  type PromoSentData,
} from "./promo-actions";

export type PromoCatalogOption = {
  id: string;
  name: string;
  kind: "country" | "region";
  flag: string;
  /** Package type → the sizes this destination sells, smallest first ([] for unlimited). */
  sizes: Record<string, string[]>;
};

const TYPE_LABELS: Record<string, string> = {
  "data-limited": "Data-limited (default)",
  starter: "Starter",
  unlimited: "Unlimited (fair use)",
  "time-limited": "Time-limited (deprecated)",
};

function ErrorText({ id, errors }: { id: string; errors?: string[] }) {
  if (!errors?.length) return null;
  return (
    <p className="text-xs text-destructive" data-testid={`error-${id}`}>
      {errors.join(" ")}
    </p>
  );
}

function Labelled(props: { id: string; label: string; hint?: string; children: React.ReactNode }) {
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={props.id} className="text-sm font-medium">
        {props.label}
      </label>
      {props.children}
      {props.hint && <p className="text-xs text-muted-foreground">{props.hint}</p>}
    </div>
  );
}

/**
 * Promo codes without a traveler: how many, for which package, then a preview of the exact request (one
 * specification per code, none with external_user_id) and its cost, then one send. The client key was minted when
 * the page rendered: submitting this form twice finds the same intent and sends nothing again.
 */
export function PromoCodeForm(props: {
  clientKey: string;
  catalog: PromoCatalogOption[];
  locales: readonly string[];
  packageTypes: readonly string[];
  maxCodes: number;
  today: string;
}) {
  const router = useRouter();
  const [clientKey, setClientKey] = useState(props.clientKey);
  const [codes, setCodes] = useState("10");
  const [destination, setDestination] = useState("");
  const [packageType, setPackageType] = useState("data-limited");
  const [size, setSize] = useState("1GB");
  const [departureDate, setDepartureDate] = useState(props.today);
  const [locale, setLocale] = useState("");
  const [customBranding, setCustomBranding] = useState("");
  const [phase, setPhase] = useState<"edit" | "preview">("edit");
  const [errors, setErrors] = useState<{ message?: string; fields: FieldErrors }>({ fields: {} });

  const [previewState, previewAction, previewing] = useActionState<
    ActionResult<PromoPreviewData | PromoInvalidData> | null,
    FormData
  >(async (previous, form) => {
    const result = await previewPromoCodesAction(previous, form);
    if (!result.ok) setErrors({ message: result.message, fields: result.fieldErrors ?? {} });
    else if (result.data.outcome === "invalid")
      setErrors({ message: result.data.message, fields: result.data.fieldErrors });
    else {
      setErrors({ fields: {} });
      setPhase("preview");
    }
    return result;
  }, null);
  const [, sendAction, sending] = useActionState<ActionResult<PromoSentData | PromoInvalidData> | null, FormData>(
    async (previous, form) => {
      const result = await sendPromoCodesAction(previous, form);
      if (!result.ok) {
        setErrors({ message: result.message, fields: result.fieldErrors ?? {} });
        setPhase("edit");
        return result;
      }
      const data = result.data;
      if (data.outcome === "invalid" || data.outcome === "failed") {
        setErrors({ message: data.message, fields: data.fieldErrors ?? {} });
        if (data.outcome === "failed" && data.nextClientKey) setClientKey(data.nextClientKey);
        setPhase("edit");
      } else if (data.outcome === "sent") {
        toast.success(data.message);
        router.push(`/promo-codes?intent=${data.intentId}`);
      } else {
        toast.warning(data.message);
        router.push(`/bookings/${data.intentId}`);
      }
      return result;
    },
    null,
  );

  const option = props.catalog.find((entry) => entry.id === destination);
  const sizes = packageType === "unlimited" ? [] : (option?.sizes[packageType] ?? []);
  const field = (key: string) => errors.fields[key];
  const editing = phase === "edit";
  const busy = previewing || sending;
  const preview = previewState?.ok && previewState.data.outcome === "preview" ? previewState.data : null;
  const specs = JSON.stringify([
    { destinations: destination ? [destination] : [], packageType, ...(packageType === "unlimited" ? {} : { size }) },
  ]);

  // Submitted through onSubmit, not form actions: React resets a form after its action runs, which would put the
  // selects back on their first options while the preview is open (see booking-form.tsx).
  function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const step = (event.nativeEvent as SubmitEvent).submitter?.getAttribute("data-step");
    startTransition(() => (step === "send" ? sendAction(form) : previewAction(form)));
  }

  return (
    <form className="flex max-w-4xl flex-col gap-5" data-testid="promo-code-form" onSubmit={submit}>
      <input type="hidden" name="clientKey" value={clientKey} />
      <input type="hidden" name="codes" value={codes} />
      <input type="hidden" name="specs" value={specs} />
      <input type="hidden" name="departureDate" value={departureDate} />
      <input type="hidden" name="locale" value={locale} />
      <input type="hidden" name="customBranding" value={customBranding} />

      <fieldset disabled={!editing || busy} className="flex flex-col gap-5">
        <div className="grid gap-3 sm:grid-cols-4">
          <Labelled id="pc-codes" label="Number of codes" hint={`1 to ${props.maxCodes}; more in a campaign file.`}>
            <Input
              id="pc-codes"
              type="number"
              min={1}
              max={props.maxCodes}
              value={codes}
              onChange={(event) => setCodes(event.target.value)}
              aria-invalid={field("codes") ? true : undefined}
            />
            <ErrorText id="codes" errors={field("codes")} />
          </Labelled>
          <Labelled id="pc-destination" label="Destination">
            <Select
              id="pc-destination"
              value={destination}
              onChange={(event) => setDestination(event.target.value)}
              aria-invalid={field("specs.0.destinations") ? true : undefined}
            >
              <option value="">Choose…</option>
              {(["country", "region"] as const).map((kind) => (
                <optgroup key={kind} label={kind === "country" ? "Countries" : "Regions"}>
                  {props.catalog
                    .filter((entry) => entry.kind === kind)
                    .map((entry) => (
                      <option key={entry.id} value={entry.id}>
                        {entry.flag} {entry.name} ({entry.id})
                      </option>
                    ))}
                </optgroup>
              ))}
            </Select>
            <ErrorText id="specs.0.destinations" errors={field("specs.0.destinations") ?? field("specs")} />
          </Labelled>
          <Labelled id="pc-type" label="Package type">
            <Select id="pc-type" value={packageType} onChange={(event) => setPackageType(event.target.value)}>
              {props.packageTypes.map((type) => (
                <option key={type} value={type}>
                  {TYPE_LABELS[type] ?? type}
                </option>
              ))}
            </Select>
            <ErrorText id="specs.0.packageType" errors={field("specs.0.packageType")} />
          </Labelled>
          <Labelled id="pc-size" label="Size">
            <Select
              id="pc-size"
              value={packageType === "unlimited" ? "" : size}
              disabled={packageType === "unlimited"}
              onChange={(event) => setSize(event.target.value)}
            >
              {packageType === "unlimited" ? (
                <option value="">No data cap</option>
              ) : (
                <>
                  {!sizes.includes(size) && <option value={size}>{size}</option>}
                  {sizes.map((entry) => (
                    <option key={entry} value={entry}>
                      {entry}
                    </option>
                  ))}
                </>
              )}
            </Select>
            <ErrorText id="specs.0.size" errors={field("specs.0.size")} />
          </Labelled>
        </div>

        <div className="grid gap-3 sm:grid-cols-3">
          <Labelled
            id="pc-date"
            label="Departure date"
            hint="Hubby asks every booking for one; today unless the trip's date is known."
          >
            <Input
              id="pc-date"
              type="date"
              value={departureDate}
              min={props.today}
              onChange={(event) => setDepartureDate(event.target.value)}
              aria-invalid={field("departureDate") ? true : undefined}
            />
            <ErrorText id="departureDate" errors={field("departureDate")} />
          </Labelled>
          <Labelled id="pc-locale" label="Locale (claim page language)">
            <Select id="pc-locale" value={locale} onChange={(event) => setLocale(event.target.value)}>
              <option value="">Partner default</option>
              {props.locales.map((code) => (
                <option key={code} value={code}>
                  {code}
                </option>
              ))}
            </Select>
            <ErrorText id="locale" errors={field("locale")} />
          </Labelled>
          <Labelled id="pc-branding" label="custom_branding key (optional)">
            <Input
              id="pc-branding"
              value={customBranding}
              onChange={(event) => setCustomBranding(event.target.value)}
              placeholder="brand_luxury_travel"
            />
            <ErrorText id="customBranding" errors={field("customBranding")} />
          </Labelled>
        </div>
      </fieldset>

      {errors.message && (
        <p role="alert" className="text-sm text-destructive" data-testid="form-error">
          {errors.message}
          {field("form") ? ` ${field("form")!.join(" ")}` : ""}
        </p>
      )}

      {editing ? (
        <div>
          <Button type="submit" data-step="preview" disabled={busy}>
            {previewing ? "Preparing preview…" : "Preview"}
          </Button>
        </div>
      ) : (
        preview && (
          <PromoPreview preview={preview}>
            <div className="flex gap-2">
              <Button type="submit" data-step="send" disabled={busy} data-testid="send-promo-codes">
                {sending ? "Sending…" : `Issue ${preview.codes} promo code${preview.codes === 1 ? "" : "s"}`}
              </Button>
              <Button type="button" variant="outline" disabled={busy} onClick={() => setPhase("edit")}>
                Edit
              </Button>
            </div>
          </PromoPreview>
        )
      )}
    </form>
  );
}

function PromoPreview({ preview, children }: { preview: PromoPreviewData; children: React.ReactNode }) {
  const money = (cents: number) => formatMoney(cents, preview.quote.currency);
  const spec = preview.quote.specs[0];
  return (
    <section
      className="flex flex-col gap-3 rounded-lg border p-4"
      aria-labelledby="promo-preview-heading"
      data-testid="preview"
    >
      <h2 id="promo-preview-heading" className="text-sm font-semibold">
        Preview: nothing has been sent yet
      </h2>
      <table className="w-full text-sm">
        <thead>
          <tr className="text-left text-muted-foreground">
            <th className="py-1">Each code</th>
            <th className="text-right">B2B cost</th>
            <th className="text-right">B2C price</th>
          </tr>
        </thead>
        <tbody>
          {spec?.ok &&
            spec.bundles.map((bundle) => (
              <tr key={bundle.bundleId} className="border-t">
                <td className="py-1">
                  {bundle.destinationName} · {bundle.label} {bundle.type}
                  {bundle.durationDays ? `, ${bundle.durationDays} days` : ""}{" "}
                  <span className="font-mono text-xs text-muted-foreground">{bundle.bundleId}</span>
                </td>
                <td className="text-right">{money(bundle.b2bCents)}</td>
                <td className="text-right">{money(bundle.b2cCents)}</td>
              </tr>
            ))}
          <tr className="border-t font-semibold">
            <td className="py-1">
              Total for {preview.codes} code{preview.codes === 1 ? "" : "s"}
            </td>
            <td className="text-right" data-testid="total-cost">
              {money(preview.quote.total.costCents)}
            </td>
            <td className="text-right">{money(preview.quote.total.priceCents)}</td>
          </tr>
        </tbody>
      </table>
      <p className="text-xs text-muted-foreground">
        Prices from the cached catalog; Hubby&apos;s routing and invoice have the last word.
      </p>
      <details open>
        <summary className="cursor-pointer text-sm font-medium">Exact request: POST /api/bookings</summary>
        <pre className="mt-2 max-h-96 overflow-auto rounded-md bg-muted p-3 text-xs" data-testid="request-json">
          {JSON.stringify(preview.request, null, 2)}
        </pre>
      </details>
      {children}
    </section>
  );
}
