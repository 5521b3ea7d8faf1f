import { findDestination, type RoutedPackage } from "./destinations";
import type { Random } from "./random";
import { HOUR, type Booking, type PromoCodeView, type SandboxPromoCode, type World } from "./world";

/**
 * The promo-code flow (reference §4.1, §4.7, §6.7): a package specification without `external_user_id` issues a
 * promo code instead of queueing a package on a traveler's eSIM. The reply lists the codes with the fields of the
 * reference's example, in a `data` array; some codes are redeemed later in simulated time, each sending
 * `promo_code.redeemed` (§5.1). Who redeems a code is Hubby's app user, not a traveler of the partner's, so a
 * redemption touches no traveler of the sandbox.
 */

/** Share of codes redeemed, and the window (simulated) in which they are. */
const REDEEMED_SHARE = 0.7;
const REDEEM_WITHIN_HOURS = 14 * 24;
const CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

const iso = (time: number) => new Date(time).toISOString();
const slug = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");

/** The codes of a world saved before promo codes existed are an empty list. */
export function promoCodesOf(world: World): SandboxPromoCode[] {
  world.promoCodes ??= [];
  return world.promoCodes;
}

/** One code for one specification of `booking`, for the package the specification was routed to. */
export function issuePromoCode(
  world: World,
  random: Random,
  booking: Booking,
  pkg: RoutedPackage,
  now: number,
): PromoCodeView {
  const codes = promoCodesOf(world);
  const taken = new Set(codes.map((code) => code.promo_code));
  let promoCode = random.code(10, CODE_ALPHABET);
  while (taken.has(promoCode)) promoCode = random.code(10, CODE_ALPHABET);
  const uuid = random.uuid();
  const view: PromoCodeView = {
    promo_code: promoCode,
    uuid,
    claim_url: `https://platform.hubbyesim.com/free-esim/${slug(world.partner.name)}?uuid=${uuid}`,
    deep_link_url: `https://hubby-esim.web.app/starter/?promoCode=${promoCode}`,
    package_id: pkg.bundle_id,
    package_size: pkg.size,
    destination: findDestination(pkg.destination_id)?.name ?? pkg.destination_id,
    iso3: pkg.destination_iso3,
    package_type: pkg.package_type,
    package_duration: pkg.duration_days,
  };
  codes.push({
    promo_code: promoCode,
    booking_id: booking.id,
    created_at: iso(now),
    redeem_due_at: random.chance(REDEEMED_SHARE) ? now + random.int(1, REDEEM_WITHIN_HOURS) * HOUR : null,
    redeemed_at: null,
  });
  (booking.promo_codes ??= []).push(view);
  return view;
}

/**
 * The reply to a booking that issued promo codes: `data` is an array of bookings, each with its promo codes (the
 * reference's promo-code example). A booking that also had travelers keeps their specifications beside the codes.
 */
export function promoCodeBookingReply(booking: Booking, travelerSpecifications: unknown[]) {
  return [
    {
      id: booking.id,
      ...(travelerSpecifications.length > 0 ? { package_specifications: travelerSpecifications } : {}),
      promo_codes: booking.promo_codes ?? [],
    },
  ];
}

/** Redeems the codes whose time has come, each once, sending `promo_code.redeemed` with the documented fields. */
export function redeemDuePromoCodes(
  world: World,
  now: number,
  emit: (event: { event: string; timestamp: string; data: Record<string, unknown> }) => void,
) {
  for (const code of promoCodesOf(world)) {
    if (code.redeemed_at || code.redeem_due_at === null || code.redeem_due_at > now) continue;
    code.redeemed_at = iso(code.redeem_due_at);
    emit({
      event: "promo_code.redeemed",
      timestamp: code.redeemed_at,
      data: { promocode: code.promo_code, booking_id: code.booking_id, redeemed_at: code.redeemed_at },
    });
  }
}
