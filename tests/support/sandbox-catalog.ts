import { bundlesFor, coveredCountries, listDestinations } from "@/lib/hubby-sandbox/destinations";
import type { CatalogDestinationView } from "@/lib/bookings/quote";

/** The sandbox's synthetic catalog as the console's catalog cache holds it: the fixture of the booking unit tests. */
export const sandboxCatalog: CatalogDestinationView[] = listDestinations().map((destination) => ({
  id: destination.id,
  kind: destination.type === "country" ? "country" : "region",
  name: destination.name,
  iso3: destination.iso3,
  countries: coveredCountries(destination),
  bundles: bundlesFor(destination).map((bundle) => ({
    id: bundle.id,
    type: bundle.type,
    label: bundle.label,
    sizeBytes: bundle.size_in_bytes,
    durationDays: bundle.duration_in_days,
    b2bCents: Math.round(bundle.b2b_price * 100),
    b2cCents: Math.round(bundle.b2c_price * 100),
    currency: bundle.currency,
  })),
}));
