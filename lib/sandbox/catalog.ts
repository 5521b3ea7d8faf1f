import countries from "i18n-iso-countries";
import de from "i18n-iso-countries/langs/de.json";
import en from "i18n-iso-countries/langs/en.json";
import es from "i18n-iso-countries/langs/es.json";
import fr from "i18n-iso-countries/langs/fr.json";
import it from "i18n-iso-countries/langs/it.json";
import nl from "i18n-iso-countries/langs/nl.json";
import pt from "i18n-iso-countries/langs/pt.json";

/**
 * The sandbox's destination catalogue (reference §6.4): countries and regions with their bundles. Hubby publishes
 * no prices, so every price here is synthetic, derived from the tier and size (reference §7: a tier-1 country
 * costs 2.50 / 4.99 EUR for 1GB B2B / B2C). Byte math is binary (1GB = 1073741824).
 */

for (const locale of [en, nl, de, fr, es, it, pt]) countries.registerLocale(locale);
const LOCALES = ["en", "nl", "de", "fr", "es", "it", "pt"] as const;

export type PackageType = "data-limited" | "time-limited" | "starter" | "unlimited";

export type Destination = {
  id: string;
  type: string;
  tier: 1 | 2 | 3;
  iso2: string | null;
  iso3: string;
  iso3s: string[];
  name: string;
  i18n_name: Record<string, string>;
  is_active: true;
  sort_order: number;
};

export type Bundle = {
  id: string;
  type: PackageType;
  label: string;
  duration_in_days: number;
  duration_in_seconds: number;
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
  synthetic_price: true;
};

// Tier 1: cheap, well-covered destinations; tier 3: expensive roaming.
const countryTiers: Record<string, 1 | 2 | 3> = {
  GR: 1,
  FR: 1,
  ES: 1,
  IT: 1,
  DE: 1,
  NL: 1,
  PT: 1,
  GB: 1,
  AT: 1,
  BE: 1,
  CH: 2,
  IE: 1,
  SE: 1,
  DK: 1,
  NO: 2,
  PL: 1,
  CZ: 1,
  TR: 2,
  US: 1,
  CA: 2,
  MX: 2,
  GL: 3,
  BR: 2,
  AU: 2,
  NZ: 2,
  AE: 2,
  SA: 3,
  EG: 3,
  MA: 2,
  ZA: 3,
  JP: 1,
  KR: 2,
  CN: 2,
  SG: 1,
  ID: 2,
  VN: 2,
  IN: 2,
  TH: 1,
};

// Region codes match ^[A-Z]{2,3}$ like Hubby's (EU is documented) and clash with no ISO2/ISO3 code used here.
const regionDefinitions: { id: string; type: string; name: string; tier: 1 | 2 | 3; members: string[] }[] = [
  {
    id: "EU",
    type: "Europe",
    name: "Europe",
    tier: 1,
    members: ["GR", "FR", "ES", "IT", "DE", "NL", "PT", "GB", "AT", "BE", "CH", "IE", "SE", "DK", "NO", "PL", "CZ"],
  },
  { id: "NA", type: "North America", name: "North America", tier: 2, members: ["US", "CA", "MX"] },
  { id: "AS", type: "Asia", name: "Asia", tier: 2, members: ["JP", "KR", "CN", "SG", "ID", "VN", "IN", "TH"] },
  { id: "ME", type: "Middle East", name: "Middle East", tier: 3, members: ["AE", "SA", "EG", "TR"] },
  { id: "OC", type: "Oceania", name: "Oceania", tier: 2, members: ["AU", "NZ"] },
];

const tierPrice: Record<1 | 2 | 3, number> = { 1: 2.5, 2: 3.5, 3: 6 };
const sizes = ["1GB", "3GB", "5GB", "10GB", "20GB"] as const;
// Larger bundles cost less per GB.
const sizeFactor: Record<(typeof sizes)[number], number> = {
  "1GB": 1,
  "3GB": 2.2,
  "5GB": 3.2,
  "10GB": 5.6,
  "20GB": 9.6,
};

const round = (value: number) => Math.round(value * 100) / 100;
const retail = (b2b: number) => Math.max(0.99, Math.ceil(b2b * 1.9) - 0.01);

const GB = 1073741824;
const MB = 1048576;

/** `"1GB"` → 1073741824, `"500MB"` → 524288000, `"1.5GB"` → 1610612736; anything else → undefined. */
export function sizeToBytes(size: string): number | undefined {
  const match = /^([0-9]\d*(?:\.\d+)?)(MB|GB)$/.exec(size);
  if (!match) return undefined;
  return Math.round(Number(match[1]) * (match[2] === "GB" ? GB : MB));
}

export function bytesToLabel(bytes: number): string {
  return bytes >= GB ? `${Number((bytes / GB).toFixed(2))}GB` : `${Math.round(bytes / MB)}MB`;
}

function i18nNames(iso2: string): Record<string, string> {
  return Object.fromEntries(
    LOCALES.map((locale) => [
      locale,
      countries.getName(iso2, locale, { select: locale === "en" ? "official" : "alias" }) ?? iso2,
    ]),
  );
}

const countryList: Destination[] = Object.entries(countryTiers)
  .map(([iso2, tier]) => ({
    id: iso2,
    type: "country",
    tier,
    iso2,
    iso3: countries.alpha2ToAlpha3(iso2)!,
    iso3s: [countries.alpha2ToAlpha3(iso2)!],
    name: countries.getName(iso2, "en")!,
    i18n_name: i18nNames(iso2),
    is_active: true as const,
    sort_order: 0,
  }))
  .sort((a, b) => a.name.localeCompare(b.name))
  .map((destination, index) => ({ ...destination, sort_order: index + 1 }));

const regionList: Destination[] = regionDefinitions.map((region, index) => ({
  id: region.id,
  type: region.type,
  tier: region.tier,
  iso2: null,
  iso3: region.id,
  iso3s: region.members.map((iso2) => countries.alpha2ToAlpha3(iso2)!),
  name: region.name,
  i18n_name: Object.fromEntries(LOCALES.map((locale) => [locale, region.name])),
  is_active: true as const,
  sort_order: 1000 + index,
}));

const regionMembers = new Map(regionDefinitions.map((region) => [region.id, region.members]));

export function listDestinations(): Destination[] {
  return [...countryList, ...regionList];
}

/** By ISO2, ISO3 or region code, any case. */
export function findDestination(code: string): Destination | undefined {
  const upper = code.trim().toUpperCase();
  return listDestinations().find((d) => d.id === upper || d.iso3 === upper);
}

/** Prices of a destination's 1GB data bundle; regions cost about 1.8 member countries, so they pay off from 2–3. */
function basePrice(destination: Destination): number {
  if (destination.type === "country") return tierPrice[destination.tier];
  return round(tierPrice[destination.tier] * 1.8);
}

export function bundlesFor(destination: Destination): Bundle[] {
  const code = destination.id.toLowerCase();
  const base = basePrice(destination);
  const bundle = (
    init: Omit<
      Bundle,
      | "currency"
      | "is_active"
      | "is_visible"
      | "synthetic_price"
      | "duration_in_seconds"
      | "size_in_megabytes"
      | "size_in_gigabytes"
    >,
  ): Bundle => ({
    ...init,
    duration_in_seconds: init.duration_in_days * 86_400,
    size_in_megabytes: init.size_in_bytes === null ? null : Math.round(init.size_in_bytes / MB),
    size_in_gigabytes: init.size_in_bytes === null ? null : round(init.size_in_bytes / GB),
    currency: "EUR",
    is_active: true,
    is_visible: true,
    synthetic_price: true,
  });
  const b2b500 = round(base * 0.6);
  const list: Bundle[] = [
    bundle({
      id: `pkg_${code}_500mb_starter`,
      type: "starter",
      label: "500MB",
      duration_in_days: 2,
      size_in_bytes: 500 * MB,
      b2b_price: b2b500,
      b2c_price: retail(b2b500),
      priority: 5,
    }),
  ];
  for (const size of sizes) {
    const b2b = round(base * sizeFactor[size]);
    list.push(
      bundle({
        id: `pkg_${code}_${size.toLowerCase()}_dl`,
        type: "data-limited",
        label: size,
        duration_in_days: 365,
        size_in_bytes: sizeToBytes(size)!,
        b2b_price: b2b,
        b2c_price: retail(b2b),
        priority: 10,
      }),
    );
  }
  const unlimited = round(base * 4);
  list.push(
    bundle({
      id: `pkg_${code}_unlimited_7d`,
      type: "unlimited",
      label: "7 Days",
      duration_in_days: 7,
      size_in_bytes: null,
      b2b_price: unlimited,
      b2c_price: retail(unlimited),
      priority: 20,
      traffic_policy: "fair-use-2GB-per-day-then-512kbps",
    }),
  );
  const timed = round(base * 2);
  list.push(
    bundle({
      id: `pkg_${code}_5gb_5d_tl`,
      type: "time-limited",
      label: "5 Days",
      duration_in_days: 5,
      size_in_bytes: 5 * GB,
      b2b_price: timed,
      b2c_price: retail(timed),
      priority: 30,
    }),
  );
  return list;
}

export function getDestinationWithBundles(code: string): (Destination & { bundles: Bundle[] }) | undefined {
  const destination = findDestination(code);
  return destination ? { ...destination, bundles: bundlesFor(destination) } : undefined;
}

export type RoutedPackage = {
  package_id: string;
  destination_id: string;
  destination_iso3: string;
  bundle_label: string;
  size: string | null;
  bytes: number | null;
  duration_days: number;
  package_type: PackageType;
  b2b_price: number;
  b2c_price: number;
  countries: string[];
};

export type PackageSpecificationInput = {
  destination: string | string[];
  size?: string;
  package_type?: PackageType;
  package_duration?: number;
  package_id?: string;
};

export type RouteResult = { ok: true; packages: RoutedPackage[] } | { ok: false; field: string; issue: string };

/**
 * Turns a package specification into concrete packages, like Hubby's routing: a `package_id` is taken as is (no
 * fallback when it is wrong); several destinations are covered as cheaply as possible, with a regional bundle
 * where it costs less than the countries it replaces (GL+CA+US+MX → North America + Greenland).
 */
export function routePackageSpecification(spec: PackageSpecificationInput): RouteResult {
  if (spec.package_id) {
    const match = listDestinations()
      .flatMap((destination) => bundlesFor(destination).map((bundle) => ({ destination, bundle })))
      .find((entry) => entry.bundle.id === spec.package_id);
    if (!match) return { ok: false, field: "package_id", issue: `unknown package ${spec.package_id}` };
    return { ok: true, packages: [toPackage(match.destination, match.bundle)] };
  }

  const type: PackageType = spec.package_type ?? "data-limited";
  const size = spec.size ?? (type === "starter" ? "500MB" : undefined);
  if (type !== "unlimited" && !size) return { ok: false, field: "size", issue: "is required" };
  const bytes = size === undefined ? null : sizeToBytes(size);
  if (bytes === undefined) return { ok: false, field: "size", issue: "must look like 500MB or 1GB" };
  const duration = spec.package_duration ?? { "data-limited": 365, starter: 2, "time-limited": 7, unlimited: 7 }[type];
  if (type === "time-limited" && (duration < 1 || duration > 30)) {
    return { ok: false, field: "package_duration", issue: "must be 1–30 days for time-limited packages" };
  }
  if (type === "starter" && (duration < 1 || duration > 3)) {
    return { ok: false, field: "package_duration", issue: "must be 1–3 days for starter packages" };
  }

  const codes = [...new Set(Array.isArray(spec.destination) ? spec.destination : [spec.destination])];
  const destinations: Destination[] = [];
  for (const code of codes) {
    const destination = findDestination(code);
    if (!destination) return { ok: false, field: "destination", issue: `unknown destination ${code}` };
    destinations.push(destination);
  }

  const chosen = coverCheapest(destinations);
  return {
    ok: true,
    packages: chosen.map((destination) => {
      const priced = priceFor(destination, type, bytes);
      return {
        package_id: `pkg_${destination.id.toLowerCase()}_${size ? size.toLowerCase() : "unl"}_${abbreviation[type]}_${duration}d`,
        destination_id: destination.id,
        destination_iso3: destination.iso3,
        bundle_label: type === "unlimited" || type === "time-limited" ? `${duration} Days` : size!,
        size: size ?? null,
        bytes,
        duration_days: duration,
        package_type: type,
        b2b_price: priced,
        b2c_price: retail(priced),
        countries: destination.iso3s,
      };
    }),
  };
}

const abbreviation: Record<PackageType, string> = {
  "data-limited": "dl",
  starter: "st",
  "time-limited": "tl",
  unlimited: "un",
};

function priceFor(destination: Destination, type: PackageType, bytes: number | null): number {
  const perGb = basePrice(destination);
  if (type === "unlimited") return round(perGb * 4);
  const gb = (bytes ?? GB) / GB;
  // Price per GB falls with size, as in the bundle table.
  return round(perGb * Math.max(0.6, gb ** 0.75));
}

function toPackage(destination: Destination, bundle: Bundle): RoutedPackage {
  return {
    package_id: bundle.id,
    destination_id: destination.id,
    destination_iso3: destination.iso3,
    bundle_label: bundle.label,
    size: bundle.size_in_bytes === null ? null : bytesToLabel(bundle.size_in_bytes),
    bytes: bundle.size_in_bytes,
    duration_days: bundle.duration_in_days,
    package_type: bundle.type,
    b2b_price: bundle.b2b_price,
    b2c_price: bundle.b2c_price,
    countries: destination.iso3s,
  };
}

/** Greedy cover: replace member countries by their region whenever the region is cheaper than those countries. */
function coverCheapest(destinations: Destination[]): Destination[] {
  let remaining = destinations.filter((d) => d.type === "country");
  const chosen = destinations.filter((d) => d.type !== "country");
  const coveredByChosen = (d: Destination) => chosen.some((region) => regionMembers.get(region.id)?.includes(d.id));
  remaining = remaining.filter((d) => !coveredByChosen(d));
  for (;;) {
    let best: { region: Destination; saving: number; members: Destination[] } | undefined;
    for (const region of regionList) {
      const members = remaining.filter((d) => regionMembers.get(region.id)!.includes(d.id));
      if (members.length < 2) continue;
      const saving = members.reduce((sum, d) => sum + basePrice(d), 0) - basePrice(region);
      if (saving > 0 && (!best || saving > best.saving)) best = { region, saving, members };
    }
    if (!best) break;
    chosen.push(best.region);
    remaining = remaining.filter((d) => !best.members.includes(d));
  }
  return [...chosen, ...remaining];
}
