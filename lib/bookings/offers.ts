import { PACKAGE_TYPES } from "./package-types";
import { sizeToBytes } from "../hubby/sizes";

/**
 * What the booking form offers and sends, derived from the catalog. Pure and shared with the form (a client
 * component): a package's selects and the specification the form submits come from the same `packageView`, so the
 * fields always show what the preview prices.
 */

export type BundleOption = {
  id: string;
  type: string;
  label: string;
  /** In Hubby's size notation (`1GB`, `500MB`); null for unlimited bundles. */
  size: string | null;
  durationDays: number | null;
  b2bCents: number | null;
  b2cCents: number | null;
  currency: string | null;
};

export type DestinationOption = {
  id: string;
  name: string;
  kind: "country" | "region";
  flag: string;
  bundles: BundleOption[];
};

/** One size-and-duration choice for a package type, e.g. 3GB for 365 days or (time-limited) 7 days of 5GB. */
export type Offer = { key: string; size: string | null; durationDays: number | null; label: string };

const byDays = (type: string) => type === "time-limited" || type === "unlimited";

export function offerKey(size: string | null, durationDays: number | null): string {
  return `${size ?? ""}|${durationDays ?? ""}`;
}

/** "3GB, 365 days"; time-limited and unlimited bundles are sold by days: "7 days, 5GB", "7 days, no data cap". */
export function offerLabel(type: string, size: string | null, durationDays: number | null): string {
  const days = durationDays === null ? null : `${durationDays} day${durationDays === 1 ? "" : "s"}`;
  const data = type === "unlimited" ? "no data cap" : size;
  return (byDays(type) ? [days, data] : [data, days]).filter(Boolean).join(", ");
}

function offersOf(destination: DestinationOption, type: string): Map<string, Offer> {
  const offers = new Map<string, Offer>();
  for (const bundle of destination.bundles) {
    if (bundle.type !== type) continue;
    const size = type === "unlimited" ? null : bundle.size;
    if (type !== "unlimited" && size === null) continue;
    const key = offerKey(size, bundle.durationDays);
    offers.set(key, {
      key,
      size,
      durationDays: bundle.durationDays,
      label: offerLabel(type, size, bundle.durationDays),
    });
  }
  return offers;
}

/**
 * The sizes and durations that every one of the destinations sells for a type: a multi-destination package is
 * covered per destination (or by a region), so each must sell it. By size then days; by days for time-limited and
 * unlimited types.
 */
export function offersFor(destinations: DestinationOption[], type: string): Offer[] {
  if (destinations.length === 0) return [];
  const [first, ...rest] = destinations.map((destination) => offersOf(destination, type));
  const common = [...first!.values()].filter((offer) => rest.every((offers) => offers.has(offer.key)));
  const bytes = (offer: Offer) => (offer.size === null ? 0 : (sizeToBytes(offer.size) ?? 0));
  const days = (offer: Offer) => offer.durationDays ?? 0;
  return common.sort((a, b) =>
    byDays(type) ? days(a) - days(b) || bytes(a) - bytes(b) : bytes(a) - bytes(b) || days(a) - days(b),
  );
}

/** The choice a package starts with: 1GB for a year where it is sold (Hubby's usual default), else the first. */
export function defaultOffer(offers: Offer[]): Offer | undefined {
  return offers.find((offer) => offer.size === "1GB" && offer.durationDays === 365) ?? offers[0];
}

/** What staff chose for one package; an empty or no longer sold choice falls back to the default one. */
export type PackageChoice = {
  mode: "catalog" | "bundle";
  /** Catalog mode: one or more destinations (several = a multi-destination package). */
  destinations: string[];
  packageType: string;
  /** Catalog mode: the chosen offer's key. */
  offer: string;
  /** Bundle mode: the destination whose bundle is picked, and the bundle. */
  bundleDestination: string;
  bundleId: string;
};

export function newPackageChoice(destinations: string[] = []): PackageChoice {
  return { mode: "catalog", destinations, packageType: "data-limited", offer: "", bundleDestination: "", bundleId: "" };
}

/** The specification the form submits for a package (lib/bookings/request.ts `specDraftSchema`). */
export type SubmittedSpec = {
  destinations: string[];
  packageType: string;
  size?: string;
  durationDays?: number;
  packageId?: string;
};

export type PackageView = {
  /** Catalog mode: the offers for the chosen destinations and type, and the one shown (and sent). */
  offers: Offer[];
  offer: Offer | undefined;
  /** Bundle mode: the destination's bundles of the allowed types, and the one shown (and sent). */
  bundles: BundleOption[];
  bundle: BundleOption | undefined;
  spec: SubmittedSpec;
};

const typeOrder = (type: string) => {
  const index = (PACKAGE_TYPES as readonly string[]).indexOf(type);
  return index < 0 ? PACKAGE_TYPES.length : index;
};

/** A destination's bundles of the allowed types, by type (the form's order), size, then days. */
export function bundlesOf(destination: DestinationOption | undefined, allowedTypes: readonly string[]): BundleOption[] {
  if (!destination) return [];
  const bytes = (bundle: BundleOption) => (bundle.size === null ? 0 : (sizeToBytes(bundle.size) ?? 0));
  return destination.bundles
    .filter((bundle) => allowedTypes.includes(bundle.type))
    .sort(
      (a, b) =>
        typeOrder(a.type) - typeOrder(b.type) ||
        bytes(a) - bytes(b) ||
        (a.durationDays ?? 0) - (b.durationDays ?? 0) ||
        a.id.localeCompare(b.id),
    );
}

export function packageView(
  choice: PackageChoice,
  destinations: ReadonlyMap<string, DestinationOption>,
  allowedTypes: readonly string[],
): PackageView {
  if (choice.mode === "bundle") {
    const bundles = bundlesOf(destinations.get(choice.bundleDestination), allowedTypes);
    const bundle = bundles.find((candidate) => candidate.id === choice.bundleId) ?? bundles[0];
    return {
      offers: [],
      offer: undefined,
      bundles,
      bundle,
      spec: {
        destinations: choice.bundleDestination ? [choice.bundleDestination] : [],
        packageType: bundle?.type ?? choice.packageType,
        ...(bundle ? { packageId: bundle.id } : {}),
        ...(bundle?.size ? { size: bundle.size } : {}),
        ...(bundle?.durationDays ? { durationDays: bundle.durationDays } : {}),
      },
    };
  }
  const chosen = choice.destinations.flatMap((id) => destinations.get(id) ?? []);
  const offers = offersFor(chosen, choice.packageType);
  const offer = offers.find((candidate) => candidate.key === choice.offer) ?? defaultOffer(offers);
  return {
    offers,
    offer,
    bundles: [],
    bundle: undefined,
    spec: {
      destinations: choice.destinations,
      packageType: choice.packageType,
      ...(offer?.size ? { size: offer.size } : {}),
      ...(offer?.durationDays ? { durationDays: offer.durationDays } : {}),
    },
  };
}

/** The package types sold for every chosen destination, of those the form allows. */
export function typesSold(
  destinationIds: string[],
  destinations: ReadonlyMap<string, DestinationOption>,
  allowedTypes: readonly string[],
): string[] {
  const chosen = destinationIds.flatMap((id) => destinations.get(id) ?? []);
  if (chosen.length === 0) return [...allowedTypes];
  return allowedTypes.filter((type) => offersFor(chosen, type).length > 0);
}
