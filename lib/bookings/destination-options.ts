import { flagEmoji } from "../catalog/names";
import { bytesToSize } from "../hubby/sizes";
import type { DestinationOption } from "./offers";
import type { CatalogDestinationView } from "./quote";

/**
 * The cached catalog as the booking form offers it: a flag per destination and each bundle's size in Hubby's
 * notation. Kept out of offers.ts, which the form's client components import, so the country tables stay on the
 * server.
 */
export function destinationOptions(catalog: CatalogDestinationView[]): DestinationOption[] {
  return catalog.map((destination) => ({
    id: destination.id,
    name: destination.name,
    kind: destination.kind,
    flag: destination.kind === "region" ? "🌐" : flagEmoji(destination.id),
    bundles: destination.bundles.map((bundle) => ({
      id: bundle.id,
      type: bundle.type,
      label: bundle.label,
      size: bundle.sizeBytes === null ? null : bytesToSize(bundle.sizeBytes),
      durationDays: bundle.durationDays,
      b2bCents: bundle.b2bCents,
      b2cCents: bundle.b2cCents,
      currency: bundle.currency,
    })),
  }));
}
