import type { Random } from "./random";

/**
 * The sandbox's state: travelers with one universal eSIM each, their package queues and packages, bookings and
 * redirect tokens. Plain JSON so it can be saved to disk and reloaded. Field names follow the Hubby docs
 * (reference §4.5, §6) so the HTTP layer can return them with little reshaping.
 */

export type EsimStatus = "RELEASED" | "INSTALLED" | "ENABLED";
export type PackageType = "data-limited" | "time-limited" | "starter" | "unlimited";
export type PackageStatus = "ACTIVE" | "DEPLETED" | "EXPIRED";

export type Device = { brand: string; model: string; os: "ios" | "android"; version: string };

/** How a simulated traveler behaves; drawn once from the seed. */
export type Behaviour = {
  willInstall: boolean;
  installDelayHours: number;
  /** Share of a data package used per day while travelling. */
  dailyUsageShare: number;
  tripDays: number;
  autoRedeem: boolean;
  removesEsimAfterHours: number | null;
  reinstallAfterHours: number | null;
  inAppPurchaseAfterDays: number | null;
  /** A promo code from the booking that the traveler redeems in the app when installing (promo_code.redeemed). */
  promoCode?: string | null;
};

export type SandboxEsim = {
  iccid: string;
  qr: string;
  status: EsimStatus;
  provider: string;
  name: string;
  time_assigned: string;
  last_updated: string;
  install_due_at: number | null;
  installed_at: string | null;
  removed_at: string | null;
  reinstall_due_at: number | null;
};

export type PackageQueue = {
  id: string;
  uuid: string;
  type: "booking" | "payment";
  booking_id: string;
  /** This purchase's package id (unique), and the catalogue bundle it was routed to. */
  package_id: string;
  bundle_id: string;
  destination: string;
  package_specification: {
    iso3: string;
    destination: string;
    size: string | null;
    bytes: number | null;
    duration_days: number;
    package_type: PackageType;
  };
  b2b_price: number;
  created_at: string;
  redeemed_at: string | null;
};

export type EsimPackage = {
  id: string;
  queue_id: string;
  booking_id: string;
  template: string;
  destination_bundle: string;
  destination: string;
  destination_iso3: string;
  size: string | null;
  package_type: PackageType;
  assigned_at: string;
  date_activated: string | null;
  expires_at: string | null;
  status: PackageStatus;
  total_bytes: number | null;
  used_bytes: number;
  duration_days: number;
  thresholds_sent: number[];
  /** When the traveler's data use on this package stops (end of the trip). */
  usage_ends_at: number | null;
};

export type Traveler = {
  id: string;
  external_user_id: string;
  email: string | null;
  full_name: string | null;
  locale: string;
  custom_branding: string | null;
  created_at: string;
  device: Device;
  behaviour: Behaviour;
  esim: SandboxEsim | null;
  package_queues: PackageQueue[];
  packages: EsimPackage[];
  purchased_in_app: boolean;
};

export type BookingSpecResult = {
  external_user_id: string;
  package_id: string;
  package_queue_id: string;
  destination: string;
  size: string | null;
  package_type: PackageType;
  status: "provisioned";
};

export type Booking = {
  id: string;
  booking_id: string | null;
  status: "CONFIRMED" | "COMPLETED";
  departure_date: string;
  return_date: string | null;
  created_at: string;
  locale: string | null;
  custom_branding: string | null;
  email: string | null;
  full_name: string | null;
  package_specifications: BookingSpecResult[];
  /** The codes its specifications without external_user_id issued, as replies show them (lib/hubby-sandbox/promo-code-flow.ts). */
  promo_codes?: PromoCodeView[];
  cutoff_sent: boolean;
  about_to_depart_sent: boolean;
};

/** A code as Hubby's reply shows it: exactly the fields of the reference's promo-code example. */
export type PromoCodeView = {
  promo_code: string;
  uuid: string;
  claim_url: string;
  deep_link_url: string;
  package_id: string;
  package_size: string | null;
  /** The destination's name ("Turkey"), as the reference's example has it; iso3 carries its code. */
  destination: string;
  iso3: string;
  package_type: string;
  package_duration: number;
};

/** The simulation's side of a promo code (lib/hubby-sandbox/promo-code-flow.ts): when (if ever) it is redeemed. */
export type SandboxPromoCode = {
  promo_code: string;
  booking_id: string;
  created_at: string;
  /** Simulated time the code gets redeemed; null when it never is. */
  redeem_due_at: number | null;
  redeemed_at: string | null;
};

export type RedirectToken = { token: string; external_user_id: string; expires_at: number; consumed_at: number | null };

export type World = {
  version: 1;
  seed: number;
  partner: { id: string; name: string };
  travelers: Record<string, Traveler>;
  bookings: Booking[];
  redirectTokens: Record<string, RedirectToken>;
  /** Promo codes issued by bookings (absent in a world saved before they existed). */
  promoCodes?: SandboxPromoCode[];
  /** Simulated time of the last tick, so a restart resumes where it stopped. */
  simulatedUntil: number;
  nextArrivalAt: number | null;
  counter: number;
};

export const DAY = 86_400_000;
export const HOUR = 3_600_000;

export function emptyWorld(seed: number, now: number): World {
  return {
    version: 1,
    seed,
    partner: { id: "partner_demo", name: "Demo Travel Co" },
    travelers: {},
    bookings: [],
    redirectTokens: {},
    simulatedUntil: now,
    nextArrivalAt: null,
    counter: 0,
  };
}

export function nextId(world: World, prefix: string, random: Random): string {
  world.counter += 1;
  return `${prefix}_${world.counter.toString(36)}${random.code(6, "abcdefghijklmnopqrstuvwxyz0123456789")}`;
}

const devices: Device[] = [
  { brand: "Apple", model: "iPhone 15 Pro", os: "ios", version: "17.4" },
  { brand: "Apple", model: "iPhone 14", os: "ios", version: "16.6" },
  { brand: "Apple", model: "iPhone 16", os: "ios", version: "18.1" },
  { brand: "Apple", model: "iPhone 13 mini", os: "ios", version: "17.1" },
  { brand: "Samsung", model: "Galaxy S24", os: "android", version: "14" },
  { brand: "Samsung", model: "Galaxy S23", os: "android", version: "14" },
  { brand: "Google", model: "Pixel 10", os: "android", version: "15" },
  { brand: "Google", model: "Pixel 8", os: "android", version: "14" },
];

const locales = ["en-GB", "en-US", "nl-NL", "de-DE", "fr-FR", "es-ES", "it-IT", "pt-PT"];

export function drawBehaviour(random: Random): Behaviour {
  const removes = random.chance(0.1);
  return {
    willInstall: random.chance(0.85),
    installDelayHours: random.int(1, 72),
    dailyUsageShare: 0.04 + random.next() * 0.3,
    tripDays: random.int(3, 21),
    autoRedeem: random.chance(0.8),
    removesEsimAfterHours: removes ? random.int(12, 96) : null,
    reinstallAfterHours: removes && random.chance(0.7) ? random.int(1, 24) : null,
    inAppPurchaseAfterDays: random.chance(0.2) ? random.int(2, 10) : null,
    promoCode: random.chance(0.15) ? random.code(10) : null,
  };
}

export function newTraveler(
  world: World,
  random: Random,
  init: {
    external_user_id: string;
    now: number;
    email?: string | null;
    full_name?: string | null;
    locale?: string | null;
    custom_branding?: string | null;
  },
): Traveler {
  const traveler: Traveler = {
    id: nextId(world, "usr", random),
    external_user_id: init.external_user_id,
    email: init.email ?? null,
    full_name: init.full_name ?? null,
    locale: init.locale ?? random.pick(locales),
    custom_branding: init.custom_branding ?? null,
    created_at: new Date(init.now).toISOString(),
    device: random.pick(devices),
    behaviour: drawBehaviour(random),
    esim: null,
    package_queues: [],
    packages: [],
    purchased_in_app: false,
  };
  world.travelers[traveler.external_user_id] = traveler;
  return traveler;
}

/** One universal eSIM per traveler (reference §6.3): a 19-digit ICCID and an LPA activation string. */
export function assignUniversalEsim(traveler: Traveler, random: Random, now: number): SandboxEsim {
  const iso = new Date(now).toISOString();
  traveler.esim = {
    iccid: `8931${random.digits(15)}`,
    qr: `LPA:1$smdp.sandbox.hubby.test$${random.code(20)}`,
    status: "RELEASED",
    provider: "telna",
    name: "Hubby Universal ESIM",
    time_assigned: iso,
    last_updated: iso,
    install_due_at: traveler.behaviour.willInstall ? now + traveler.behaviour.installDelayHours * HOUR : null,
    installed_at: null,
    removed_at: null,
    reinstall_due_at: null,
  };
  return traveler.esim;
}

/** Remaining bytes across ACTIVE packages (unlimited counts as 0 toward the meter). */
export function esimTotals(traveler: Traveler) {
  let total = 0;
  let left = 0;
  let used = false;
  for (const pkg of traveler.packages) {
    if (pkg.used_bytes > 0) used = true;
    if (pkg.status !== "ACTIVE" || pkg.total_bytes === null) continue;
    total += pkg.total_bytes;
    left += Math.max(0, pkg.total_bytes - pkg.used_bytes);
  }
  return { total_data: total, data_left: left, data_used: used };
}
