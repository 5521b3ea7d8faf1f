"use client";
import { useState } from "react";
import { Input, Select } from "@/components/ui/input";
import { DestinationSelect, ErrorText, Labelled, LocaleAndBranding, TYPE_LABELS } from "./form-parts";
import { PromoPreview } from "./preview";
import { previewPromoCodesAction, sendPromoCodesAction } from "./promo-actions";
import { TwoStepFooter, useTwoStepForm } from "./two-step-form";

export type PromoCatalogOption = {
  id: string;
  name: string;
  kind: "country" | "region";
  flag: string;
  /** Package type → the sizes this destination sells, smallest first ([] for unlimited). */
  sizes: Record<string, string[]>;
};

/**
 * Promo codes without a traveler: how many, for which package, then a preview of the exact request (one
 * specification per code, none with external_user_id) and its cost, then one send. The client key was minted when
 * the page rendered: submitting this form twice finds the same intent and sends nothing again (useTwoStepForm).
 */
export function PromoCodeForm(props: {
  clientKey: string;
  catalog: PromoCatalogOption[];
  locales: readonly string[];
  packageTypes: readonly string[];
  maxCodes: number;
  today: string;
}) {
  const form = useTwoStepForm({
    clientKey: props.clientKey,
    preview: previewPromoCodesAction,
    send: sendPromoCodesAction,
    // The codes are listed on /promo-codes; a booking whose reply was lost is settled on its own page.
    hrefAfterSend: (sent) =>
      sent.outcome === "sent" ? `/promo-codes?intent=${sent.intentId}` : `/bookings/${sent.intentId}`,
  });
  const [codes, setCodes] = useState("10");
  const [destination, setDestination] = useState("");
  const [packageType, setPackageType] = useState("data-limited");
  const [size, setSize] = useState("1GB");
  const [departureDate, setDepartureDate] = useState(props.today);
  const [locale, setLocale] = useState("");
  const [customBranding, setCustomBranding] = useState("");

  const option = props.catalog.find((entry) => entry.id === destination);
  const sizes = packageType === "unlimited" ? [] : (option?.sizes[packageType] ?? []);
  const field = form.field;
  const specs = JSON.stringify([
    { destinations: destination ? [destination] : [], packageType, ...(packageType === "unlimited" ? {} : { size }) },
  ]);

  return (
    <form className="flex max-w-4xl flex-col gap-5" data-testid="promo-code-form" onSubmit={form.submit}>
      <input type="hidden" name="clientKey" value={form.clientKey} />
      <input type="hidden" name="codes" value={codes} />
      <input type="hidden" name="specs" value={specs} />
      <input type="hidden" name="departureDate" value={departureDate} />
      <input type="hidden" name="locale" value={locale} />
      <input type="hidden" name="customBranding" value={customBranding} />

      <fieldset disabled={!form.editing || form.busy} className="flex flex-col gap-5">
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
            <DestinationSelect
              id="pc-destination"
              value={destination}
              placeholder="Choose…"
              catalog={props.catalog}
              onChange={setDestination}
              invalid={field("specs.0.destinations") !== undefined}
            />
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
          <LocaleAndBranding
            idPrefix="pc"
            localeLabel="Locale (claim page language)"
            locale={locale}
            onLocale={setLocale}
            localeGroups={[{ codes: props.locales }]}
            branding={customBranding}
            onBranding={setCustomBranding}
            errors={field}
          />
        </div>
      </fieldset>

      <TwoStepFooter
        form={form}
        sendTestId="send-promo-codes"
        sendLabel={(preview) => `Issue ${preview.codes} promo code${preview.codes === 1 ? "" : "s"}`}
        renderPreview={(preview, buttons) => <PromoPreview preview={preview} buttons={buttons} />}
      />
    </form>
  );
}
