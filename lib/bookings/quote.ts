import type { CatalogBundleView, CatalogDestinationView } from "../catalog/views";
import { PACKAGE_TYPES, type PackageType } from "./package-types";
import type { PackageSpecificationRequest, SpecDraft } from "./request";
import { bytesToSize, sizeToBytes } from "../hubby/sizes";

/**
 * What a booking should cost, from the cached catalog: the bundle each package specification of the request maps
 * to and its B2B cost and B2C price. The quote reads the request itself (what will be sent), never the form, and
 * reads it as Hubby does (reference §4.1): a `package_id` is that bundle; otherwise destination + type + size +
 * duration, several destinations covered the cheapest way with regional bundles. Pure; Hubby's own routing and
 * invoice have the last word.
 */

export type { CatalogBundleView, CatalogDestinationView } from "../catalog/views";

export type QuotedBundle = {
  destinationId: string;
  destinationName: string;
  bundleId: string;
  label: string;
  type: string;
  sizeBytes: number | null;
  durationDays: number | null;
  b2bCents: number;
  b2cCents: number;
};

/** The request field a quote problem belongs to (Hubby's names, so the form maps it like Hubby's own errors). */
export type QuoteField = "destination" | "package_type" | "size" | "package_duration" | "package_id";

export type SpecQuote =
  | { ok: true; bundles: QuotedBundle[]; costCents: number; priceCents: number; currency: string }
  | { ok: false; field: QuoteField; issue: string };

/** The durations Hubby documents as a type's default (reference §6.5); the others vary per bundle. */
const DOCUMENTED_DEFAULT_DAYS: Partial<Record<PackageType, number>> = { "data-limited": 365, starter: 2 };

type Wanted = { type: PackageType; bytes: number | undefined; days: number | undefined };

type BundleMatch = { ok: true; bundle: CatalogBundleView } | { ok: false; field: QuoteField; issue: string };

/** A package's size and duration in words: "3GB data-limited, 30 days", "unlimited, 7 days". */
function describeWanted(wanted: Wanted): string {
  const size = wanted.type === "unlimited" || wanted.bytes === undefined ? "" : `${bytesToSize(wanted.bytes)} `;
  return `${size}${wanted.type}${wanted.days === undefined ? "" : `, ${wanted.days} days`}`;
}

/**
 * The destination's bundle for a type, size and duration. Without a duration, the type's documented default
 * decides, else the only bundle of that size; several durations and no default is a question for staff.
 */
function bundleFor(destination: CatalogDestinationView, wanted: Wanted): BundleMatch {
  let candidates = destination.bundles.filter((bundle) => bundle.type === wanted.type);
  if (wanted.type !== "unlimited" && wanted.bytes !== undefined) {
    candidates = candidates.filter((bundle) => bundle.sizeBytes === wanted.bytes);
  }
  const missing: BundleMatch = {
    ok: false,
    field: wanted.days !== undefined && candidates.length > 0 ? "package_duration" : "size",
    issue: `${destination.name} has no ${describeWanted(wanted)} bundle.`,
  };
  if (wanted.days !== undefined) {
    const bundle = candidates.find((candidate) => candidate.durationDays === wanted.days);
    return bundle ? { ok: true, bundle } : missing;
  }
  const byDefault = candidates.find((candidate) => candidate.durationDays === DOCUMENTED_DEFAULT_DAYS[wanted.type]);
  if (byDefault) return { ok: true, bundle: byDefault };
  if (candidates.length === 1) return { ok: true, bundle: candidates[0]! };
  if (candidates.length === 0) return missing;
  const days = [...new Set(candidates.map((candidate) => candidate.durationDays))].sort((a, b) => (a ?? 0) - (b ?? 0));
  return {
    ok: false,
    field: "package_duration",
    issue: `${destination.name} sells ${describeWanted(wanted)} for ${days.join(", ")} days: choose the duration.`,
  };
}

function quoted(destination: CatalogDestinationView, bundle: CatalogBundleView): QuotedBundle {
  return {
    destinationId: destination.id,
    destinationName: destination.name,
    bundleId: bundle.id,
    label: bundle.label,
    type: bundle.type,
    sizeBytes: bundle.sizeBytes,
    durationDays: bundle.durationDays,
    b2bCents: bundle.b2bCents ?? 0,
    b2cCents: bundle.b2cCents ?? 0,
  };
}

function priced(bundles: QuotedBundle[], currencies: (string | null)[]): SpecQuote {
  return {
    ok: true,
    bundles,
    costCents: bundles.reduce((sum, bundle) => sum + bundle.b2bCents, 0),
    priceCents: bundles.reduce((sum, bundle) => sum + bundle.b2cCents, 0),
    currency: currencies.find((currency): currency is string => Boolean(currency)) ?? "EUR",
  };
}

/** Where a bundle id sits in the catalog. Hubby's bundle ids are document ids, so the first match is the one. */
export function findBundle(catalog: CatalogDestinationView[], bundleId: string, destinationId?: string) {
  for (const destination of catalog) {
    if (destinationId !== undefined && destination.id !== destinationId) continue;
    const bundle = destination.bundles.find((candidate) => candidate.id === bundleId);
    if (bundle) return { destination, bundle };
  }
  return undefined;
}

const MAX_OPTIONAL_REGIONS = 10;

/** The bundles one package specification of a request maps to, and what they cost. */
export function quoteSpecification(
  spec: Omit<PackageSpecificationRequest, "external_user_id">,
  catalog: CatalogDestinationView[],
): SpecQuote {
  if (spec.package_id !== undefined) {
    const found = findBundle(catalog, spec.package_id);
    if (!found) {
      return {
        ok: false,
        field: "package_id",
        issue: `${spec.package_id} is not in the catalog; refresh the catalog.`,
      };
    }
    return priced([quoted(found.destination, found.bundle)], [found.bundle.currency]);
  }

  const type = spec.package_type ?? "data-limited";
  const wanted: Wanted = {
    type,
    bytes: spec.size === undefined ? undefined : sizeToBytes(spec.size),
    days: spec.package_duration,
  };
  const codes = spec.destination === undefined ? [] : ([] as string[]).concat(spec.destination);
  if (codes.length === 0) return { ok: false, field: "destination", issue: "Pick at least one destination." };
  const byId = new Map(catalog.map((destination) => [destination.id, destination]));
  const chosen = new Map<CatalogDestinationView, CatalogBundleView>();
  for (const code of codes) {
    const destination = byId.get(code);
    if (!destination)
      return { ok: false, field: "destination", issue: `${code} is not in the catalog; refresh the catalog.` };
    const match = bundleFor(destination, wanted);
    if (!match.ok) return match;
    chosen.set(destination, match.bundle);
  }

  const asked = [...chosen.keys()];
  const matchOf = (destination: CatalogDestinationView) => {
    const known = chosen.get(destination);
    if (known) return known;
    const match = bundleFor(destination, wanted);
    return match.ok ? match.bundle : undefined;
  };
  const price = (destination: CatalogDestinationView) => matchOf(destination)?.b2bCents ?? Infinity;
  const forced = asked.filter((destination) => destination.kind === "region");
  const forcedCovers = new Set(forced.flatMap((region) => region.countries));
  const countries = asked.filter((d) => d.kind === "country" && !forcedCovers.has(d.id));
  const optional = catalog
    .filter(
      (region) =>
        region.kind === "region" &&
        !forced.includes(region) &&
        countries.some((country) => region.countries.includes(country.id)) &&
        matchOf(region) !== undefined,
    )
    .slice(0, MAX_OPTIONAL_REGIONS);

  let best: { cost: number; picked: CatalogDestinationView[] } | undefined;
  for (let mask = 0; mask < 1 << optional.length; mask++) {
    const regions = optional.filter((_, index) => mask & (1 << index));
    const covered = new Set(regions.flatMap((region) => region.countries));
    const picked = [...regions, ...countries.filter((country) => !covered.has(country.id))];
    const cost = picked.reduce((sum, destination) => sum + price(destination), 0);
    if (!best || cost < best.cost || (cost === best.cost && picked.length < best.picked.length)) {
      best = { cost, picked };
    }
  }
  const bundles = [...forced, ...(best?.picked ?? [])].map((destination) => ({
    destination,
    bundle: matchOf(destination)!,
  }));
  return priced(
    bundles.map(({ destination, bundle }) => quoted(destination, bundle)),
    [...chosen.values(), ...bundles.map(({ bundle }) => bundle)].map((bundle) => bundle.currency),
  );
}

export type BookingQuote = {
  /** One quote per package of the first traveler (every traveler gets the same packages); one code's in the
   *  promo-code flow. */
  specs: SpecQuote[];
  perTraveler: { costCents: number; priceCents: number };
  total: { costCents: number; priceCents: number };
  currency: string;
};

/** A specification as sent: for a traveler, or without one in the promo-code flow (lib/bookings/promo-request.ts). */
type SentSpecification = Omit<PackageSpecificationRequest, "external_user_id"> & { external_user_id?: string };

/** The package specification without its traveler, as a key: identical specifications are quoted once. */
function specificationKey(spec: SentSpecification): string {
  return JSON.stringify({ ...spec, external_user_id: undefined });
}

/**
 * The quote of the exact request that will be sent: every entry of package_specifications is priced (identical
 * ones once), the total is their sum, and the per-traveler lines are the first traveler's packages (in the
 * promo-code flow, which has no traveler, the first code's).
 */
export function quoteRequest(
  request: { package_specifications: SentSpecification[] },
  catalog: CatalogDestinationView[],
): BookingQuote {
  const cache = new Map<string, SpecQuote>();
  const quoteOf = (spec: SentSpecification) => {
    const key = specificationKey(spec);
    let quote = cache.get(key);
    if (!quote) {
      quote = quoteSpecification(spec, catalog);
      cache.set(key, quote);
    }
    return quote;
  };
  const sum = (quotes: SpecQuote[]) =>
    quotes.reduce(
      (total, quote) =>
        quote.ok
          ? { costCents: total.costCents + quote.costCents, priceCents: total.priceCents + quote.priceCents }
          : total,
      { costCents: 0, priceCents: 0 },
    );
  const sent = request.package_specifications;
  const all = sent.map(quoteOf);
  const firstTraveler = sent[0]?.external_user_id;
  const specs =
    firstTraveler === undefined
      ? all.slice(0, 1)
      : all.filter((_, index) => sent[index]!.external_user_id === firstTraveler);
  return {
    specs,
    perTraveler: sum(specs),
    total: sum(all),
    currency: all.find((quote) => quote.ok)?.currency ?? "EUR",
  };
}

export type BundleResolution = { ok: true; specs: SpecDraft[] } | { ok: false; errors: Record<string, string> };

/**
 * A bundle picked on the form carries the catalog's destination, type, size and days, read here from the cached
 * catalog (never from the browser), so role rules (top-ups are data-limited) and limits see the real bundle.
 */
export function resolveBundles(specs: SpecDraft[], catalog: CatalogDestinationView[]): BundleResolution {
  const errors: Record<string, string> = {};
  const resolved = specs.map((spec, index) => {
    if (spec.packageId === undefined) return spec;
    const found = findBundle(catalog, spec.packageId, spec.destinations[0]);
    const type = PACKAGE_TYPES.find((known) => known === found?.bundle.type);
    if (!found || !type) {
      errors[`specs.${index}.packageId`] = "This bundle is not in the catalog: refresh the catalog or pick another.";
      return spec;
    }
    return {
      destinations: [found.destination.id],
      packageType: type,
      packageId: found.bundle.id,
      ...(found.bundle.sizeBytes === null ? {} : { size: bytesToSize(found.bundle.sizeBytes) }),
      ...(found.bundle.durationDays === null ? {} : { durationDays: found.bundle.durationDays }),
    };
  });
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, specs: resolved };
}

export function formatMoney(cents: number, currency: string): string {
  return new Intl.NumberFormat("en-GB", { style: "currency", currency }).format(cents / 100);
}
