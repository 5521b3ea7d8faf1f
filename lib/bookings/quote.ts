import { sizeToBytes, type SpecDraft } from "./request";

/**
 * What a booking should cost, from the cached catalog: the bundle each package specification maps to and its B2B
 * cost and B2C price. Several destinations are covered like Hubby routes them (reference §4.1): the cheapest mix
 * of regional bundles and single countries. Pure; Hubby's own routing has the last word.
 */

export type CatalogBundleView = {
  id: string;
  type: string;
  label: string;
  sizeBytes: number | null;
  durationDays: number | null;
  b2bCents: number | null;
  b2cCents: number | null;
  currency: string | null;
};

export type CatalogDestinationView = {
  id: string;
  kind: "country" | "region";
  name: string;
  /** ISO2 codes of the countries covered (a country covers itself). */
  countries: string[];
  bundles: CatalogBundleView[];
};

export type QuotedBundle = {
  destinationId: string;
  destinationName: string;
  bundleId: string;
  label: string;
  type: string;
  durationDays: number | null;
  b2bCents: number;
  b2cCents: number;
};

export type SpecQuote =
  | { ok: true; bundles: QuotedBundle[]; costCents: number; priceCents: number; currency: string }
  | { ok: false; issue: string };

const DEFAULT_SIZE: Partial<Record<SpecDraft["packageType"], string>> = { starter: "500MB", "time-limited": "5GB" };

function bundleFor(destination: CatalogDestinationView, spec: SpecDraft): CatalogBundleView | undefined {
  const candidates = destination.bundles.filter((bundle) => bundle.type === spec.packageType);
  if (spec.packageType === "unlimited") {
    return candidates.sort((a, b) => (a.durationDays ?? 0) - (b.durationDays ?? 0))[0];
  }
  const bytes = sizeToBytes(spec.size ?? DEFAULT_SIZE[spec.packageType] ?? "");
  return candidates.find((bundle) => bundle.sizeBytes === bytes);
}

function quoted(destination: CatalogDestinationView, bundle: CatalogBundleView): QuotedBundle {
  return {
    destinationId: destination.id,
    destinationName: destination.name,
    bundleId: bundle.id,
    label: bundle.label,
    type: bundle.type,
    durationDays: bundle.durationDays,
    b2bCents: bundle.b2bCents ?? 0,
    b2cCents: bundle.b2cCents ?? 0,
  };
}

/** The sizes a destination sells for a package type, smallest first (the form's size choices). */
export function sizesFor(destination: CatalogDestinationView, packageType: string): string[] {
  return destination.bundles
    .filter((bundle) => bundle.type === packageType && bundle.sizeBytes !== null)
    .sort((a, b) => (a.sizeBytes ?? 0) - (b.sizeBytes ?? 0))
    .map((bundle) => bundle.label);
}

const MAX_OPTIONAL_REGIONS = 10;

export function quoteSpec(spec: SpecDraft, catalog: CatalogDestinationView[]): SpecQuote {
  const byId = new Map(catalog.map((destination) => [destination.id, destination]));
  const asked: CatalogDestinationView[] = [];
  for (const code of spec.destinations) {
    const destination = byId.get(code);
    if (!destination) return { ok: false, issue: `${code} is not in the catalog; refresh the catalog.` };
    if (!bundleFor(destination, spec)) {
      const what = spec.packageType === "unlimited" ? "unlimited" : `${spec.size ?? ""} ${spec.packageType}`.trim();
      return { ok: false, issue: `${destination.name} has no ${what} bundle.` };
    }
    asked.push(destination);
  }

  const price = (destination: CatalogDestinationView) => bundleFor(destination, spec)?.b2bCents ?? Infinity;
  const forced = asked.filter((destination) => destination.kind === "region");
  const forcedCovers = new Set(forced.flatMap((region) => region.countries));
  const countries = asked.filter((d) => d.kind === "country" && !forcedCovers.has(d.id));
  const optional = catalog
    .filter(
      (region) =>
        region.kind === "region" &&
        !forced.includes(region) &&
        bundleFor(region, spec) !== undefined &&
        countries.some((country) => region.countries.includes(country.id)),
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
  const bundles = [...forced, ...(best?.picked ?? [])].map((destination) =>
    quoted(destination, bundleFor(destination, spec)!),
  );
  const currency =
    asked.flatMap((destination) => destination.bundles.map((bundle) => bundle.currency)).find(Boolean) ?? "EUR";
  return {
    ok: true,
    bundles,
    costCents: bundles.reduce((sum, bundle) => sum + bundle.b2bCents, 0),
    priceCents: bundles.reduce((sum, bundle) => sum + bundle.b2cCents, 0),
    currency,
  };
}

export type BookingQuote = {
  specs: SpecQuote[];
  perTraveler: { costCents: number; priceCents: number };
  total: { costCents: number; priceCents: number };
  currency: string;
};

export function quoteBooking(specs: SpecDraft[], travelers: number, catalog: CatalogDestinationView[]): BookingQuote {
  const quotes = specs.map((spec) => quoteSpec(spec, catalog));
  const perTraveler = quotes.reduce(
    (sum, quote) =>
      quote.ok ? { costCents: sum.costCents + quote.costCents, priceCents: sum.priceCents + quote.priceCents } : sum,
    { costCents: 0, priceCents: 0 },
  );
  const currency = quotes.find((quote) => quote.ok)?.currency ?? "EUR";
  return {
    specs: quotes,
    perTraveler,
    total: { costCents: perTraveler.costCents * travelers, priceCents: perTraveler.priceCents * travelers },
    currency,
  };
}

export function formatMoney(cents: number, currency: string): string {
  return new Intl.NumberFormat("en-GB", { style: "currency", currency }).format(cents / 100);
}
