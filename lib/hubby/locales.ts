/**
 * Hubby's `SUPPORTED_LOCALES` (reference §6.9, from its types' constants.ts, in Hubby's order without the duplicate
 * pt-PT): the language of the traveler's WebView, messages and instructions. Hubby's own examples also use bare
 * languages (`es`) and `mk-MK`, which is not in the list, so the instructions preview offers these but does not
 * reject other well-formed tags.
 */
export const SUPPORTED_LOCALES = [
  "en-US",
  "en-EU",
  "en-GB",
  "en-CA",
  "nl-NL",
  "de-DE",
  "fr-FR",
  "fr-CA",
  "it-IT",
  "es-ES",
  "cs-CZ",
  "pl-PL",
  "pt-PT",
  "fr-BE",
  "nl-BE",
  "de-AT",
  "de-CH",
  "fr-CH",
  "it-CH",
  "sv-SE",
  "sk-SK",
  "de-BE",
  "en-AU",
  "da-DK",
  "ko-KR",
  "hu-HU",
  "no-NO",
  "pt-BR",
  "en-NZ",
  "zh-CN",
] as const;

export type SupportedLocale = (typeof SUPPORTED_LOCALES)[number];

/** A BCP 47-style language tag as Hubby's examples use them: `es`, `en-GB`, `mk-MK`. */
export const LOCALE_PATTERN = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

export function isSupportedLocale(value: string): value is SupportedLocale {
  return (SUPPORTED_LOCALES as readonly string[]).includes(value);
}

/**
 * The bare languages of SUPPORTED_LOCALES (`es`, `en`, `nl`, …), in their first locale's order. A booking's `locale`
 * may be one of these: Hubby's own booking examples send `es`, and its validators accept the two-letter prefix of any
 * supported locale (reference §4.1, §6.9). Hubby then picks the region.
 */
export const SUPPORTED_LANGUAGES: readonly string[] = [
  ...new Set(SUPPORTED_LOCALES.map((locale) => locale.split("-")[0]!)),
];

/** What a booking may send as `locale`: a supported locale (`es-ES`) or its bare language (`es`). */
export function isBookingLocale(value: string): boolean {
  return isSupportedLocale(value) || SUPPORTED_LANGUAGES.includes(value);
}
