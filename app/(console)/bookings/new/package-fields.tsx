"use client";
import { X } from "lucide-react";
import { formatMoney } from "@/lib/bookings/quote";
import {
  typesSold,
  type BundleOption,
  type DestinationOption,
  type PackageChoice,
  type PackageView,
} from "@/lib/bookings/offers";
import { Button } from "@/components/ui/button";
import { Select } from "@/components/ui/input";
import { DestinationSelect, ErrorText, Labelled, TYPE_LABELS } from "./form-parts";

function bundleText(bundle: BundleOption): string {
  const days = bundle.durationDays === null ? "" : `, ${bundle.durationDays} days`;
  const price = bundle.b2bCents === null ? "" : ` · ${formatMoney(bundle.b2bCents, bundle.currency ?? "EUR")} B2B`;
  return `${bundle.label} ${bundle.type}${days}${price} (${bundle.id})`;
}

/**
 * One package of the booking form: destinations + type + a size and duration the catalog sells, or a bundle picked
 * from the catalog. The selects show `view`, which is also what the form submits.
 */
export function PackageFields(props: {
  index: number;
  choice: PackageChoice;
  view: PackageView;
  catalog: DestinationOption[];
  byId: ReadonlyMap<string, DestinationOption>;
  packageTypes: readonly string[];
  removable: boolean;
  errors: (key: string) => string[] | undefined;
  onChange: (change: Partial<PackageChoice>) => void;
  onRemove: () => void;
}) {
  const { index, choice, view, byId } = props;
  const prefix = `bk-spec-${index}`;
  const key = (name: string) => `specs.${index}.${name}`;
  const sold = typesSold(choice.destinations, byId, props.packageTypes);

  return (
    <div className="flex flex-col gap-3 rounded-lg border p-3" data-testid={`spec-${index}`}>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <span className="text-sm font-medium">Package {index + 1}</span>
        <div
          className="flex items-center gap-4 text-sm"
          role="radiogroup"
          aria-label={`How package ${index + 1} is chosen`}
        >
          {(
            [
              ["catalog", "Destination, size and duration"],
              ["bundle", "A bundle from the catalog"],
            ] as const
          ).map(([mode, label]) => (
            <label key={mode} className="flex items-center gap-1">
              <input
                type="radio"
                checked={choice.mode === mode}
                onChange={() =>
                  props.onChange(
                    mode === "bundle" && !choice.bundleDestination
                      ? { mode, bundleDestination: choice.destinations[0] ?? "" }
                      : { mode },
                  )
                }
              />
              {label}
            </label>
          ))}
          {props.removable && (
            <Button type="button" variant="ghost" size="sm" onClick={props.onRemove}>
              Remove
            </Button>
          )}
        </div>
      </div>

      {choice.mode === "catalog" ? (
        <>
          <div className="flex flex-wrap gap-2" role="group" aria-label={`Destinations of package ${index + 1}`}>
            {choice.destinations.map((id) => (
              <span
                key={id}
                className="inline-flex items-center gap-1 rounded-full bg-muted px-2 py-0.5 text-sm"
                data-testid={`spec-${index}-destination-${id}`}
              >
                {byId.get(id)?.flag} {byId.get(id)?.name ?? id} <span className="font-mono text-xs">{id}</span>
                <button
                  type="button"
                  aria-label={`Remove ${id}`}
                  onClick={() => props.onChange({ destinations: choice.destinations.filter((d) => d !== id) })}
                >
                  <X className="h-3 w-3" aria-hidden />
                </button>
              </span>
            ))}
          </div>
          <div className="grid gap-3 sm:grid-cols-3">
            <Labelled
              id={`${prefix}-destination`}
              label="Add destination"
              hint="Several destinations make one multi-destination package."
            >
              <DestinationSelect
                id={`${prefix}-destination`}
                value=""
                placeholder="Choose…"
                catalog={props.catalog}
                onChange={(id) => {
                  if (id && !choice.destinations.includes(id)) {
                    props.onChange({ destinations: [...choice.destinations, id] });
                  }
                }}
              />
              <ErrorText id={key("destinations")} errors={props.errors(key("destinations"))} />
            </Labelled>
            <Labelled id={`${prefix}-type`} label="Package type">
              <Select
                id={`${prefix}-type`}
                value={choice.packageType}
                onChange={(event) => props.onChange({ packageType: event.target.value, offer: "" })}
              >
                {props.packageTypes.map((type) => (
                  <option key={type} value={type} disabled={!sold.includes(type) && type !== choice.packageType}>
                    {TYPE_LABELS[type] ?? type}
                    {sold.includes(type) ? "" : " (not sold here)"}
                  </option>
                ))}
              </Select>
              <ErrorText id={key("packageType")} errors={props.errors(key("packageType"))} />
            </Labelled>
            <Labelled id={`${prefix}-offer`} label="Size and duration">
              <Select
                id={`${prefix}-offer`}
                value={view.offer?.key ?? ""}
                disabled={view.offers.length === 0}
                onChange={(event) => props.onChange({ offer: event.target.value })}
              >
                {view.offers.length === 0 ? (
                  <option value="">
                    {choice.destinations.length === 0
                      ? "Choose a destination first"
                      : "Not sold for these destinations"}
                  </option>
                ) : (
                  view.offers.map((offer) => (
                    <option key={offer.key} value={offer.key}>
                      {offer.label}
                    </option>
                  ))
                )}
              </Select>
              <ErrorText id={key("size")} errors={props.errors(key("size"))} />
            </Labelled>
          </div>
        </>
      ) : (
        <div className="grid gap-3 sm:grid-cols-3">
          <Labelled id={`${prefix}-bundle-destination`} label="Destination">
            <DestinationSelect
              id={`${prefix}-bundle-destination`}
              value={choice.bundleDestination}
              placeholder="Choose…"
              catalog={props.catalog}
              onChange={(id) => props.onChange({ bundleDestination: id, bundleId: "" })}
            />
            <ErrorText id={key("destinations")} errors={props.errors(key("destinations"))} />
          </Labelled>
          <div className="sm:col-span-2">
            <Labelled
              id={`${prefix}-bundle`}
              label="Bundle"
              hint="Sent as package_id: Hubby issues exactly this bundle."
            >
              <Select
                id={`${prefix}-bundle`}
                value={view.bundle?.id ?? ""}
                disabled={view.bundles.length === 0}
                onChange={(event) => props.onChange({ bundleId: event.target.value })}
              >
                {view.bundles.length === 0 ? (
                  <option value="">
                    {choice.bundleDestination ? "No bundle of an allowed type" : "Choose a destination first"}
                  </option>
                ) : (
                  view.bundles.map((bundle) => (
                    <option key={bundle.id} value={bundle.id}>
                      {bundleText(bundle)}
                    </option>
                  ))
                )}
              </Select>
              <ErrorText id={key("packageId")} errors={props.errors(key("packageId"))} />
            </Labelled>
          </div>
        </div>
      )}
    </div>
  );
}
