import countries from "i18n-iso-countries";
import de from "i18n-iso-countries/langs/de.json";
import en from "i18n-iso-countries/langs/en.json";
import es from "i18n-iso-countries/langs/es.json";
import fr from "i18n-iso-countries/langs/fr.json";
import it from "i18n-iso-countries/langs/it.json";
import nl from "i18n-iso-countries/langs/nl.json";
import pt from "i18n-iso-countries/langs/pt.json";
import { GB, MB, bytesToSize, sizeToBytes } from "../hubby/sizes";

/**
 * The sandbox's destination catalogue (reference §4.6, §6.4, §6.5): countries and regions with their bundles, and
 * the routing of a package specification to concrete packages (§4.1).
 *
 * Everything here is synthetic. Hubby publishes no prices, so prices follow one formula from the destination's
 * price class and the bundle's size and duration, anchored on the reference's example (§7: a tier-1 country sells
 * 1GB / 3GB / 5GB at 2.50 / 5.50 / 8.00 EUR B2B and 4.99 / 9.99 / 14.99 EUR B2C). Byte math is binary (1GB = 2^30).
 */

for (const locale of [en, nl, de, fr, es, it, pt]) countries.registerLocale(locale);

export const CATALOGUE_LOCALES = ["en", "nl", "de", "fr", "es", "it", "pt"] as const;
type CatalogueLocale = (typeof CATALOGUE_LOCALES)[number];

export const PACKAGE_TYPES = ["data-limited", "time-limited", "starter", "unlimited"] as const;
export type PackageType = (typeof PACKAGE_TYPES)[number];
export type Tier = 1 | 2 | 3;

export type Destination = {
  /** ISO2 for a country, the region code for a region. */
  id: string;
  /** "country", or the region's name ("Europe", "North America", …). */
  type: string;
  tier: Tier;
  /** Countries only. */
  iso2?: string;
  /** A region carries its code here, so ISO3 look-ups find it too. */
  iso3: string;
  iso3s: string[];
  name: string;
  i18n_name: Record<CatalogueLocale, string>;
  is_active: true;
  sort_order: number;
};

export type Bundle = {
  id: string;
  type: PackageType;
  /** "1GB" for data bundles, "5 Days" for unlimited and time-limited ones. */
  label: string;
  duration_in_days: number;
  duration_in_seconds: number;
  /** null for unlimited bundles. */
  size_in_bytes: number | null;
  size_in_megabytes: number | null;
  size_in_gigabytes: number | null;
  b2b_price: number;
  b2c_price: number;
  currency: "EUR";
  is_active: boolean;
  is_visible: boolean;
  priority: number;
  traffic_policy?: string;
};

// ── Sizes ───────────────────────────────────────────────────────────────────────────────────────────────────

const DAY_SECONDS = 86_400;

// ── Destinations ────────────────────────────────────────────────────────────────────────────────────────────

// Tier is the price class: 1 cheap and well covered, 3 expensive roaming.
const countryTiers: Record<string, Tier> = {
  AT: 1,
  BE: 1,
  CZ: 1,
  DE: 1,
  DK: 1,
  ES: 1,
  FR: 1,
  GB: 1,
  GR: 1,
  IE: 1,
  IT: 1,
  JP: 1,
  NL: 1,
  PL: 1,
  PT: 1,
  SE: 1,
  SG: 1,
  TH: 1,
  US: 1,
  AE: 2,
  AU: 2,
  BR: 2,
  CA: 2,
  CH: 2,
  CN: 2,
  ID: 2,
  IN: 2,
  KR: 2,
  MA: 2,
  MX: 2,
  NO: 2,
  NZ: 2,
  TR: 2,
  VN: 2,
  EG: 3,
  GL: 3,
  SA: 3,
  ZA: 3,
};

// i18n-iso-countries' first name is sometimes the formal one ("United States of America"); travelers see these.
const shortNames: Partial<Record<CatalogueLocale, Record<string, string>>> = {
  en: { US: "United States", CN: "China" },
  de: { US: "Vereinigte Staaten" },
  fr: { US: "États-Unis" },
  es: { KR: "Corea del Sur" },
  it: { US: "Stati Uniti" },
};

function countryName(iso2: string, locale: CatalogueLocale): string {
  // Dutch lists the formal name first ("Helleense Republiek") and the everyday one second.
  const name = countries.getName(iso2, locale, { select: locale === "nl" ? "alias" : "official" });
  return shortNames[locale]?.[iso2] ?? name ?? iso2;
}

/**
 * Region codes match Hubby's `^[A-Z]{2,3}$` (EU is documented; the rest are not, so they are our choice). AS, NA
 * and ME are also the ISO2 codes of American Samoa, Namibia and Montenegro, which the catalogue therefore leaves out;
 * OC and WW are assigned to no country. Greenland is in no region: its one operator has few roaming partners, and it
 * is the documented odd one out (GL + CA + US + MX → North America + Greenland).
 * `price` is the 1GB B2B price, which every other bundle scales from. It sits above the dearest member's and below
 * the three cheapest members' together, so a region pays off from three countries and never for one.
 */
const regionDefinitions: {
  id: string;
  name: Record<CatalogueLocale, string>;
  tier: Tier;
  price: number;
  members: string[] | "all";
}[] = [
  {
    id: "EU",
    name: { en: "Europe", nl: "Europa", de: "Europa", fr: "Europe", es: "Europa", it: "Europa", pt: "Europa" },
    tier: 1,
    price: 4.5,
    members: ["AT", "BE", "CH", "CZ", "DE", "DK", "ES", "FR", "GB", "GR", "IE", "IT", "NL", "NO", "PL", "PT", "SE"],
  },
  {
    id: "NA",
    name: {
      en: "North America",
      nl: "Noord-Amerika",
      de: "Nordamerika",
      fr: "Amérique du Nord",
      es: "Norteamérica",
      it: "Nord America",
      pt: "América do Norte",
    },
    tier: 2,
    price: 5.5,
    members: ["US", "CA", "MX"],
  },
  {
    id: "AS",
    name: { en: "Asia", nl: "Azië", de: "Asien", fr: "Asie", es: "Asia", it: "Asia", pt: "Ásia" },
    tier: 2,
    price: 5,
    members: ["CN", "ID", "IN", "JP", "KR", "SG", "TH", "VN"],
  },
  {
    id: "ME",
    name: {
      en: "Middle East",
      nl: "Midden-Oosten",
      de: "Naher Osten",
      fr: "Moyen-Orient",
      es: "Oriente Medio",
      it: "Medio Oriente",
      pt: "Médio Oriente",
    },
    tier: 3,
    price: 6.5,
    members: ["AE", "EG", "SA", "TR"],
  },
  {
    id: "OC",
    name: { en: "Oceania", nl: "Oceanië", de: "Ozeanien", fr: "Océanie", es: "Oceanía", it: "Oceania", pt: "Oceânia" },
    tier: 2,
    price: 5,
    members: ["AU", "NZ"],
  },
  {
    id: "WW",
    name: { en: "Global", nl: "Wereldwijd", de: "Weltweit", fr: "Monde", es: "Global", it: "Globale", pt: "Global" },
    tier: 3,
    price: 7.2,
    members: "all",
  },
];

const countryList: Destination[] = Object.entries(countryTiers)
  .map(([iso2, tier]) => {
    const iso3 = countries.alpha2ToAlpha3(iso2)!;
    return {
      id: iso2,
      type: "country",
      tier,
      iso2,
      iso3,
      iso3s: [iso3],
      name: countryName(iso2, "en"),
      i18n_name: Object.fromEntries(
        CATALOGUE_LOCALES.map((l) => [l, countryName(iso2, l)]),
      ) as Destination["i18n_name"],
      is_active: true as const,
      sort_order: 0,
    };
  })
  .sort((a, b) => a.name.localeCompare(b.name, "en"))
  .map((destination, index) => ({ ...destination, sort_order: index + 1 }));

const countryById = new Map(countryList.map((country) => [country.id, country]));

/** Region id → member ISO2 codes, in catalogue order. */
const regionMembers = new Map(
  regionDefinitions.map((region) => [
    region.id,
    region.members === "all"
      ? countryList.filter((country) => country.id !== "GL").map((country) => country.id)
      : countryList.filter((country) => region.members.includes(country.id)).map((country) => country.id),
  ]),
);

const regionList: Destination[] = regionDefinitions.map((region, index) => ({
  id: region.id,
  type: region.name.en,
  tier: region.tier,
  iso3: region.id,
  iso3s: regionMembers.get(region.id)!.map((iso2) => countryById.get(iso2)!.iso3),
  name: region.name.en,
  i18n_name: region.name,
  is_active: true as const,
  sort_order: 1000 + index + 1,
}));

const allDestinations = [...countryList, ...regionList];
const destinationByCode = new Map<string, Destination>();
for (const destination of allDestinations) {
  destinationByCode.set(destination.id, destination);
  destinationByCode.set(destination.iso3, destination);
}

/** Countries, then regions, each by sort_order. */
export function listDestinations(): Destination[] {
  return structuredClone(allDestinations);
}

/** By ISO2 (`GR`), ISO3 (`GRC`) or region code (`EU`), in any case. */
export function findDestination(code: string): Destination | undefined {
  const destination = destinationByCode.get(code.trim().toUpperCase());
  return destination && structuredClone(destination);
}

/** ISO2 codes of a region's member countries; a country's own code for a country. */
export function coveredCountries(destination: Destination): string[] {
  return regionMembers.get(destination.id) ?? [destination.id];
}

// ── Prices ──────────────────────────────────────────────────────────────────────────────────────────────────

const tierPriceCents: Record<Tier, number> = { 1: 250, 2: 350, 3: 600 };
const regionPriceCents = new Map(regionDefinitions.map((region) => [region.id, Math.round(region.price * 100)]));

function basePriceCents(destination: Destination): number {
  return regionPriceCents.get(destination.id) ?? tierPriceCents[destination.tier];
}

/** Price of `gb` of data relative to 1GB: each extra GB costs less (points from the reference's 1/3/5GB prices). */
const dataPricePoints: [gb: number, factor: number][] = [
  [0, 0.2],
  [1, 1],
  [3, 2.2],
  [5, 3.2],
  [10, 5.6],
  [20, 9.6],
];

function dataPriceFactor(gb: number): number {
  for (let i = 1; i < dataPricePoints.length; i++) {
    const [x0, y0] = dataPricePoints[i - 1]!;
    const [x1, y1] = dataPricePoints[i]!;
    if (gb <= x1) return y0 + ((gb - x0) * (y1 - y0)) / (x1 - x0);
  }
  const [lastGb, lastFactor] = dataPricePoints.at(-1)!;
  return lastFactor + (gb - lastGb) * 0.4;
}

function b2bPriceCents(destination: Destination, type: PackageType, bytes: number | null, days: number): number {
  const base = basePriceCents(destination);
  const data = dataPriceFactor((bytes ?? 0) / GB);
  switch (type) {
    case "data-limited":
    case "starter":
      return Math.round(base * data);
    case "time-limited":
      // Cheaper than the same data for a year, since whatever is left lapses when the days run out.
      return Math.round(base * data * (0.5 + days / 60));
    case "unlimited":
      return Math.round(base * 4 * (days / 7) ** 0.8);
  }
}

/** Recommended retail: about 1.8 × B2B, rounded up to a .99 price (2.50 → 4.99, 5.50 → 9.99, 8.00 → 14.99). */
function b2cPriceCents(b2bCents: number): number {
  return Math.ceil((b2bCents * 18) / 1000) * 100 - 1;
}

/** Unlimited needs a fair-use network deal, which the sandbox's tier-3 destinations (and regions with one) lack. */
function offersType(destination: Destination, type: PackageType): boolean {
  if (type !== "unlimited") return true;
  return coveredCountries(destination).every((iso2) => countryById.get(iso2)!.tier < 3);
}

// ── Bundles ─────────────────────────────────────────────────────────────────────────────────────────────────

/** Days each type lasts when the specification does not say. */
export const DEFAULT_DURATION_DAYS: Record<PackageType, number> = {
  "data-limited": 365,
  starter: 2,
  "time-limited": 5,
  unlimited: 7,
};

const durationLimits: Record<PackageType, [min: number, max: number]> = {
  "data-limited": [1, 365],
  starter: [1, 3],
  "time-limited": [1, 30],
  unlimited: [1, 30],
};

const typeCode: Record<Exclude<PackageType, "unlimited">, string> = {
  "data-limited": "dl",
  starter: "st",
  "time-limited": "tl",
};

/**
 * Stable bundle id: `pkg_<destination>_<size>_<type>`, plus `_<days>d` when the days are not the type's default
 * and always for time-limited bundles (their label is their duration); unlimited bundles are
 * `pkg_<destination>_unlimited_<days>d`. E.g. pkg_gr_1gb_dl, pkg_gr_500mb_st, pkg_gr_5gb_tl_5d, pkg_eu_unlimited_7d,
 * pkg_gr_1gb_dl_30d.
 */
export function packageIdFor(destinationId: string, type: PackageType, bytes: number | null, days: number): string {
  const destination = destinationId.toLowerCase();
  if (type === "unlimited" || bytes === null) return `pkg_${destination}_unlimited_${days}d`;
  const showDays = type === "time-limited" || days !== DEFAULT_DURATION_DAYS[type];
  return `pkg_${destination}_${bytesToSize(bytes).toLowerCase()}_${typeCode[type]}${showDays ? `_${days}d` : ""}`;
}

function makeBundle(
  destination: Destination,
  type: PackageType,
  bytes: number | null,
  days: number,
  display: { is_visible: boolean; priority: number },
): Bundle {
  const b2b = b2bPriceCents(destination, type, bytes, days);
  return {
    id: packageIdFor(destination.id, type, bytes, days),
    type,
    label: type === "unlimited" || type === "time-limited" || bytes === null ? `${days} Days` : bytesToSize(bytes),
    duration_in_days: days,
    duration_in_seconds: days * DAY_SECONDS,
    size_in_bytes: bytes,
    size_in_megabytes: bytes === null ? null : Math.round(bytes / MB),
    size_in_gigabytes: bytes === null ? null : Math.round((bytes / GB) * 100) / 100,
    b2b_price: b2b / 100,
    b2c_price: b2cPriceCents(b2b) / 100,
    currency: "EUR",
    is_active: true,
    is_visible: display.is_visible,
    priority: display.priority,
    ...(type === "unlimited" ? { traffic_policy: "Fair use: 2GB a day at full speed, then 1 Mbps" } : {}),
  };
}

const DATA_LIMITED_SIZES = ["1GB", "3GB", "5GB", "10GB", "20GB"] as const;
const TIME_LIMITED_BYTES = 5 * GB;
/** Time-limited bundles are sold by days (their label); 5 days is the type's default. */
const TIME_LIMITED_DAYS = [3, 5, 7, 15, 30] as const;

/**
 * A destination's offers: starter, data-limited 1–20GB, unlimited 7 days where offered, time-limited 5GB for 3 to 30
 * days.
 */
export function bundlesFor(destination: Destination): Bundle[] {
  const bundles = [
    makeBundle(destination, "starter", 500 * MB, 2, { is_visible: true, priority: 20 }),
    ...DATA_LIMITED_SIZES.map((size) =>
      makeBundle(destination, "data-limited", sizeToBytes(size)!, 365, { is_visible: true, priority: 10 }),
    ),
  ];
  if (offersType(destination, "unlimited")) {
    bundles.push(makeBundle(destination, "unlimited", null, 7, { is_visible: true, priority: 30 }));
  }
  // time-limited is deprecated in 2.1.0 but still sold; the console labels it so.
  for (const days of TIME_LIMITED_DAYS) {
    bundles.push(makeBundle(destination, "time-limited", TIME_LIMITED_BYTES, days, { is_visible: true, priority: 40 }));
  }
  return bundles;
}

export function getDestinationWithBundles(code: string): (Destination & { bundles: Bundle[] }) | undefined {
  const destination = findDestination(code);
  return destination && { ...destination, bundles: bundlesFor(destination) };
}

const catalogueBundles = new Map(
  allDestinations.flatMap((destination) =>
    bundlesFor(destination).map((bundle) => [bundle.id, { destination, bundle }] as const),
  ),
);

// ── Routing a package specification ─────────────────────────────────────────────────────────────────────────

export type PackageSpecificationInput = {
  /** Required unless `package_id` is given (then everything else is ignored). */
  destination?: string | string[];
  size?: string;
  package_type?: string;
  package_duration?: number;
  package_id?: string;
};

export type RoutedPackage = {
  destination_id: string;
  destination_iso3: string;
  bundle_id: string;
  bundle_label: string;
  /** Normalised ("1024MB" → "1GB"); null for unlimited. */
  size: string | null;
  bytes: number | null;
  duration_days: number;
  package_type: PackageType;
  b2b_price: number;
  b2c_price: number;
  /** ISO3 codes of the countries the package works in. */
  countries: string[];
};

export type RouteResult = { ok: true; packages: RoutedPackage[] } | { ok: false; field: string; issue: string };

type Request = { type: PackageType; bytes: number | null; days: number };

function toRoutedPackage(destination: Destination, bundle: Bundle): RoutedPackage {
  return {
    destination_id: destination.id,
    destination_iso3: destination.iso3,
    bundle_id: bundle.id,
    bundle_label: bundle.label,
    size: bundle.size_in_bytes === null ? null : bytesToSize(bundle.size_in_bytes),
    bytes: bundle.size_in_bytes,
    duration_days: bundle.duration_in_days,
    package_type: bundle.type,
    b2b_price: bundle.b2b_price,
    b2c_price: bundle.b2c_price,
    countries: destination.iso3s,
  };
}

/** The catalogue bundle matching the request, or an off-catalogue one (1.5GB, 30 days…) priced by the same rules. */
function bundleForRequest(destination: Destination, request: Request): Bundle {
  const id = packageIdFor(destination.id, request.type, request.bytes, request.days);
  return (
    catalogueBundles.get(id)?.bundle ??
    makeBundle(destination, request.type, request.bytes, request.days, { is_visible: false, priority: 50 })
  );
}

function readRequest(spec: PackageSpecificationInput): Request | { field: string; issue: string } {
  const type = spec.package_type ?? "data-limited";
  if (!(PACKAGE_TYPES as readonly string[]).includes(type)) {
    return { field: "package_type", issue: `must be one of ${PACKAGE_TYPES.join(", ")}` };
  }
  const packageType = type as PackageType;

  const days = spec.package_duration ?? DEFAULT_DURATION_DAYS[packageType];
  const [minDays, maxDays] = durationLimits[packageType];
  if (!Number.isInteger(days) || days < minDays || days > maxDays) {
    return { field: "package_duration", issue: `must be ${minDays}–${maxDays} days for ${packageType} packages` };
  }

  // Unlimited has no data cap, so a size is ignored; starter and time-limited fall back to their catalogue size.
  if (packageType === "unlimited") return { type: packageType, bytes: null, days };
  const size = spec.size ?? { starter: "500MB", "time-limited": "5GB", "data-limited": undefined }[packageType];
  if (size === undefined) return { field: "size", issue: "is required for data-limited packages" };
  const bytes = sizeToBytes(size);
  if (bytes === undefined) return { field: "size", issue: "must look like 500MB, 1GB or 1.5GB" };
  if (bytes === 0) return { field: "size", issue: "must be more than 0" };
  return { type: packageType, bytes, days };
}

/**
 * Turns a package specification into concrete packages, as Hubby's routing does (reference §4.1, §6.3):
 * - a `package_id` selects a catalogue bundle and everything else is ignored; an unknown id fails, with no fallback;
 * - otherwise the type defaults to data-limited (365 days); starter to 500MB for 2 days; unlimited has no cap;
 * - several destinations are covered at the lowest total B2B price, with a regional bundle wherever it costs less
 *   than the countries it replaces (GL + CA + US + MX → North America + Greenland). A region asked for by code is
 *   always used, and countries it covers are dropped.
 * Output: regions, then countries, each in catalogue order, whatever the order asked.
 */
export function routePackageSpecification(spec: PackageSpecificationInput): RouteResult {
  if (spec.package_id !== undefined) {
    const match = catalogueBundles.get(spec.package_id);
    if (!match) return { ok: false, field: "package_id", issue: `unknown package ${spec.package_id}` };
    return { ok: true, packages: [toRoutedPackage(match.destination, match.bundle)] };
  }

  const request = readRequest(spec);
  if ("issue" in request) return { ok: false, ...request };

  const codes =
    spec.destination === undefined ? [] : Array.isArray(spec.destination) ? spec.destination : [spec.destination];
  if (codes.length === 0) return { ok: false, field: "destination", issue: "is required" };
  const asked = new Map<string, Destination>();
  for (const code of codes) {
    const destination = destinationByCode.get(String(code).trim().toUpperCase());
    if (!destination) return { ok: false, field: "destination", issue: `unknown destination ${code}` };
    if (!offersType(destination, request.type)) {
      return { ok: false, field: "package_type", issue: `${request.type} packages are not offered for ${code}` };
    }
    asked.set(destination.id, destination);
  }

  const chosen = cheapestCover([...asked.values()], request);
  return {
    ok: true,
    packages: chosen.map((destination) => toRoutedPackage(destination, bundleForRequest(destination, request))),
  };
}

/**
 * Exact cheapest cover: the regions asked for, plus whichever subset of the other regions (there are few) gives the
 * lowest total with single-country packages for the rest. Ties go to fewer packages, then to catalogue order.
 */
function cheapestCover(asked: Destination[], request: Request): Destination[] {
  const priceOf = (destination: Destination) => b2bPriceCents(destination, request.type, request.bytes, request.days);
  const forced = asked.filter((destination) => destination.type !== "country");
  const forcedCovers = new Set(forced.flatMap(coveredCountries));
  const countriesLeft = asked.filter((d) => d.type === "country" && !forcedCovers.has(d.id));
  const optional = regionList.filter(
    (region) =>
      !forced.some((f) => f.id === region.id) &&
      offersType(region, request.type) &&
      countriesLeft.some((country) => coveredCountries(region).includes(country.id)),
  );

  let best: { cost: number; picked: Destination[] } | undefined;
  for (let mask = 0; mask < 1 << optional.length; mask++) {
    const regions = optional.filter((_, index) => mask & (1 << index));
    const covered = new Set(regions.flatMap(coveredCountries));
    const singles = countriesLeft.filter((country) => !covered.has(country.id));
    const picked = [...regions, ...singles];
    const cost = picked.reduce((sum, destination) => sum + priceOf(destination), 0);
    if (!best || cost < best.cost || (cost === best.cost && picked.length < best.picked.length)) {
      best = { cost, picked };
    }
  }
  return [...forced, ...(best?.picked ?? [])].sort(
    (a, b) => Number(a.type === "country") - Number(b.type === "country") || a.sort_order - b.sort_order,
  );
}
