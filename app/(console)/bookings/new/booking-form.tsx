"use client";
import { startTransition, useActionState, useMemo, useState, useSyncExternalStore } from "react";
import { useRouter } from "next/navigation";
import { AlertTriangle } from "lucide-react";
import { toast } from "sonner";
import type { ActionResult, FieldErrors } from "@/lib/actions";
import { newPackageChoice, packageView, type DestinationOption, type PackageChoice } from "@/lib/bookings/offers";
import { departureSoonAfter } from "@/lib/bookings/request";
import { Button } from "@/components/ui/button";
import { Input, Select } from "@/components/ui/input";
import { previewBookingAction, sendBookingAction, type InvalidData, type PreviewData, type SentData } from "./actions";
import { ErrorText, Labelled } from "./form-parts";
import { PackageFields } from "./package-fields";
import { Preview } from "./preview";

const subscribeToNothing = () => () => {};

/**
 * The booking form: travelers, packages from the catalog, departure with its time zone, locale and branding; then
 * a preview of the exact request and its cost; then one send. The client key was minted when the page rendered:
 * submitting this form twice (double click, a second tab) finds the same intent.
 *
 * Submitting goes through onSubmit, not a form action: React resets a form after its action runs, and a reset puts
 * every controlled <select> back on its first option (React marks no option as the default of a controlled select),
 * so the fields showed 1GB / UTC / partner default beside a preview of something else.
 */
export function BookingForm(props: {
  clientKey: string;
  kind: "issue" | "top_up";
  catalog: DestinationOption[];
  languages: readonly string[];
  locales: readonly string[];
  timeZones: string[];
  initialTravelers: string;
  /** A top-up's traveler's current destination (catalog id), preselected in the first package. */
  initialDestination: string | null;
  /** The traveler's time zone when it is known (their current destination's). */
  initialTimeZone: string | null;
  /** Set for top-ups: the departure starts as the next quarter hour after this instant, in the form's zone. */
  departSoonAfter: number | null;
  packageTypes: readonly string[];
  limitNote?: string;
}) {
  const router = useRouter();
  const topUp = props.kind === "top_up";
  const [clientKey, setClientKey] = useState(props.clientKey);
  const [travelers, setTravelers] = useState(props.initialTravelers);
  const [choices, setChoices] = useState<PackageChoice[]>(() => [
    newPackageChoice(props.initialDestination ? [props.initialDestination] : []),
  ]);
  const [departure, setDeparture] = useState<{ date: string; time: string } | null>(null);
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

  // The traveler's zone when known, else the browser's (the likeliest one); the server render uses UTC.
  const browserZone = useSyncExternalStore(
    subscribeToNothing,
    () => Intl.DateTimeFormat().resolvedOptions().timeZone,
    () => "UTC",
  );
  const timeZone = chosenZone ?? props.initialTimeZone ?? (props.timeZones.includes(browserZone) ? browserZone : "UTC");
  // Until staff type a departure, a top-up departs at the next quarter hour on the chosen zone's clock.
  const suggested =
    props.departSoonAfter === null ? { date: "", time: "" } : departureSoonAfter(timeZone, props.departSoonAfter);
  const { date: departureDate, time: departureTime } = departure ?? suggested;

  const byId = useMemo(() => new Map(props.catalog.map((option) => [option.id, option])), [props.catalog]);
  const views = choices.map((choice) => packageView(choice, byId, props.packageTypes));
  const editing = phase === "edit";
  const field = (key: string) => errors.fields[key];
  const preview =
    phase === "preview" && previewState?.ok && previewState.data.outcome === "preview" ? previewState.data : null;
  const busy = previewing || sending;

  function updateChoice(index: number, change: Partial<PackageChoice>) {
    setChoices((current) => current.map((choice, i) => (i === index ? { ...choice, ...change } : choice)));
  }

  function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const step = (event.nativeEvent as SubmitEvent).submitter?.getAttribute("data-step");
    startTransition(() => (step === "send" ? sendAction(form) : previewAction(form)));
  }

  return (
    <form className="flex max-w-4xl flex-col gap-5" data-testid="booking-form" onSubmit={submit}>
      <input type="hidden" name="clientKey" value={clientKey} />
      <input type="hidden" name="kind" value={props.kind} />
      <input type="hidden" name="travelers" value={travelers} />
      <input type="hidden" name="specs" value={JSON.stringify(views.map((view) => view.spec))} />
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
            Every traveler gets every package. Sizes and durations are the ones the catalog&apos;s bundles sell. Several
            destinations in one package are one multi-destination package: Hubby covers them with the fewest bundles (a
            regional bundle where it is cheaper). A bundle picked from the catalog is sent as its package_id.
            {topUp && props.initialDestination
              ? ` The traveler's current destination (${byId.get(props.initialDestination)?.name ?? props.initialDestination}) is preselected.`
              : ""}
          </p>
          {choices.map((choice, index) => (
            <PackageFields
              key={index}
              index={index}
              choice={choice}
              view={views[index]!}
              catalog={props.catalog}
              byId={byId}
              packageTypes={props.packageTypes}
              removable={choices.length > 1}
              errors={field}
              onChange={(change) => updateChoice(index, change)}
              onRemove={() => setChoices((current) => current.filter((_, i) => i !== index))}
            />
          ))}
          <ErrorText id="specs" errors={field("specs")} />
          <div>
            <Button
              type="button"
              variant="outline"
              size="sm"
              onClick={() => setChoices((current) => [...current, newPackageChoice()])}
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
              onChange={(event) => setDeparture({ date: event.target.value, time: departureTime })}
              aria-invalid={field("departureDate") ? true : undefined}
            />
            <ErrorText id="departureDate" errors={field("departureDate")} />
          </Labelled>
          <Labelled
            id="bk-time"
            label="Departure time (optional)"
            hint={departure === null && props.departSoonAfter !== null ? "Now (the next quarter hour)." : undefined}
          >
            <Input
              id="bk-time"
              type="time"
              value={departureTime}
              onChange={(event) => setDeparture({ date: departureDate, time: event.target.value })}
              aria-invalid={field("departureTime") ? true : undefined}
            />
            <ErrorText id="departureTime" errors={field("departureTime")} />
          </Labelled>
          <Labelled
            id="bk-zone"
            label="Time zone"
            hint={
              chosenZone === null && props.initialTimeZone
                ? "The traveler's: their current destination's time zone."
                : undefined
            }
          >
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
              <optgroup label="Languages (Hubby picks the region)">
                {props.languages.map((code) => (
                  <option key={code} value={code}>
                    {code}
                  </option>
                ))}
              </optgroup>
              <optgroup label="Locales">
                {props.locales.map((code) => (
                  <option key={code} value={code}>
                    {code}
                  </option>
                ))}
              </optgroup>
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
          <Button type="submit" data-step="preview" disabled={busy}>
            {previewing ? "Preparing preview…" : "Preview"}
          </Button>
        </div>
      ) : (
        preview && (
          <Preview preview={preview}>
            <div className="flex gap-2">
              <Button type="submit" data-step="send" disabled={busy} data-testid="send-booking">
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
