import { promoCodeListSchema } from "../hubby/schemas";
import { storableText, unstorableTextReason } from "../storable";

/**
 * The promo codes a booking's reply carries, as the console stores them (PromoCode). Pure: the worker's settlement,
 * the single booking's send and the catch-up on the screen all read a reply here, so they store the same rows.
 */

export type IssuedPromoCode = {
  code: string;
  uuid: string | null;
  claimUrl: string | null;
  deepLinkUrl: string | null;
  packageId: string | null;
  packageSize: string | null;
  destination: string | null;
  iso3: string | null;
  packageType: string | null;
  packageDuration: number | null;
};

/** A code is the table's key: one longer than this, or one PostgreSQL cannot hold, is not a code the console keeps. */
export const MAX_CODE_LENGTH = 200;
const MAX_TEXT = 2_000;
const MAX_DURATION_DAYS = 100_000;

const text = (value: string | undefined) =>
  value === undefined || value === "" ? null : storableText(value, MAX_TEXT);

/**
 * The codes of a reply: `promo_codes` of a booking (the parsed POST reply, or a booking GET /api/bookings listed), or
 * of every booking when `data` was an array. Each code once (the first occurrence), in the reply's order.
 */
export function promoCodesOfReply(reply: unknown): IssuedPromoCode[] {
  const bookings = Array.isArray(reply) ? reply : [reply];
  const seen = new Set<string>();
  const codes: IssuedPromoCode[] = [];
  for (const booking of bookings) {
    if (typeof booking !== "object" || booking === null) continue;
    for (const promo of promoCodeListSchema.parse((booking as { promo_codes?: unknown }).promo_codes)) {
      const code = promo.promo_code;
      if (code.length > MAX_CODE_LENGTH || unstorableTextReason(code) !== null || seen.has(code)) continue;
      seen.add(code);
      const duration = promo.package_duration;
      codes.push({
        code,
        uuid: text(promo.uuid),
        claimUrl: text(promo.claim_url),
        deepLinkUrl: text(promo.deep_link_url),
        packageId: text(promo.package_id),
        packageSize: text(promo.package_size),
        destination: text(promo.destination),
        iso3: text(promo.iso3),
        packageType: text(promo.package_type),
        packageDuration:
          duration !== undefined && Number.isInteger(duration) && duration >= 0 && duration <= MAX_DURATION_DAYS
            ? duration
            : null,
      });
    }
  }
  return codes;
}

/**
 * The campaign and line of a campaign row's intent, from its client key `campaign-<campaign id>-<line>` (written by
 * lib/campaigns/dry-run.ts campaignClientKey); null for a single booking.
 */
export function campaignRowOfClientKey(clientKey: string): { campaignId: string; line: number } | null {
  const match = /^campaign-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})-(\d{1,9})$/i.exec(clientKey);
  return match ? { campaignId: match[1]!.toLowerCase(), line: Number(match[2]) } : null;
}
