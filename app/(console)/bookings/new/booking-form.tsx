"use client";
import { useActionState, useMemo, useState, useSyncExternalStore } from "react";
import { useRouter } from "next/navigation";
import { AlertTriangle, X } from "lucide-react";
import { toast } from "sonner";
import type { ActionResult, FieldErrors } from "@/lib/actions";
import { formatMoney } from "@/lib/bookings/quote";
import { Button } from "@/components/ui/button";
import { Input, Select } from "@/components/ui/input";
import { previewBookingAction, sendBookingAction, type InvalidData, type PreviewData, type SentData } from "./actions";

export type CatalogOption = {
  id: string;
  name: string;
  kind: "country" | "region";
  flag: string;
  /** Package type → the sizes this destination sells, smallest first ([] for unlimited). */
  sizes: Record<string, string[]>;
};

const subscribeToNothing = () => () => {};

type Spec = { destinations: string[]; packageType: string; size: string };

const TYPE_LABELS: Record<string, string> = {
  "data-limited": "Data-limited (default)",
  starter: "Starter",
  unlimited: "Unlimited (fair use)",
  "time-limited": "Time-limited (deprecated)",
};

function ErrorText({ id, errors }: { id: string; errors?: string[] }) {
  if (!errors?.length) return null;
  return (
    <p id={id} className="text-xs text-destructive" data-testid={`error-${id}`}>
      {errors.join(" ")}
    </p>
  );
}

function Labelled({
  id,
  label,
  children,
  hint,
}: {
  id: string;
  label: string;
  children: React.ReactNode;
  hint?: string;
}) {
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium">
        {label}
      </label>
      {children}
      {hint && <p className="text-xs text-muted-foreground">{hint}</p>}
    </div>
  );
}

/**
 * The booking form: travelers, package specifications from the catalog, departure with its time zone, locale and
 * branding; then a preview of the exact request and its cost; then one send. The client key was minted when the
 * page rendered: submitting this form twice (double click, a second tab) finds the same intent.
 */
export function BookingForm(props: {
  clientKey: string;
  kind: "issue" | "top_up";
  catalog: CatalogOption[];
  locales: readonly string[];
  timeZones: string[];
  initialTravelers: string;
  packageTypes: readonly string[];
  limitNote?: string;
}) {
  const router = useRouter();
  const topUp = props.kind === "top_up";
  const [clientKey, setClientKey] = useState(props.clientKey);
  const [travelers, setTravelers] = useState(props.initialTravelers);
  const [specs, setSpecs] = useState<Spec[]>([{ destinations: [], packageType: "data-limited", size: "1GB" }]);
  const [departureDate, setDepartureDate] = useState("");
  const [departureTime, setDepartureTime] = useState("");
  const [chosenZone, setChosenZone] = useState<string | null>(null);
  const [locale, setLocale] = useState("");
  const [customBranding, setCustomBranding] = useState("");
  const [reason, setReason] = useState("");
  const [phase, setPhase] = useState<"edit" | "preview">("edit");
  const [errors, setErrors] = useState<{ message?: string; fields: FieldErrors }>({ fields: {} });

  // Outcomes are handled where the action returns (not in effects), so each result updates the form once.
  const [previewState, previewAction, previewing] = useActionState<
    ActionResult<PreviewData | InvalidData> | null,
    FormData
  >(async (previous, form) => {
    const result = await previewBookingAction(previous, form);
    if (!result.ok) setErrors({ message: result.message, fields: result.fieldErrors ?? {} });
    else if (result.data.outcome === "invalid")
      setErrors({ message: result.data.message, fields: result.data.fieldErrors });
    else {
      setErrors({ fields: {} });
      setPhase("preview");
    }
    return result;
  }, null);
  const [, sendAction, sending] = useActionState<ActionResult<SentData | InvalidData> | null, FormData>(
    async (previous, form) => {
      const result = await sendBookingAction(previous, form);
      if (!result.ok) {
        setErrors({ message: result.message, fields: result.fieldErrors ?? {} });
        setPhase("edit");
        return result;
      }
      const data = result.data;
      if (data.outcome === "invalid") {
        setErrors({ message: data.message, fields: data.fieldErrors });
        setPhase("edit");
      } else if (data.outcome === "failed") {
        setErrors({ message: data.message, fields: data.fieldErrors ?? {} });
        if (data.nextClientKey) setClientKey(data.nextClientKey);
        setPhase("edit");
      } else {
        if (data.outcome === "sent") toast.success(data.message);
        else toast.warning(data.message);
        router.push(`/bookings/${data.intentId}`);
      }
      return result;
    },
    null,
  );

  // The browser's zone is the likeliest one; the server render (and hydration) use UTC.
  const browserZone = useSyncExternalStore(
    subscribeToNothing,
    () => Intl.DateTimeFormat().resolvedOptions().timeZone,
    () => "UTC",
  );
  const timeZone = chosenZone ?? (props.timeZones.includes(browserZone) ? browserZone : "UTC");

  const byId = useMemo(() => new Map(props.catalog.map((option) => [option.id, option])), [props.catalog]);
  const editing = phase === "edit";
  const field = (key: string) => errors.fields[key];

  function updateSpec(index: number, change: Partial<Spec>) {
    setSpecs((current) => current.map((spec, i) => (i === index ? { ...spec, ...change } : spec)));
  }

  function sizesFor(spec: Spec): string[] {
    if (spec.packageType === "unlimited") return [];
    const lists = spec.destinations.map((id) => byId.get(id)?.sizes[spec.packageType] ?? []);
    if (lists.length === 0) return [];
    return lists.reduce((common, list) => common.filter((size) => list.includes(size)));
  }

  const preview = previewState?.ok && previewState.data.outcome === "preview" ? previewState.data : null;
  const busy = previewing || sending;

  return (
    <form className="flex max-w-4xl flex-col gap-5" data-testid="booking-form">
      <input type="hidden" name="clientKey" value={clientKey} />
      <input type="hidden" name="kind" value={props.kind} />
      <input type="hidden" name="travelers" value={travelers} />
      <input type="hidden" name="specs" value={JSON.stringify(specs)} />
      <input type="hidden" name="departureDate" value={departureDate} />
      <input type="hidden" name="departureTime" value={departureTime} />
      <input type="hidden" name="timeZone" value={timeZone} />
      <input type="hidden" name="locale" value={locale} />
      <input type="hidden" name="customBranding" value={customBranding} />
      <input type="hidden" name="reason" value={reason} />

      <fieldset disabled={!editing || busy} className="flex flex-col gap-5">
        <Labelled
          id="bk-travelers"
          label={topUp ? "Traveler (external_user_id)" : "Travelers (external_user_id, one per line)"}
          hint={topUp ? "An existing traveler: known to the console or to Hubby." : undefined}
        >
          {topUp ? (
            <Input
              id="bk-travelers"
              value={travelers}
              onChange={(event) => setTravelers(event.target.value)}
              aria-invalid={field("travelers") ? true : undefined}
            />
          ) : (
            <textarea
              id="bk-travelers"
              rows={3}
              value={travelers}
              onChange={(event) => setTravelers(event.target.value)}
              aria-invalid={field("travelers") ? true : undefined}
              className="rounded-md border bg-background px-3 py-2 font-mono text-sm"
            />
          )}
          <ErrorText id="travelers" errors={field("travelers")} />
        </Labelled>

        <section className="flex flex-col gap-3" aria-labelledby="bk-packages">
          <h2 id="bk-packages" className="text-sm font-semibold">
            Packages
          </h2>
          <p className="text-xs text-muted-foreground">
            Every traveler gets every package. Several destinations in one package are one multi-destination package:
            Hubby covers them with the fewest bundles (a regional bundle where it is cheaper).
          </p>
          {specs.map((spec, index) => {
            const sizes = sizesFor(spec);
            return (
              <div key={index} className="flex flex-col gap-3 rounded-lg border p-3" data-testid={`spec-${index}`}>
                <div className="flex items-center justify-between">
                  <span className="text-sm font-medium">Package {index + 1}</span>
                  {specs.length > 1 && (
                    <Button
                      type="button"
                      variant="ghost"
                      size="sm"
                      onClick={() => setSpecs((current) => current.filter((_, i) => i !== index))}
                    >
                      Remove
                    </Button>
                  )}
                </div>
                <div className="flex flex-wrap gap-2" aria-label={`Destinations of package ${index + 1}`}>
                  {spec.destinations.map((id) => (
                    <span key={id} className="inline-flex items-center gap-1 rounded-full bg-muted px-2 py-0.5 text-sm">
                      {byId.get(id)?.flag} {byId.get(id)?.name ?? id} <span className="font-mono text-xs">{id}</span>
                      <button
                        type="button"
                        aria-label={`Remove ${id}`}
                        onClick={() => updateSpec(index, { destinations: spec.destinations.filter((d) => d !== id) })}
                      >
                        <X className="h-3 w-3" aria-hidden />
                      </button>
                    </span>
                  ))}
                </div>
                <div className="grid gap-3 sm:grid-cols-3">
                  <Labelled id={`bk-spec-${index}-destination`} label="Add destination">
                    <Select
                      id={`bk-spec-${index}-destination`}
                      value=""
                      onChange={(event) => {
                        const id = event.target.value;
                        if (id && !spec.destinations.includes(id)) {
                          updateSpec(index, { destinations: [...spec.destinations, id] });
                        }
                      }}
                    >
                      <option value="">Choose…</option>
                      {(["country", "region"] as const).map((kind) => (
                        <optgroup key={kind} label={kind === "country" ? "Countries" : "Regions"}>
                          {props.catalog
                            .filter((option) => option.kind === kind)
                            .map((option) => (
                              <option key={option.id} value={option.id}>
                                {option.flag} {option.name} ({option.id})
                              </option>
                            ))}
                        </optgroup>
                      ))}
                    </Select>
                    <ErrorText id={`specs.${index}.destinations`} errors={field(`specs.${index}.destinations`)} />
                  </Labelled>
                  <Labelled id={`bk-spec-${index}-type`} label="Package type">
                    <Select
                      id={`bk-spec-${index}-type`}
                      value={spec.packageType}
                      onChange={(event) => updateSpec(index, { packageType: event.target.value })}
                    >
                      {props.packageTypes.map((type) => (
                        <option key={type} value={type}>
                          {TYPE_LABELS[type] ?? type}
                        </option>
                      ))}
                    </Select>
                    <ErrorText id={`specs.${index}.packageType`} errors={field(`specs.${index}.packageType`)} />
                  </Labelled>
                  <Labelled id={`bk-spec-${index}-size`} label="Size">
                    <Select
                      id={`bk-spec-${index}-size`}
                      value={spec.packageType === "unlimited" ? "" : spec.size}
                      disabled={spec.packageType === "unlimited"}
                      onChange={(event) => updateSpec(index, { size: event.target.value })}
                    >
                      {spec.packageType === "unlimited" ? (
                        <option value="">No data cap</option>
                      ) : (
                        <>
                          {!sizes.includes(spec.size) && <option value={spec.size}>{spec.size}</option>}
                          {sizes.map((size) => (
                            <option key={size} value={size}>
                              {size}
                            </option>
                          ))}
                        </>
                      )}
                    </Select>
                    <ErrorText id={`specs.${index}.size`} errors={field(`specs.${index}.size`)} />
                  </Labelled>
                </div>
              </div>
            );
          })}
          <ErrorText id="specs" errors={field("specs")} />
          <div>
            <Button
              type="button"
              variant="outline"
              size="sm"
              onClick={() =>
                setSpecs((current) => [...current, { destinations: [], packageType: "data-limited", size: "1GB" }])
              }
            >
              Add package
            </Button>
          </div>
        </section>

        <div className="grid gap-3 sm:grid-cols-3">
          <Labelled id="bk-date" label="Departure date">
            <Input
              id="bk-date"
              type="date"
              value={departureDate}
              onChange={(event) => setDepartureDate(event.target.value)}
              aria-invalid={field("departureDate") ? true : undefined}
            />
            <ErrorText id="departureDate" errors={field("departureDate")} />
          </Labelled>
          <Labelled id="bk-time" label="Departure time (optional)">
            <Input
              id="bk-time"
              type="time"
              value={departureTime}
              onChange={(event) => setDepartureTime(event.target.value)}
            />
            <ErrorText id="departureTime" errors={field("departureTime")} />
          </Labelled>
          <Labelled id="bk-zone" label="Time zone">
            <Select id="bk-zone" value={timeZone} onChange={(event) => setChosenZone(event.target.value)}>
              {props.timeZones.map((zone) => (
                <option key={zone} value={zone}>
                  {zone}
                </option>
              ))}
            </Select>
            <ErrorText id="timeZone" errors={field("timeZone")} />
          </Labelled>
        </div>
        {departureDate && !departureTime && (
          <p className="flex items-center gap-2 text-sm text-amber-800 dark:text-amber-200" role="note">
            <AlertTriangle className="h-4 w-4" aria-hidden />A date without a time disables Hubby&apos;s
            booking.about_to_depart reminder. Add the departure time if you know it.
          </p>
        )}

        <div className="grid gap-3 sm:grid-cols-2">
          <Labelled id="bk-locale" label="Locale (WebView language)">
            <Select id="bk-locale" value={locale} onChange={(event) => setLocale(event.target.value)}>
              <option value="">Partner default</option>
              {props.locales.map((code) => (
                <option key={code} value={code}>
                  {code}
                </option>
              ))}
            </Select>
            <ErrorText id="locale" errors={field("locale")} />
          </Labelled>
          <Labelled id="bk-branding" label="custom_branding key (optional)">
            <Input
              id="bk-branding"
              value={customBranding}
              onChange={(event) => setCustomBranding(event.target.value)}
              placeholder="brand_luxury_travel"
            />
            <ErrorText id="customBranding" errors={field("customBranding")} />
          </Labelled>
        </div>

        {topUp && (
          <Labelled id="bk-reason" label="Reason (required)" hint={props.limitNote}>
            <Input
              id="bk-reason"
              value={reason}
              onChange={(event) => setReason(event.target.value)}
              placeholder="Ticket #1234: ran out of data in Rome"
              aria-invalid={field("reason") ? true : undefined}
            />
            <ErrorText id="reason" errors={field("reason")} />
          </Labelled>
        )}
      </fieldset>

      {errors.message && (
        <p role="alert" className="text-sm text-destructive" data-testid="form-error">
          {errors.message}
          {field("form") ? ` ${field("form")!.join(" ")}` : ""}
        </p>
      )}

      {editing ? (
        <div>
          <Button type="submit" formAction={previewAction} disabled={busy}>
            {previewing ? "Preparing preview…" : "Preview"}
          </Button>
        </div>
      ) : (
        preview && (
          <Preview preview={preview}>
            <div className="flex gap-2">
              <Button type="submit" formAction={sendAction} disabled={busy} data-testid="send-booking">
                {sending ? "Sending…" : topUp ? "Send top-up" : "Send booking"}
              </Button>
              <Button type="button" variant="outline" disabled={busy} onClick={() => setPhase("edit")}>
                Edit
              </Button>
            </div>
          </Preview>
        )
      )}
    </form>
  );
}

function Preview({ preview, children }: { preview: PreviewData; children: React.ReactNode }) {
  const money = (cents: number) => formatMoney(cents, preview.quote.currency);
  return (
    <section
      className="flex flex-col gap-3 rounded-lg border p-4"
      aria-labelledby="preview-heading"
      data-testid="preview"
    >
      <h2 id="preview-heading" className="text-sm font-semibold">
        Preview: nothing has been sent yet
      </h2>
      {preview.warnings.map((warning) => (
        <p
          key={warning}
          role="alert"
          className="flex items-center gap-2 rounded-md bg-amber-100 p-2 text-sm text-amber-900 dark:bg-amber-900/40 dark:text-amber-100"
        >
          <AlertTriangle className="h-4 w-4 shrink-0" aria-hidden />
          {warning}
        </p>
      ))}
      <table className="w-full text-sm">
        <thead>
          <tr className="text-left text-muted-foreground">
            <th className="py-1">Package</th>
            <th>Bundle it should map to</th>
            <th className="text-right">B2B cost</th>
            <th className="text-right">B2C price</th>
          </tr>
        </thead>
        <tbody>
          {preview.quote.specs.map((spec, index) =>
            spec.ok
              ? spec.bundles.map((bundle) => (
                  <tr key={`${index}-${bundle.bundleId}`} className="border-t">
                    <td className="py-1">{index + 1}</td>
                    <td>
                      {bundle.destinationName} · {bundle.label} {bundle.type}
                      {bundle.durationDays ? `, ${bundle.durationDays} days` : ""}{" "}
                      <span className="font-mono text-xs text-muted-foreground">{bundle.bundleId}</span>
                    </td>
                    <td className="text-right">{money(bundle.b2bCents)}</td>
                    <td className="text-right">{money(bundle.b2cCents)}</td>
                  </tr>
                ))
              : null,
          )}
          <tr className="border-t font-medium">
            <td className="py-1" colSpan={2}>
              Per traveler
            </td>
            <td className="text-right">{money(preview.quote.perTraveler.costCents)}</td>
            <td className="text-right">{money(preview.quote.perTraveler.priceCents)}</td>
          </tr>
          <tr className="border-t font-semibold">
            <td className="py-1" colSpan={2}>
              Total for {preview.travelers} traveler{preview.travelers === 1 ? "" : "s"}
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
