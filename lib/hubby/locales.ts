/**
 * Hubby's `SUPPORTED_LOCALES` (reference §6.9, from its types' constants.ts; the source lists pt-PT twice). Hubby's
 * own examples also use bare languages (`es`) and `mk-MK`, which is not in the list, so inputs that take a locale
 * offer these but do not reject other well-formed tags.
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
