import {
  buildBookingRequest,
  type BookingDraft,
  type BookingRequest,
  type PackageSpecificationRequest,
} from "./request";

/**
 * The promo-code flow (reference §4.1): a booking whose package specifications carry no `external_user_id` returns
 * promo codes (with claim and deep links) instead of queueing packages on a traveler's eSIM; one code per
 * specification. Pure, like the booking builder it reuses: a code's specification is exactly a traveler's
 * specification without the traveler, so both flows send the same destination, type and size fields.
 */

export type PromoCodeSpecificationRequest = Omit<PackageSpecificationRequest, "external_user_id">;

export type PromoCodeBookingRequest = Omit<BookingRequest, "package_specifications"> & {
  package_specifications: PromoCodeSpecificationRequest[];
};

/** At most this many codes per booking: more belong in a campaign file (one code per row). */
export const MAX_PROMO_CODES_PER_BOOKING = 100;

/**
 * The booking form's validation needs a traveler; a promo-code draft is checked with this one in its place, and the
 * request is built without it (buildPromoCodeRequest).
 */
export const PROMO_CODE_STAND_IN = "promo-code";

function withoutTraveler(spec: PackageSpecificationRequest): PromoCodeSpecificationRequest {
  const copy: Partial<Pick<PackageSpecificationRequest, "external_user_id">> & PromoCodeSpecificationRequest = {
    ...spec,
  };
  delete copy.external_user_id;
  return copy;
}

/**
 * `codes` promo codes of the draft's package (its first specification): the specification `codes` times, each
 * without external_user_id, and the draft's departure, locale and branding as a booking for travelers would send.
 */
export function buildPromoCodeRequest(draft: BookingDraft, codes: number, reference: string): PromoCodeBookingRequest {
  if (!Number.isInteger(codes) || codes < 1) throw new Error("A promo-code booking needs at least one code.");
  const template = buildBookingRequest(
    { ...draft, travelers: [PROMO_CODE_STAND_IN], specs: draft.specs.slice(0, 1) },
    reference,
  );
  const spec = withoutTraveler(template.package_specifications[0]!);
  return { ...template, package_specifications: Array.from({ length: codes }, () => ({ ...spec })) };
}

/** A request (or stored payload) in the promo-code flow: specifications, none of them for a traveler. */
export function isPromoCodeRequest(request: unknown): boolean {
  const specs = (request as { package_specifications?: unknown } | null)?.package_specifications;
  return (
    Array.isArray(specs) &&
    specs.length > 0 &&
    specs.every(
      (spec) => typeof spec === "object" && spec !== null && !("external_user_id" in spec && spec.external_user_id),
    )
  );
}
