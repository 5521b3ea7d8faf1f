import { describe, expect, it } from "vitest";
import { routePackageSpecification } from "../hubby-sandbox/destinations";
import { sandboxCatalog } from "../../tests/support/sandbox-catalog";
import { quoteRequest, quoteSpecification, resolveBundles } from "./quote";
import { bookingDraftSchema, buildBookingRequest, type BookingDraft, type SpecDraft } from "./request";

const catalog = sandboxCatalog;

const draft = (specs: SpecDraft[], travelers = ["traveler_1"]): BookingDraft =>
  bookingDraftSchema.parse({
    travelers: travelers.join("\n"),
    specs,
    departureDate: "2030-07-15",
    departureTime: "14:30",
    timeZone: "Europe/Amsterdam",
    locale: "",
    customBranding: "",
  });

describe("quotes", () => {
  it("maps a single destination to its bundle with B2B and B2C prices", () => {
    const quote = quoteSpecification({ destination: "GR", package_type: "data-limited", size: "1GB" }, catalog);
    expect(quote).toMatchObject({
      ok: true,
      costCents: 250,
      priceCents: 499,
      bundles: [{ bundleId: "pkg_gr_1gb_dl", durationDays: 365 }],
    });
  });

  it("covers several destinations the cheapest way, like Hubby's routing (GL+CA+US+MX → NA + GL)", () => {
    const quote = quoteSpecification(
      { destination: ["GL", "CA", "US", "MX"], package_type: "data-limited", size: "3GB" },
      catalog,
    );
    if (!quote.ok) throw new Error(quote.issue);
    expect(quote.bundles.map((bundle) => bundle.destinationId).sort()).toEqual(["GL", "NA"]);
  });

  it("prices a package_id as that bundle, whatever else the specification says", () => {
    expect(quoteSpecification({ package_id: "pkg_fr_5gb_tl_7d" }, catalog)).toMatchObject({
      ok: true,
      bundles: [{ destinationId: "FR", bundleId: "pkg_fr_5gb_tl_7d", type: "time-limited", durationDays: 7 }],
    });
    expect(quoteSpecification({ package_id: "pkg_nope" }, catalog)).toMatchObject({ ok: false, field: "package_id" });
  });

  it("takes the package_duration: time-limited bundles by days; a duration not sold is the duration's problem", () => {
    expect(
      quoteSpecification(
        { destination: "GR", package_type: "time-limited", size: "5GB", package_duration: 15 },
        catalog,
      ),
    ).toMatchObject({ ok: true, bundles: [{ bundleId: "pkg_gr_5gb_tl_15d" }] });
    expect(
      quoteSpecification(
        { destination: "GR", package_type: "data-limited", size: "1GB", package_duration: 30 },
        catalog,
      ),
    ).toMatchObject({ ok: false, field: "package_duration", issue: "Greece has no 1GB data-limited, 30 days bundle." });
  });

  it("without a duration, uses the documented default and asks when there is none", () => {
    expect(quoteSpecification({ destination: "GR", size: "500MB", package_type: "starter" }, catalog)).toMatchObject({
      ok: true,
      bundles: [{ bundleId: "pkg_gr_500mb_st", durationDays: 2 }],
    });
    expect(quoteSpecification({ destination: "GR", size: "5GB", package_type: "time-limited" }, catalog)).toMatchObject(
      { ok: false, field: "package_duration", issue: expect.stringContaining("3, 5, 7, 15, 30 days") },
    );
  });

  it("says which size a destination does not sell, and which destination is unknown", () => {
    expect(
      quoteSpecification({ destination: "GR", package_type: "data-limited", size: "500MB" }, catalog),
    ).toMatchObject({ ok: false, field: "size", issue: "Greece has no 500MB data-limited bundle." });
    expect(quoteSpecification({ destination: "ZZ", package_type: "data-limited", size: "1GB" }, catalog)).toMatchObject(
      { ok: false, field: "destination" },
    );
  });

  it("prices the request that will be sent: every specification of every traveler", () => {
    const request = buildBookingRequest(
      draft(
        [
          { destinations: ["GR"], packageType: "data-limited", size: "1GB", durationDays: 365 },
          { destinations: ["FR"], packageType: "data-limited", size: "3GB", durationDays: 365 },
        ],
        ["a", "b", "c"],
      ),
      "hpc-x",
    );
    const quote = quoteRequest(request, catalog);
    expect(quote.specs).toHaveLength(2);
    expect(quote.perTraveler).toEqual({ costCents: 250 + 550, priceCents: 499 + 999 });
    expect(quote.total).toEqual({ costCents: 3 * 800, priceCents: 3 * (499 + 999) });
    expect(quote.currency).toBe("EUR");
  });

  it("quotes exactly the bundles Hubby's routing (the sandbox) gives the same request", () => {
    const request = buildBookingRequest(
      draft([
        { destinations: ["GR"], packageType: "data-limited", size: "3GB", durationDays: 365 },
        { destinations: ["US", "CA", "MX", "GL"], packageType: "data-limited", size: "5GB", durationDays: 365 },
        { destinations: ["JP"], packageType: "unlimited", durationDays: 7 },
        { destinations: ["IT"], packageType: "time-limited", size: "5GB", durationDays: 30 },
        { destinations: ["FR"], packageType: "starter", size: "500MB", durationDays: 2 },
        { destinations: ["DE"], packageType: "data-limited", packageId: "pkg_de_10gb_dl" },
      ]),
      "hpc-x",
    );
    const quote = quoteRequest(request, catalog);
    request.package_specifications.forEach((spec, index) => {
      const routed = routePackageSpecification(spec);
      const quoted = quote.specs[index]!;
      if (!routed.ok || !quoted.ok) throw new Error(`spec ${index}: ${JSON.stringify({ routed, quoted })}`);
      expect(quoted.bundles.map((bundle) => bundle.bundleId).sort(), `spec ${index}`).toEqual(
        routed.packages.map((pkg) => pkg.bundle_id).sort(),
      );
      expect(quoted.costCents).toBe(Math.round(routed.packages.reduce((sum, pkg) => sum + pkg.b2b_price * 100, 0)));
    });
  });
});

describe("resolveBundles", () => {
  it("fills a picked bundle's type, size and days in from the catalog, not from the browser", () => {
    const result = resolveBundles(
      [{ destinations: ["GR"], packageType: "data-limited", size: "1GB", packageId: "pkg_gr_unlimited_7d" }],
      catalog,
    );
    expect(result).toEqual({
      ok: true,
      specs: [{ destinations: ["GR"], packageType: "unlimited", packageId: "pkg_gr_unlimited_7d", durationDays: 7 }],
    });
    expect(
      resolveBundles([{ destinations: ["GR"], packageType: "starter", packageId: "pkg_gr_500mb_st" }], catalog),
    ).toMatchObject({ ok: true, specs: [{ packageType: "starter", size: "500MB", durationDays: 2 }] });
  });

  it("refuses a bundle the catalog does not have under that destination", () => {
    expect(
      resolveBundles([{ destinations: ["FR"], packageType: "data-limited", packageId: "pkg_gr_1gb_dl" }], catalog),
    ).toEqual({
      ok: false,
      errors: { "specs.0.packageId": "This bundle is not in the catalog: refresh the catalog or pick another." },
    });
  });

  it("leaves destination-and-size packages as they are", () => {
    const specs: SpecDraft[] = [{ destinations: ["GR", "FR"], packageType: "data-limited", size: "1GB" }];
    expect(resolveBundles(specs, catalog)).toEqual({ ok: true, specs });
  });
});
