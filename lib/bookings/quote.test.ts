import { describe, expect, it } from "vitest";
import { bundlesFor, listDestinations, coveredCountries } from "../sandbox/catalog";
import { quoteBooking, quoteSpec, sizesFor, type CatalogDestinationView } from "./quote";

// The sandbox's synthetic catalog as the cache would hold it.
const catalog: CatalogDestinationView[] = listDestinations().map((destination) => ({
  id: destination.id,
  kind: destination.type === "country" ? "country" : "region",
  name: destination.name,
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

describe("quotes", () => {
  it("maps a single destination to its bundle with B2B and B2C prices", () => {
    const quote = quoteSpec({ destinations: ["GR"], packageType: "data-limited", size: "1GB" }, catalog);
    expect(quote).toMatchObject({
      ok: true,
      costCents: 250,
      priceCents: 499,
      bundles: [{ bundleId: "pkg_gr_1gb_dl" }],
    });
  });

  it("covers several destinations the cheapest way, like Hubby's routing (GL+CA+US+MX → NA + GL)", () => {
    const quote = quoteSpec(
      { destinations: ["GL", "CA", "US", "MX"], packageType: "data-limited", size: "3GB" },
      catalog,
    );
    if (!quote.ok) throw new Error(quote.issue);
    expect(quote.bundles.map((bundle) => bundle.destinationId).sort()).toEqual(["GL", "NA"]);
  });

  it("totals per traveler and for all travelers", () => {
    const quote = quoteBooking(
      [
        { destinations: ["GR"], packageType: "data-limited", size: "1GB" },
        { destinations: ["FR"], packageType: "data-limited", size: "3GB" },
      ],
      3,
      catalog,
    );
    expect(quote.perTraveler.costCents).toBe(250 + 550);
    expect(quote.total).toEqual({ costCents: 3 * 800, priceCents: 3 * (499 + 999) });
  });

  it("says which size a destination does not sell", () => {
    expect(quoteSpec({ destinations: ["GR"], packageType: "data-limited", size: "500MB" }, catalog)).toMatchObject({
      ok: false,
      issue: expect.stringMatching(/no 500MB data-limited bundle/),
    });
    expect(quoteSpec({ destinations: ["ZZ"], packageType: "data-limited", size: "1GB" }, catalog)).toMatchObject({
      ok: false,
    });
    expect(
      sizesFor(
        catalog.find((d) => d.id === "GR")!,
        "data-limited",
      ),
    ).toEqual(["1GB", "3GB", "5GB", "10GB", "20GB"]);
  });
});
