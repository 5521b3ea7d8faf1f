"use client";
import { useMemo, useState, useSyncExternalStore } from "react";
import { AlertTriangle } from "lucide-react";
import { newPackageChoice, packageView, type DestinationOption, type PackageChoice } from "@/lib/bookings/offers";
import { departureSoonAfter } from "@/lib/bookings/departure";
import { Button } from "@/components/ui/button";
import { Input, Select } from "@/components/ui/input";
import { previewBookingAction, sendBookingAction } from "./actions";
import { ErrorText, Labelled, LocaleAndBranding } from "./form-parts";
import { PackageFields } from "./package-fields";
import { BookingPreview } from "./preview";
import { TwoStepFooter, useTwoStepForm } from "./two-step-form";

const subscribeToNothing = () => () => {};

/**
 * The booking form: travelers, packages from the catalog, departure with its time zone, locale and branding; then
 * a preview of the exact request and its cost; then one send (useTwoStepForm: the client key, the two steps).
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
  const topUp = props.kind === "top_up";
  const form = useTwoStepForm({
    clientKey: props.clientKey,
    preview: previewBookingAction,
    send: sendBookingAction,
    hrefAfterSend: (sent) => `/bookings/${sent.intentId}`,
  });
  const [travelers, setTravelers] = useState(props.initialTravelers);
  const [choices, setChoices] = useState<PackageChoice[]>(() => [
    newPackageChoice(props.initialDestination ? [props.initialDestination] : []),
  ]);
  const [departure, setDeparture] = useState<{ date: string; time: string } | null>(null);
  const [chosenZone, setChosenZone] = useState<string | null>(null);
  const [locale, setLocale] = useState("");
  const [customBranding, setCustomBranding] = useState("");
  const [reason, setReason] = useState("");

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
  const field = form.field;

  function updateChoice(index: number, change: Partial<PackageChoice>) {
    setChoices((current) => current.map((choice, i) => (i === index ? { ...choice, ...change } : choice)));
  }

  return (
    <form className="flex max-w-4xl flex-col gap-5" data-testid="booking-form" onSubmit={form.submit}>
      <input type="hidden" name="clientKey" value={form.clientKey} />
      <input type="hidden" name="kind" value={props.kind} />
      <input type="hidden" name="travelers" value={travelers} />
      <input type="hidden" name="specs" value={JSON.stringify(views.map((view) => view.spec))} />
      <input type="hidden" name="departureDate" value={departureDate} />
      <input type="hidden" name="departureTime" value={departureTime} />
      <input type="hidden" name="timeZone" value={timeZone} />
      <input type="hidden" name="locale" value={locale} />
      <input type="hidden" name="customBranding" value={customBranding} />
      <input type="hidden" name="reason" value={reason} />

      <fieldset disabled={!form.editing || form.busy} className="flex flex-col gap-5">
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
          <LocaleAndBranding
            idPrefix="bk"
            localeLabel="Locale (WebView language)"
            locale={locale}
            onLocale={setLocale}
            localeGroups={[
              { label: "Languages (Hubby picks the region)", codes: props.languages },
              { label: "Locales", codes: props.locales },
            ]}
            branding={customBranding}
            onBranding={setCustomBranding}
            errors={field}
          />
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

      <TwoStepFooter
        form={form}
        sendTestId="send-booking"
        sendLabel={() => (topUp ? "Send top-up" : "Send booking")}
        renderPreview={(preview, buttons) => <BookingPreview preview={preview} buttons={buttons} />}
      />
    </form>
  );
}
