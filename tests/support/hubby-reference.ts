/**
 * Field lists written from the Hubby reference (/work/shared/hubby-reference.md), for the tests that hold the
 * sandbox and the console to Hubby's documented shapes. Written out, not derived from lib/: they are what the
 * reference promises, which the code must meet.
 */

/** §4.1, the promo-code flow's example: the fields of one promo code. */
export const REFERENCE_PROMO_CODE_FIELDS: readonly string[] = [
  "promo_code",
  "uuid",
  "claim_url",
  "deep_link_url",
  "package_id",
  "package_size",
  "destination",
  "iso3",
  "package_type",
  "package_duration",
];
