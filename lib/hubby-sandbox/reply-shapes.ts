import type { Bundle, Destination } from "./destinations";
import { esimTotals, type Booking, type PackageQueue, type Traveler, type World } from "./world";

/**
 * The JSON the sandbox's partner API answers with, in two forms:
 * - "full" (the default) carries what the sandbox knows: the documented fields plus its extensions (package ids,
 *   used bytes, expiry, booking ids on queues and packages, depleted and expired packages, paging `meta`, …);
 * - "documented" (HUBBY_SANDBOX_SHAPES=documented) cuts every reply down to the fields the Hubby reference shows, in
 *   their documented form, so the console can be run and tested against nothing more than Hubby promises.
 * The documented views pick named keys instead of deleting the extensions, so a field added to a full view later
 * stays out of documented mode until someone shows where Hubby documents it.
 */

export type SandboxShapes = "full" | "documented";

function pick<T extends object, K extends keyof T>(value: T, keys: readonly K[]): Pick<T, K> {
  const picked = {} as Pick<T, K>;
  for (const key of keys) if (key in value) picked[key] = value[key];
  return picked;
}

// ── Full views ──────────────────────────────────────────────────────────────────────────────────────────────

export function bookingView(booking: Booking) {
  return {
    id: booking.id,
    booking_id: booking.booking_id,
    status: booking.status,
    departure_date: booking.departure_date,
    return_date: booking.return_date,
    locale: booking.locale,
    custom_branding: booking.custom_branding,
    full_name: booking.full_name,
    email: booking.email,
    created_at: booking.created_at,
    package_specifications: booking.package_specifications.map((spec) => ({
      external_user_id: spec.external_user_id,
      package_id: spec.package_id,
      package_queue_id: spec.package_queue_id,
      destination: spec.destination,
      size: spec.size,
      package_type: spec.package_type,
      status: spec.status,
    })),
    // A stored booking lists its promo codes (the booking fields of the types, reference §4.1).
    ...(booking.promo_codes?.length ? { promo_codes: booking.promo_codes } : {}),
  };
}
export type BookingView = ReturnType<typeof bookingView>;

export function queueView(queue: PackageQueue) {
  return {
    id: queue.id,
    uuid: queue.uuid,
    type: queue.type,
    booking_id: queue.booking_id,
    package_id: queue.package_id,
    package_specification: {
      iso3: queue.package_specification.iso3,
      destination: queue.package_specification.destination,
      size: queue.package_specification.size,
      package_type: queue.package_specification.package_type,
      bytes: queue.package_specification.bytes,
      duration_days: queue.package_specification.duration_days,
    },
    created_at: queue.created_at,
    redeemed_at: queue.redeemed_at,
  };
}
type QueueView = ReturnType<typeof queueView>;

export function dashboardView(world: World, traveler: Traveler) {
  const esim = traveler.esim;
  const totals = esimTotals(traveler);
  return {
    user: {
      id: traveler.id,
      external_user_id: traveler.external_user_id,
      has_universal_esim: Boolean(esim),
      current_universal_esim: esim?.iccid ?? null,
    },
    package_queues: traveler.package_queues.map(queueView),
    current_esim: esim
      ? {
          provider: esim.provider,
          name: esim.name,
          qr: esim.qr,
          iccid: esim.iccid,
          total_data: totals.total_data,
          data_left: totals.data_left,
          data_used: totals.data_used,
          status: esim.status,
          time_assigned: esim.time_assigned,
          last_updated: esim.last_updated,
        }
      : null,
    current_esim_packages: traveler.packages.map((pkg) => ({
      id: pkg.id,
      template: pkg.template,
      destination_bundle: pkg.destination_bundle,
      destination_iso3: pkg.destination_iso3,
      destination: pkg.destination,
      booking_id: pkg.booking_id,
      package_queue_id: pkg.queue_id,
      package_type: pkg.package_type,
      size: pkg.size,
      assigned_at: pkg.assigned_at,
      date_activated: pkg.date_activated,
      expires_at: pkg.expires_at,
      status: pkg.status,
      type: "data",
      total_bytes: pkg.total_bytes,
      used_bytes: pkg.used_bytes,
      allowance_days: pkg.duration_days,
      allowance_hours: pkg.duration_days * 24,
      allowance_seconds: pkg.duration_days * 86_400,
    })),
    partner: world.partner,
  };
}
export type DashboardView = ReturnType<typeof dashboardView>;

export function redeemView(world: World, traveler: Traveler, queue: PackageQueue) {
  const dashboard = dashboardView(world, traveler);
  return {
    package_queue: queueView(queue),
    current_esim: dashboard.current_esim ? { ...dashboard.current_esim, esim_type: "universal" } : null,
    current_esim_packages: dashboard.current_esim_packages,
  };
}
type RedeemView = ReturnType<typeof redeemView>;

// ── Documented views ────────────────────────────────────────────────────────────────────────────────────────

/** §4.1, the native and WebView guides' reply: the booking id and, per specification, what it was routed to. */
export function documentedCreatedBooking(view: BookingView) {
  return {
    id: view.id,
    package_specifications: view.package_specifications.map((spec) =>
      pick(spec, ["external_user_id", "package_id", "destination", "size", "status"]),
    ),
  };
}

/**
 * §4.2 documents `GET /bookings` only as existing (its shape is unknown): a listed booking keeps the stored-booking
 * fields §6.2 names, and each specification the request fields of §4.1 plus its `status`. No paging `meta`.
 */
export function documentedListedBooking(view: BookingView) {
  return {
    ...pick(view, [
      "id",
      "booking_id",
      "status",
      "departure_date",
      "return_date",
      "locale",
      "custom_branding",
      "full_name",
      "email",
      "created_at",
      "promo_codes",
    ]),
    package_specifications: view.package_specifications.map((spec) =>
      pick(spec, ["external_user_id", "package_id", "destination", "size", "package_type", "status"]),
    ),
  };
}

/** §4.5: a queue entry's specification is only `{iso3, bytes, duration_days}`. */
const queueSpecification = (queue: Pick<QueueView, "package_specification">) =>
  pick(queue.package_specification, ["iso3", "bytes", "duration_days"]);

const ESIM_KEYS = [
  "provider",
  "name",
  "qr",
  "iccid",
  "total_data",
  "data_left",
  "data_used",
  "status",
  "time_assigned",
] as const;
const PACKAGE_KEYS = [
  "template",
  "destination_bundle",
  "destination_iso3",
  "assigned_at",
  "status",
  "total_bytes",
] as const;

// Only ACTIVE has been seen in Hubby's replies (§6.3); depleted and expired packages are the sandbox's extension.
const isActive = (pkg: { status: string }) => pkg.status === "ACTIVE";

/** §4.5 `GET /native/user-dashboard`: user, package_queues, current_esim, current_esim_packages, partner. */
export function documentedDashboard(view: DashboardView) {
  return {
    user: pick(view.user, ["id", "external_user_id", "has_universal_esim", "current_universal_esim"]),
    package_queues: view.package_queues.map((queue) => ({
      ...pick(queue, ["id", "uuid", "type", "created_at", "redeemed_at"]),
      package_specification: queueSpecification(queue),
    })),
    current_esim: view.current_esim && pick(view.current_esim, ESIM_KEYS),
    current_esim_packages: view.current_esim_packages.filter(isActive).map((pkg) => pick(pkg, PACKAGE_KEYS)),
    partner: pick(view.partner, ["id", "name"]),
  };
}

/**
 * §4.5 `POST /native/redeem-package`: the queue entry without its id, the eSIM with `last_updated` and `esim_type`,
 * and packages in the redeem variant (§4.5, §6.3: also allowances, `date_activated` and `type`).
 */
export function documentedRedeem(view: RedeemView) {
  return {
    package_queue: {
      ...pick(view.package_queue, ["uuid", "type", "redeemed_at"]),
      package_specification: queueSpecification(view.package_queue),
    },
    current_esim: view.current_esim && pick(view.current_esim, [...ESIM_KEYS, "last_updated", "esim_type"]),
    current_esim_packages: view.current_esim_packages
      .filter(isActive)
      .map((pkg) =>
        pick(pkg, [
          ...PACKAGE_KEYS,
          "allowance_seconds",
          "allowance_hours",
          "allowance_days",
          "date_activated",
          "type",
        ]),
      ),
  };
}

const DESTINATION_KEYS = ["id", "type", "tier", "iso3s", "name", "i18n_name", "is_active", "sort_order"] as const;

/** §4.6 leaves the catalogue's JSON undocumented; §6.4 names a destination's fields. */
export function documentedDestination(destination: Destination) {
  return pick(destination, DESTINATION_KEYS);
}

/** §6.4's destination fields, and its bundles with the bundle fields §6.4 names (no `currency`). */
export function documentedDestinationDetail(destination: Destination & { bundles: Bundle[] }) {
  return {
    ...pick(destination, DESTINATION_KEYS),
    bundles: destination.bundles.map((bundle) =>
      pick(bundle, [
        "id",
        "type",
        "label",
        "duration_in_days",
        "duration_in_seconds",
        "size_in_bytes",
        "size_in_megabytes",
        "size_in_gigabytes",
        "b2b_price",
        "b2c_price",
        "is_active",
        "is_visible",
        "priority",
        "traffic_policy",
      ]),
    ),
  };
}

/** §3: an error's `details` is `{field, issue}`. */
export function documentedErrorDetails(details: Record<string, unknown> | undefined) {
  if (!details) return undefined;
  const kept = Object.fromEntries(Object.entries(details).filter(([key]) => key === "field" || key === "issue"));
  return Object.keys(kept).length > 0 ? kept : undefined;
}
