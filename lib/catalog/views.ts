/**
 * The cached catalog as the rest of the console reads it (lib/catalog/catalog.ts `loadCatalog`): destinations with
 * their visible bundles. Types only, so quotes (lib/bookings) and the catalog share them without importing each other.
 */

export type CatalogBundleView = {
  id: string;
  type: string;
  label: string;
  sizeBytes: number | null;
  durationDays: number | null;
  b2bCents: number | null;
  b2cCents: number | null;
  currency: string | null;
};

export type CatalogDestinationView = {
  id: string;
  kind: "country" | "region";
  name: string;
  /** Hubby's ISO3 code (or a region's own code), when the catalog gave one. */
  iso3?: string | null;
  /** ISO2 codes of the countries covered (a country covers itself). */
  countries: string[];
  bundles: CatalogBundleView[];
};
