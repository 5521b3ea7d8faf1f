import countries from "i18n-iso-countries";
import en from "i18n-iso-countries/langs/en.json";

/** Country names and flags from i18n-iso-countries (ISO 3166), whatever names Hubby's catalog carries. */

countries.registerLocale(en);

/** "GR" → 🇬🇷 (two regional-indicator symbols); anything that is not two letters → 🌐. */
export function flagEmoji(iso2: string): string {
  if (!/^[A-Za-z]{2}$/.test(iso2)) return "🌐";
  return String.fromCodePoint(...[...iso2.toUpperCase()].map((letter) => 0x1f1e6 + letter.charCodeAt(0) - 65));
}

/** ISO2 from an ISO2 or ISO3 code; undefined when the library does not know it (e.g. a region code). */
export function toIso2(code: string): string | undefined {
  const upper = code.trim().toUpperCase();
  if (upper.length === 2) return countries.isValid(upper) ? upper : undefined;
  if (upper.length === 3) return countries.alpha3ToAlpha2(upper) ?? undefined;
  return undefined;
}

export function countryName(iso2: string): string | undefined {
  return countries.getName(iso2, "en", { select: "official" });
}
