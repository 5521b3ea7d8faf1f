import { describe, expect, it } from "vitest";
import { sandboxCatalog } from "../../tests/support/sandbox-catalog";
import { newPackageChoice, offersFor, packageView, typesSold, type PackageChoice } from "./offers";
import { quoteRequest, resolveBundles } from "./quote";
import { PACKAGE_TYPES, bookingDraftSchema, buildBookingRequest } from "./request";
import { destinationOptions } from "./destination-options";

const catalog = sandboxCatalog;
const options = destinationOptions(catalog);
const byId = new Map(options.map((option) => [option.id, option]));
const pick = (...ids: string[]) => ids.map((id) => byId.get(id)!);
const choice = (change: Partial<PackageChoice>): PackageChoice => ({ ...newPackageChoice(), ...change });

/** What the server makes of the form's submitted specification: parsed, resolved, built and quoted. */
function previewOf(spec: unknown) {
  const draft = bookingDraftSchema.parse({
    travelers: "traveler_1",
    specs: [spec],
    departureDate: "2030-07-15",
    departureTime: "",
    timeZone: "UTC",
    locale: "",
    customBranding: "",
  });
  const resolved = resolveBundles(draft.specs, catalog);
  if (!resolved.ok) throw new Error(JSON.stringify(resolved.errors));
  const request = buildBookingRequest({ ...draft, specs: resolved.specs }, "hpc-x");
  return { request, quote: quoteRequest(request, catalog) };
}

describe("what the form offers", () => {
  it("sizes and durations come from the catalog's bundles; time-limited ones by days", () => {
    expect(offersFor(pick("GR"), "data-limited").map((offer) => offer.label)).toEqual([
      "1GB, 365 days",
      "3GB, 365 days",
      "5GB, 365 days",
      "10GB, 365 days",
      "20GB, 365 days",
    ]);
    expect(offersFor(pick("GR"), "time-limited").map((offer) => offer.label)).toEqual([
      "3 days, 5GB",
      "5 days, 5GB",
      "7 days, 5GB",
      "15 days, 5GB",
      "30 days, 5GB",
    ]);
    expect(offersFor(pick("GR"), "unlimited").map((offer) => offer.label)).toEqual(["7 days, no data cap"]);
    expect(offersFor(pick("GR"), "starter").map((offer) => offer.label)).toEqual(["500MB, 2 days"]);
  });

  it("a multi-destination package offers only what every destination sells", () => {
    expect(offersFor(pick("GR", "JP"), "unlimited")).toHaveLength(1);
    expect(offersFor(pick("GR", "SA"), "unlimited")).toEqual([]);
    expect(typesSold(["GR", "SA"], byId, PACKAGE_TYPES)).toEqual(["data-limited", "starter", "time-limited"]);
    expect(typesSold([], byId, ["data-limited"])).toEqual(["data-limited"]);
  });
});

describe("the package the form shows is the package it submits", () => {
  it("starts on 1GB for a year and submits that", () => {
    const view = packageView(choice({ destinations: ["GR"] }), byId, PACKAGE_TYPES);
    expect(view.offer?.label).toBe("1GB, 365 days");
    expect(view.spec).toEqual({ destinations: ["GR"], packageType: "data-limited", size: "1GB", durationDays: 365 });
  });

  it("a choice no longer sold (another destination added) shows and submits the default again", () => {
    const sevenDays = offersFor(pick("GR"), "time-limited").find((offer) => offer.durationDays === 7)!;
    const chosen = choice({ destinations: ["GR"], packageType: "time-limited", offer: sevenDays.key });
    expect(packageView(chosen, byId, PACKAGE_TYPES).spec).toMatchObject({ size: "5GB", durationDays: 7 });
    const gone = choice({ destinations: ["GR"], packageType: "data-limited", offer: "2GB|365" });
    expect(packageView(gone, byId, PACKAGE_TYPES)).toMatchObject({
      offer: { label: "1GB, 365 days" },
      spec: { size: "1GB", durationDays: 365 },
    });
  });

  it("a bundle from the catalog submits its package_id; a top-up lists only data-limited bundles", () => {
    const view = packageView(
      choice({ mode: "bundle", bundleDestination: "IT", bundleId: "pkg_it_5gb_tl_15d" }),
      byId,
      PACKAGE_TYPES,
    );
    expect(view.spec).toEqual({
      destinations: ["IT"],
      packageType: "time-limited",
      packageId: "pkg_it_5gb_tl_15d",
      size: "5GB",
      durationDays: 15,
    });
    const topUp = packageView(choice({ mode: "bundle", bundleDestination: "IT" }), byId, ["data-limited"]);
    expect(topUp.bundles.map((bundle) => bundle.id)).toEqual([
      "pkg_it_1gb_dl",
      "pkg_it_3gb_dl",
      "pkg_it_5gb_dl",
      "pkg_it_10gb_dl",
      "pkg_it_20gb_dl",
    ]);
    expect(topUp.spec.packageId).toBe("pkg_it_1gb_dl");
  });

  it("every offer and bundle the form shows previews as exactly that bundle", () => {
    for (const destination of ["GR", "EU", "JP"]) {
      for (const type of PACKAGE_TYPES) {
        for (const offer of offersFor(pick(destination), type)) {
          const view = packageView(
            choice({ destinations: [destination], packageType: type, offer: offer.key }),
            byId,
            PACKAGE_TYPES,
          );
          const { quote } = previewOf(view.spec);
          const [spec] = quote.specs;
          if (!spec?.ok) throw new Error(`${destination} ${offer.label}: ${JSON.stringify(spec)}`);
          expect(spec.bundles).toHaveLength(1);
          expect(spec.bundles[0]).toMatchObject({ type, durationDays: offer.durationDays });
        }
      }
      for (const bundle of byId.get(destination)!.bundles) {
        const view = packageView(
          choice({ mode: "bundle", bundleDestination: destination, bundleId: bundle.id }),
          byId,
          PACKAGE_TYPES,
        );
        const { request, quote } = previewOf(view.spec);
        expect(request.package_specifications).toEqual([{ external_user_id: "traveler_1", package_id: bundle.id }]);
        expect(quote.specs[0]).toMatchObject({
          ok: true,
          bundles: [{ bundleId: bundle.id }],
          costCents: bundle.b2bCents,
        });
      }
    }
  });
});
