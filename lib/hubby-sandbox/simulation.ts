import type { CreateBookingInput } from "../hubby/schemas";
import { routePackageSpecification, type RoutedPackage } from "./destinations";
import { issuePromoCode, redeemDuePromoCodes } from "./promo-code-flow";
import type { Random } from "./random";
import {
  DAY,
  HOUR,
  assignUniversalEsim,
  newTraveler,
  nextId,
  type Booking,
  type EsimPackage,
  type PackageQueue,
  type Traveler,
  type World,
} from "./world";

/**
 * What happens in the sandbox: bookings create package queues, redeeming moves a queue entry onto the eSIM, and
 * the simulation clock moves travelers along (install → activate → 20/50/80 % → depletion or expiry, the departure
 * reminders), emitting the webhook events Hubby documents (reference §5.1) as it goes.
 */

export type SandboxEvent = { event: string; timestamp: string; data: Record<string, unknown> };
export type Emit = (event: SandboxEvent) => void;

export class SandboxError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

const iso = (time: number) => new Date(time).toISOString();
const USAGE_THRESHOLDS = [20, 50, 80] as const;

// ── Bookings ────────────────────────────────────────────────────────────────────────────────────────────────

/** A queued package as a booking's reply and the purchase events name it. */
function queuedPackage(traveler: Traveler, queue: PackageQueue, pkg: RoutedPackage) {
  return {
    external_user_id: traveler.external_user_id,
    package_id: queue.package_id,
    package_queue_id: queue.id,
    destination: pkg.destination_id,
    size: pkg.size,
    package_type: pkg.package_type,
  };
}

/**
 * A package waiting on the traveler's eSIM: bought by a partner's booking, or in the app (a "payment", with an id
 * of its own). Ids are drawn in the same order for both, so a seeded world comes out the same.
 */
function newPackageQueue(
  world: World,
  random: Random,
  pkg: RoutedPackage,
  origin: { type: "booking"; bookingId: string; at: number } | { type: "payment"; at: number },
): PackageQueue {
  return {
    id: nextId(world, "pq", random),
    uuid: random.uuid(),
    type: origin.type,
    booking_id: origin.type === "booking" ? origin.bookingId : nextId(world, "payment", random),
    package_id: nextId(world, "pkg", random),
    bundle_id: pkg.bundle_id,
    destination: pkg.destination_id,
    package_specification: {
      iso3: pkg.destination_iso3,
      destination: pkg.destination_id,
      size: pkg.size,
      bytes: pkg.bytes,
      duration_days: pkg.duration_days,
      package_type: pkg.package_type,
    },
    b2b_price: pkg.b2b_price,
    created_at: iso(origin.at),
    redeemed_at: null,
  };
}

export function createBooking(
  world: World,
  random: Random,
  input: CreateBookingInput & {
    booking_id?: string;
    email?: string;
    full_name?: string;
    return_date?: string;
  },
  now: number,
  emit: Emit,
): Booking {
  const departure = Date.parse(input.departure_date);
  if (Number.isNaN(departure)) {
    throw new SandboxError(400, "Validation failed", { field: "departure_date", issue: "must be an ISO 8601 date" });
  }
  // A date-only departure means "that day"; compare against the start of today so today is accepted. Staff pick
  // dates on the wall-clock calendar, as they would for Hubby, whose clock is the wall clock: a sandbox clock that
  // runs ahead (60× by default) must not refuse today's date a few minutes after an evening start.
  if (departure < Math.min(now, Date.now()) - DAY) {
    throw new SandboxError(400, "Validation failed", { field: "departure_date", issue: "must be a future date" });
  }

  // Route every specification first, so one bad spec fails the whole booking and nothing is half-issued.
  const routed = input.package_specifications.map((spec, index) => {
    const route = routePackageSpecification(spec);
    if (!route.ok) {
      throw new SandboxError(400, "Validation failed", {
        field: `package_specifications[${index}].${route.field}`,
        issue: route.issue,
      });
    }
    return { spec, packages: route.packages };
  });

  const booking: Booking = {
    id: nextId(world, "booking", random),
    booking_id: input.booking_id ?? null,
    status: "CONFIRMED",
    departure_date: input.departure_date,
    return_date: input.return_date ?? null,
    created_at: iso(now),
    locale: input.locale ?? null,
    custom_branding: input.custom_branding ?? null,
    email: input.email ?? null,
    full_name: input.full_name ?? null,
    package_specifications: [],
    cutoff_sent: false,
    about_to_depart_sent: false,
  };

  for (const { spec, packages } of routed) {
    // Without a traveler the specification issues a promo code (the promo-code flow, reference §4.1).
    if (!spec.external_user_id) {
      issuePromoCode(world, random, booking, packages[0]!, now);
      continue;
    }
    const traveler =
      world.travelers[spec.external_user_id] ??
      newTraveler(world, random, {
        external_user_id: spec.external_user_id,
        now,
        email: input.email,
        full_name: input.full_name,
        locale: input.locale,
        custom_branding: input.custom_branding,
      });
    if (input.custom_branding) traveler.custom_branding = input.custom_branding;
    if (!traveler.esim) assignUniversalEsim(traveler, random, now);
    for (const pkg of packages) {
      const queue = newPackageQueue(world, random, pkg, { type: "booking", bookingId: booking.id, at: now });
      traveler.package_queues.push(queue);
      booking.package_specifications.push({ ...queuedPackage(traveler, queue, pkg), status: "provisioned" });
    }
    // A traveler whose eSIM is already on the phone gets a top-up straight onto it when nothing is active.
    if (traveler.esim?.status !== "RELEASED" && traveler.behaviour.autoRedeem && !activePackage(traveler)) {
      redeemNext(world, traveler, now, emit);
    }
  }
  world.bookings.push(booking);
  return booking;
}

// ── Redeem ──────────────────────────────────────────────────────────────────────────────────────────────────

export function redeemPackageQueue(traveler: Traveler, queueId: string, now: number): EsimPackage {
  const queue = traveler.package_queues.find((entry) => entry.id === queueId || entry.uuid === queueId);
  if (!queue) {
    throw new SandboxError(404, "Package queue not found", {
      field: "package_queue_id",
      issue: "no such package queue",
    });
  }
  if (queue.redeemed_at) {
    throw new SandboxError(400, "Package queue already redeemed", {
      field: "package_queue_id",
      issue: `already redeemed at ${queue.redeemed_at}`,
    });
  }
  if (!traveler.esim) {
    throw new SandboxError(400, "User has no universal eSIM", { field: "external_user_id", issue: "no eSIM assigned" });
  }
  queue.redeemed_at = iso(now);
  const spec = queue.package_specification;
  const pkg: EsimPackage = {
    id: queue.package_id,
    queue_id: queue.id,
    booking_id: queue.booking_id,
    template: `tpl_${spec.destination.toLowerCase()}_${spec.package_type}`,
    destination_bundle: queue.bundle_id,
    destination: spec.destination,
    destination_iso3: spec.iso3,
    size: spec.size,
    package_type: spec.package_type,
    assigned_at: iso(now),
    date_activated: null,
    expires_at: null,
    status: "ACTIVE",
    total_bytes: spec.bytes,
    used_bytes: 0,
    duration_days: spec.duration_days,
    thresholds_sent: [],
    usage_ends_at: null,
  };
  traveler.packages.push(pkg);
  traveler.esim.last_updated = iso(now);
  return pkg;
}

function redeemNext(world: World, traveler: Traveler, now: number, emit: Emit) {
  const next = traveler.package_queues.find((queue) => !queue.redeemed_at);
  if (!next) return;
  redeemPackageQueue(traveler, next.id, now);
  // Top-ups on a phone that is already abroad become usable at once.
  if (traveler.esim?.status === "ENABLED") activateDuePackages(world, traveler, now, emit, 0);
}

function activePackage(traveler: Traveler) {
  return traveler.packages.find((pkg) => pkg.status === "ACTIVE");
}

// ── The simulation ──────────────────────────────────────────────────────────────────────────────────────────

/** In-app purchases have no booking, so their packages activate at once. */
function departureOf(world: World, bookingId: string): number {
  const booking = world.bookings.find((entry) => entry.id === bookingId);
  return booking ? Date.parse(booking.departure_date) : 0;
}

/** Advances the world to `now`, emitting events in time order per traveler. */
export function advance(world: World, random: Random, now: number, emit: Emit, options: { arrivals?: boolean } = {}) {
  const from = world.simulatedUntil;
  if (now <= from) return;

  if (options.arrivals) generateArrivals(world, random, now, emit);

  for (const booking of world.bookings) departureReminders(world, booking, from, now, emit);

  for (const traveler of Object.values(world.travelers)) {
    const esim = traveler.esim;
    if (!esim) continue;

    if (esim.status === "RELEASED" && !esim.removed_at && esim.install_due_at !== null && now >= esim.install_due_at) {
      install(traveler, Math.max(from, esim.install_due_at), emit);
      if (!activePackage(traveler)) redeemNext(world, traveler, Math.max(from, esim.install_due_at), emit);
    }
    if (
      esim.status === "RELEASED" &&
      esim.removed_at &&
      esim.reinstall_due_at !== null &&
      now >= esim.reinstall_due_at
    ) {
      install(traveler, esim.reinstall_due_at, emit);
    }
    if (esim.status !== "RELEASED") {
      activateDuePackages(world, traveler, now, emit, from);
      consume(world, traveler, from, now, emit);
      removeIfDue(traveler, now, emit);
      inAppPurchase(world, random, traveler, now, emit);
    }
  }
  redeemDuePromoCodes(world, now, emit);
  world.simulatedUntil = now;
}

function install(traveler: Traveler, at: number, emit: Emit) {
  const esim = traveler.esim!;
  esim.status = traveler.packages.some((pkg) => pkg.status === "ACTIVE" && pkg.date_activated)
    ? "ENABLED"
    : "INSTALLED";
  esim.installed_at = iso(at);
  esim.removed_at = null;
  esim.reinstall_due_at = null;
  esim.last_updated = iso(at);
  emit({
    event: "esim.installed",
    timestamp: iso(at),
    data: { external_user_id: traveler.external_user_id, booking_id: latestBookingId(traveler), iccid: esim.iccid },
  });
  const promoCode = traveler.behaviour.promoCode;
  if (promoCode) {
    traveler.behaviour.promoCode = null; // redeemed once
    // The documented payload carries no external_user_id (reference §5.1).
    emit({
      event: "promo_code.redeemed",
      timestamp: iso(at),
      data: { promocode: promoCode, booking_id: latestBookingId(traveler), redeemed_at: iso(at) },
    });
  }
}

function removeIfDue(traveler: Traveler, now: number, emit: Emit) {
  const esim = traveler.esim!;
  const after = traveler.behaviour.removesEsimAfterHours;
  if (after === null || !esim.installed_at || esim.removed_at) return;
  const due = Date.parse(esim.installed_at) + after * HOUR;
  if (now < due) return;
  traveler.behaviour.removesEsimAfterHours = null; // once per traveler
  esim.status = "RELEASED";
  esim.removed_at = iso(due);
  esim.last_updated = iso(due);
  const reinstall = traveler.behaviour.reinstallAfterHours;
  esim.reinstall_due_at = reinstall === null ? null : due + reinstall * HOUR;
  emit({
    event: "esim.removed",
    timestamp: iso(due),
    data: { external_user_id: traveler.external_user_id, booking_id: latestBookingId(traveler), iccid: esim.iccid },
  });
}

/** Packages activate on arrival: at the booking's departure, once the eSIM is on the phone. */
function activateDuePackages(world: World, traveler: Traveler, now: number, emit: Emit, from: number) {
  const esim = traveler.esim!;
  for (const pkg of traveler.packages) {
    if (pkg.status !== "ACTIVE" || pkg.date_activated) continue;
    const installedAt = esim.installed_at ? Date.parse(esim.installed_at) : now;
    const departure = departureOf(world, pkg.booking_id);
    const at = Math.max(installedAt, Date.parse(pkg.assigned_at), Number.isNaN(departure) ? 0 : departure, from);
    if (now < at) continue;
    pkg.date_activated = iso(at);
    pkg.expires_at = iso(at + pkg.duration_days * DAY);
    pkg.usage_ends_at = at + traveler.behaviour.tripDays * DAY;
    esim.status = "ENABLED";
    esim.last_updated = iso(at);
    emit({
      event: "package.activated",
      timestamp: iso(at),
      data: {
        external_user_id: traveler.external_user_id,
        booking_id: pkg.booking_id,
        package_id: pkg.id,
        destination: pkg.destination,
        size: pkg.size,
        activated_at: pkg.date_activated,
        expires_at: pkg.expires_at,
      },
    });
  }
}

function consume(world: World, traveler: Traveler, from: number, now: number, emit: Emit) {
  for (const pkg of traveler.packages) {
    if (pkg.status !== "ACTIVE" || !pkg.date_activated) continue;
    const activated = Date.parse(pkg.date_activated);
    const expires = Date.parse(pkg.expires_at!);
    const start = Math.max(from, activated);
    const usageEnd = Math.min(now, pkg.usage_ends_at ?? now, expires);

    if (pkg.package_type === "time-limited" || pkg.package_type === "unlimited") {
      const percent = ((Math.min(now, expires) - activated) / (expires - activated)) * 100;
      if (pkg.package_type === "time-limited") {
        crossThresholds(traveler, pkg, percent, activated, expires - activated, emit);
      }
      if (usageEnd > start && pkg.total_bytes === null) {
        pkg.used_bytes += Math.round(((usageEnd - start) / DAY) * 300 * 1024 * 1024);
      }
    } else if (usageEnd > start && pkg.total_bytes) {
      const rate = pkg.total_bytes * traveler.behaviour.dailyUsageShare; // bytes per day
      const before = pkg.used_bytes;
      pkg.used_bytes = Math.min(pkg.total_bytes, before + Math.round(((usageEnd - start) / DAY) * rate));
      for (const threshold of USAGE_THRESHOLDS) {
        if (pkg.thresholds_sent.includes(threshold)) continue;
        const at = (threshold / 100) * pkg.total_bytes;
        if (pkg.used_bytes < at) continue;
        const when = start + ((at - before) / rate) * DAY;
        pkg.thresholds_sent.push(threshold);
        emitUsage(traveler, pkg, threshold, Math.max(start, Math.round(when)), Math.round(at), emit);
      }
      if (pkg.used_bytes >= pkg.total_bytes) {
        pkg.status = "DEPLETED";
        const when = Math.round(start + ((pkg.total_bytes - before) / rate) * DAY);
        traveler.esim!.last_updated = iso(when);
        if (traveler.behaviour.autoRedeem) redeemNext(world, traveler, when, emit);
      }
    }

    if (pkg.status === "ACTIVE" && now >= expires) {
      pkg.status = "EXPIRED";
      traveler.esim!.last_updated = iso(expires);
      if (traveler.behaviour.autoRedeem) redeemNext(world, traveler, expires, emit);
    }
  }
  // A booking is completed when the trip is over and nothing of it is left to use.
  for (const booking of world.bookings) {
    if (booking.status !== "CONFIRMED") continue;
    const done = booking.package_specifications.every((spec) => {
      const owner = world.travelers[spec.external_user_id];
      const pkg = owner?.packages.find((p) => p.queue_id === spec.package_queue_id);
      return pkg !== undefined && pkg.status !== "ACTIVE";
    });
    if (done) booking.status = "COMPLETED";
  }
}

function crossThresholds(
  traveler: Traveler,
  pkg: EsimPackage,
  percent: number,
  activated: number,
  span: number,
  emit: Emit,
) {
  for (const threshold of USAGE_THRESHOLDS) {
    if (pkg.thresholds_sent.includes(threshold) || percent < threshold) continue;
    pkg.thresholds_sent.push(threshold);
    emitUsage(traveler, pkg, threshold, Math.round(activated + (threshold / 100) * span), pkg.used_bytes, emit);
  }
}

function emitUsage(traveler: Traveler, pkg: EsimPackage, threshold: number, at: number, usedBytes: number, emit: Emit) {
  const elapsedDays = pkg.date_activated ? Math.floor((at - Date.parse(pkg.date_activated)) / DAY) : 0;
  const timeBased = pkg.package_type === "time-limited";
  emit({
    event: `package.usage.${threshold}_percent`,
    timestamp: iso(at),
    data: {
      external_user_id: traveler.external_user_id,
      booking_id: pkg.booking_id,
      package_id: pkg.id,
      destination: pkg.destination,
      package_type: pkg.package_type,
      used_bytes: usedBytes,
      duration_days: pkg.duration_days,
      usage_percent: threshold,
      ...(timeBased
        ? { elapsed_days: elapsedDays, remaining_days: Math.max(0, pkg.duration_days - elapsedDays) }
        : { size: pkg.size, remaining_bytes: Math.max(0, (pkg.total_bytes ?? 0) - usedBytes) }),
    },
  });
}

function departureReminders(world: World, booking: Booking, from: number, now: number, emit: Emit) {
  const departure = Date.parse(booking.departure_date);
  // Reminders are for departures still ahead at the start of this step (the step may pass the departure).
  if (Number.isNaN(departure) || from >= departure) return;
  const travelerIds = [...new Set(booking.package_specifications.map((spec) => spec.external_user_id))];
  const installed = (id: string) => {
    const status = world.travelers[id]?.esim?.status;
    return status === "INSTALLED" || status === "ENABLED";
  };
  // One event per traveler, dated `lead` before the departure (or at the booking, when it was made later than that).
  const remind = (event: string, lead: number, untilDeparture: (at: number) => Record<string, number>) => {
    const at = Math.max(departure - lead, Date.parse(booking.created_at));
    for (const id of travelerIds) {
      emit({
        event,
        timestamp: iso(at),
        data: {
          external_user_id: id,
          booking_id: booking.id,
          departure_date: booking.departure_date,
          ...untilDeparture(at),
          esim_installed: installed(id),
        },
      });
    }
  };
  if (!booking.cutoff_sent && now >= departure - 7 * DAY) {
    booking.cutoff_sent = true;
    remind("booking.within_cutoff", 7 * DAY, (at) => ({ days_until_departure: Math.ceil((departure - at) / DAY) }));
  }
  // Needs a time of day: a date-only departure cannot fire it (reference §4.1).
  const hasTime = booking.departure_date.length > 10;
  if (hasTime && !booking.about_to_depart_sent && now >= departure - 2 * HOUR) {
    booking.about_to_depart_sent = true;
    remind("booking.about_to_depart", 2 * HOUR, (at) => ({
      hours_until_departure: Math.max(0, Math.round((departure - at) / HOUR)),
    }));
  }
}

/** Travelers who buy more data in the Hubby app: `package.purchased` first time per destination, then `topup.completed`. */
function inAppPurchase(world: World, random: Random, traveler: Traveler, now: number, emit: Emit) {
  const days = traveler.behaviour.inAppPurchaseAfterDays;
  const first = traveler.packages.find((pkg) => pkg.date_activated);
  if (days === null || traveler.purchased_in_app || !first) return;
  const at = Date.parse(first.date_activated!) + days * DAY;
  if (now < at) return;
  traveler.purchased_in_app = true;
  // Half buy more for where they are (a top-up), half for a next destination (a first purchase there).
  const destination = random.chance(0.6) ? first.destination : random.pick(popular);
  const route = routePackageSpecification({ destination, size: "1GB" });
  if (!route.ok) return;
  const pkg = route.packages[0]!;
  const topUp = traveler.packages.some((p) => p.destination === pkg.destination_id);
  const queue = newPackageQueue(world, random, pkg, { type: "payment", at });
  traveler.package_queues.push(queue);
  emit({
    event: topUp ? "topup.completed" : "package.purchased",
    timestamp: iso(at),
    data: {
      ...queuedPackage(traveler, queue, pkg),
      price: pkg.b2c_price,
      currency: "EUR",
      source: "app",
      purchased_at: iso(at),
    },
  });
}

function latestBookingId(traveler: Traveler): string | null {
  const queues = traveler.package_queues.filter((queue) => queue.type === "booking");
  return queues.at(-1)?.booking_id ?? null;
}

// ── Arrivals: the partner's booking flow keeps issuing packages while the sandbox runs ─────────────────────

const ARRIVAL_MEAN_MS = 3 * HOUR;
const popular = ["GR", "ES", "IT", "FR", "US", "JP", "TH", "PT", "TR", "GB", "MX", "NL"];

function generateArrivals(world: World, random: Random, now: number, emit: Emit) {
  let at: number = world.nextArrivalAt ?? now + Math.round(ARRIVAL_MEAN_MS * random.next());
  const cap = 150;
  for (; at <= now; at += Math.round(-Math.log(1 - random.next()) * ARRIVAL_MEAN_MS)) {
    const existing = Object.keys(world.travelers);
    const topUp = existing.length > 0 && (existing.length >= cap || random.chance(0.25));
    const externalUserId = topUp ? random.pick(existing) : demoExternalUserId(world, random);
    try {
      createBooking(world, random, demoBookingInput(random, externalUserId, at), at, emit);
    } catch {
      // A generated spec the catalogue cannot route is simply skipped.
    }
  }
  world.nextArrivalAt = at;
}

export function demoExternalUserId(world: World, random: Random): string {
  for (;;) {
    const id = `cust_${random.digits(6)}`;
    if (!world.travelers[id]) return id;
  }
}

export function demoBookingInput(random: Random, externalUserId: string, now: number) {
  const departure = now + random.int(2, 24 * 21) * HOUR;
  const multi = random.chance(0.12);
  const destination = multi
    ? random.pick([
        ["GL", "CA", "US", "MX"],
        ["ES", "PT"],
        ["TH", "VN"],
      ])
    : random.pick(popular);
  const brand = random.pick([null, null, "brand_luxury_travel", "your-brand"]);
  return {
    booking_id: `PNR${random.code(6)}`,
    departure_date: random.chance(0.8) ? iso(departure).replace(".000Z", "Z") : iso(departure).slice(0, 10),
    ...(brand ? { custom_branding: brand } : {}),
    package_specifications: [
      {
        external_user_id: externalUserId,
        destination,
        size: random.pick(["1GB", "1GB", "3GB", "5GB", "10GB", "500MB"]),
        package_type: "data-limited" as const,
      },
    ],
  };
}
