import countries from "i18n-iso-countries";
import { describe, expect, it } from "vitest";
import {
  bundlesFor,
  coveredCountries,
  findDestination,
  getDestinationWithBundles,
  listDestinations,
  packageIdFor,
  routePackageSpecification,
  type RouteResult,
} from "./destinations";

const routedIds = (route: RouteResult) => (route.ok ? route.packages.map((p) => p.destination_id) : route);

describe("destinations", () => {
  it("finds a destination by ISO2, ISO3 or region code, in any case", () => {
    expect(findDestination("gr")).toMatchObject({ id: "GR", iso2: "GR", iso3: "GRC", type: "country" });
    expect(findDestination("USA")?.id).toBe("US");
    expect(findDestination(" tur ")?.id).toBe("TR");
    expect(findDestination("eu")).toMatchObject({ id: "EU", type: "Europe" });
    expect(findDestination("EU")).not.toHaveProperty("iso2");
    expect(findDestination("ZZ")).toBeUndefined();
  });

  it("lists countries then regions by sort_order, with unique codes and localized names", () => {
    const all = listDestinations();
    expect(all.length).toBeGreaterThanOrEqual(35);
    const firstRegion = all.findIndex((d) => d.type !== "country");
    expect(all.slice(firstRegion).every((d) => d.type !== "country")).toBe(true);
    expect(all.map((d) => d.sort_order)).toEqual([...all.map((d) => d.sort_order)].sort((a, b) => a - b));
    const codes = all.flatMap((d) => (d.type === "country" ? [d.id, d.iso3] : [d.id]));
    expect(new Set(codes).size).toBe(codes.length);
    expect(findDestination("GR")?.i18n_name).toMatchObject({ en: "Greece", nl: "Griekenland", de: "Griechenland" });
    expect(findDestination("US")?.name).toBe("United States");
    expect(findDestination("NA")?.i18n_name.es).toBe("Norteamérica");
  });

  it("uses region codes of 2–3 letters that are no catalogued country's code", () => {
    const countryCodes = new Set(
      listDestinations()
        .filter((d) => d.type === "country")
        .flatMap((d) => [d.iso2, d.iso3]),
    );
    for (const region of listDestinations().filter((d) => d.type !== "country")) {
      expect(region.id).toMatch(/^[A-Z]{2,3}$/);
      expect(countryCodes.has(region.id)).toBe(false);
    }
    // The codes without a documented Hubby precedent are assigned to no country at all.
    expect(countries.isValid("OC")).toBe(false);
    expect(countries.isValid("WW")).toBe(false);
  });

  it("keeps Greenland out of North America and the global region", () => {
    expect(coveredCountries(findDestination("NA")!)).toEqual(expect.arrayContaining(["US", "CA", "MX"]));
    expect(coveredCountries(findDestination("NA")!)).toHaveLength(3);
    expect(findDestination("WW")!.iso3s).not.toContain("GRL");
  });

  it("hands out copies, so callers cannot change the catalogue", () => {
    findDestination("GR")!.iso3s.push("XXX");
    listDestinations()[0]!.name = "changed";
    expect(findDestination("GR")!.iso3s).toEqual(["GRC"]);
    expect(listDestinations()[0]!.name).not.toBe("changed");
  });
});

describe("bundles and prices", () => {
  it("prices a tier-1 country like the reference's example", () => {
    const greece = getDestinationWithBundles("GR")!;
    const byLabel = (label: string) => greece.bundles.find((b) => b.type === "data-limited" && b.label === label);
    expect(byLabel("1GB")).toMatchObject({ id: "pkg_gr_1gb_dl", b2b_price: 2.5, b2c_price: 4.99, currency: "EUR" });
    expect(byLabel("3GB")).toMatchObject({ b2b_price: 5.5, b2c_price: 9.99 });
    expect(byLabel("5GB")).toMatchObject({ b2b_price: 8, b2c_price: 14.99 });
  });

  it("offers the documented bundle shapes", () => {
    const bundles = getDestinationWithBundles("GR")!.bundles;
    expect(bundles.find((b) => b.type === "starter")).toMatchObject({
      id: "pkg_gr_500mb_st",
      label: "500MB",
      size_in_bytes: 524288000,
      size_in_megabytes: 500,
      duration_in_days: 2,
      duration_in_seconds: 172800,
    });
    expect(bundles.find((b) => b.label === "20GB")).toMatchObject({ size_in_gigabytes: 20, duration_in_days: 365 });
    expect(bundles.find((b) => b.type === "unlimited")).toMatchObject({
      id: "pkg_gr_unlimited_7d",
      label: "7 Days",
      size_in_bytes: null,
      traffic_policy: expect.any(String),
    });
    // Time-limited bundles are sold by days: 5GB at full speed for 3 to 30 days.
    expect(bundles.filter((b) => b.type === "time-limited").map((b) => [b.id, b.label, b.size_in_bytes])).toEqual([
      ["pkg_gr_5gb_tl_3d", "3 Days", 5 * 1024 ** 3],
      ["pkg_gr_5gb_tl_5d", "5 Days", 5 * 1024 ** 3],
      ["pkg_gr_5gb_tl_7d", "7 Days", 5 * 1024 ** 3],
      ["pkg_gr_5gb_tl_15d", "15 Days", 5 * 1024 ** 3],
      ["pkg_gr_5gb_tl_30d", "30 Days", 5 * 1024 ** 3],
    ]);
    expect(new Set(bundles.map((b) => b.id)).size).toBe(bundles.length);
  });

  it("sells every bundle above its B2B price, dearer with tier and size", () => {
    for (const destination of listDestinations()) {
      for (const bundle of bundlesFor(destination)) expect(bundle.b2c_price).toBeGreaterThan(bundle.b2b_price);
      const dataLimited = bundlesFor(destination).filter((b) => b.type === "data-limited");
      const prices = dataLimited.map((b) => b.b2b_price);
      expect(prices).toEqual([...prices].sort((a, b) => a - b));
    }
    const oneGb = (code: string) => bundlesFor(findDestination(code)!).find((b) => b.id.endsWith("_1gb_dl"))!.b2b_price;
    expect(oneGb("GR")).toBeLessThan(oneGb("CH"));
    expect(oneGb("CH")).toBeLessThan(oneGb("GL"));
  });

  it("does not sell unlimited where fair use is not available", () => {
    expect(bundlesFor(findDestination("SA")!).some((b) => b.type === "unlimited")).toBe(false);
    expect(bundlesFor(findDestination("ME")!).some((b) => b.type === "unlimited")).toBe(false);
    expect(bundlesFor(findDestination("EU")!).some((b) => b.type === "unlimited")).toBe(true);
  });

  it("prices each regional bundle above any one member's and below three members' together", () => {
    for (const region of listDestinations().filter((d) => d.type !== "country")) {
      for (const bundle of bundlesFor(region)) {
        const memberPrices = coveredCountries(region)
          .map((iso2) =>
            bundlesFor(findDestination(iso2)!).find(
              (b) => b.id === bundle.id.replace(/^pkg_[a-z]+_/, `pkg_${iso2.toLowerCase()}_`),
            ),
          )
          .map((b) => b!.b2b_price)
          .sort((a, b) => a - b);
        expect(bundle.b2b_price).toBeGreaterThan(memberPrices.at(-1)!);
        if (memberPrices.length >= 3) {
          expect(bundle.b2b_price).toBeLessThan(memberPrices[0]! + memberPrices[1]! + memberPrices[2]!);
        }
      }
    }
  });
});

describe("routing a package specification", () => {
  it("routes GL + CA + US + MX to North America plus Greenland", () => {
    const route = routePackageSpecification({ destination: ["GL", "CA", "US", "MX"], size: "1GB" });
    expect(route).toMatchObject({
      ok: true,
      packages: [
        {
          destination_id: "NA",
          destination_iso3: "NA",
          bundle_id: "pkg_na_1gb_dl",
          bundle_label: "1GB",
          size: "1GB",
          bytes: 1073741824,
          duration_days: 365,
          package_type: "data-limited",
          countries: ["CAN", "MEX", "USA"],
        },
        { destination_id: "GL", destination_iso3: "GRL", bundle_id: "pkg_gl_1gb_dl", countries: ["GRL"] },
      ],
    });
  });

  it("answers the same whatever the order or spelling of the destinations", () => {
    const one = routePackageSpecification({ destination: ["GL", "CA", "US", "MX"], size: "3GB" });
    const other = routePackageSpecification({ destination: ["mex", "usa", "gl", "CAN", "US"], size: "3GB" });
    expect(other).toEqual(one);
  });

  it("keeps single countries when a region would cost more", () => {
    expect(routedIds(routePackageSpecification({ destination: "ES", size: "3GB" }))).toEqual(["ES"]);
    expect(routedIds(routePackageSpecification({ destination: ["US", "JP"], size: "1GB" }))).toEqual(["JP", "US"]);
  });

  it("uses a region once it pays off", () => {
    expect(routedIds(routePackageSpecification({ destination: ["FR", "IT", "ES"], size: "5GB" }))).toEqual(["EU"]);
    expect(routedIds(routePackageSpecification({ destination: ["FR", "IT", "JP"], size: "1GB" }))).toEqual([
      "EU",
      "JP",
    ]);
    // Europe and Asia together cost more than one global bundle.
    expect(
      routedIds(routePackageSpecification({ destination: ["FR", "IT", "ES", "JP", "TH", "VN"], size: "1GB" })),
    ).toEqual(["WW"]);
  });

  it("gives a region asked for by code its regional bundle, covering its members", () => {
    const route = routePackageSpecification({ destination: "EU", size: "1GB" });
    expect(route).toMatchObject({ ok: true, packages: [{ destination_id: "EU", bundle_id: "pkg_eu_1gb_dl" }] });
    expect(route.ok && route.packages[0]!.countries).toContain("GRC");
    expect(routedIds(routePackageSpecification({ destination: ["EU", "FR", "GL"], size: "1GB" }))).toEqual([
      "EU",
      "GL",
    ]);
  });

  it("says which destination it does not know", () => {
    expect(routePackageSpecification({ destination: "XX", size: "1GB" })).toEqual({
      ok: false,
      field: "destination",
      issue: "unknown destination XX",
    });
    expect(routePackageSpecification({ destination: ["GR", "QQQ"], size: "1GB" })).toMatchObject({
      field: "destination",
      issue: "unknown destination QQQ",
    });
    expect(routePackageSpecification({ destination: [], size: "1GB" })).toMatchObject({
      ok: false,
      field: "destination",
    });
  });

  it("takes a package_id as is, ignoring the rest, with no fallback when it is wrong", () => {
    const direct = routePackageSpecification({ destination: "FR", size: "20GB", package_id: "pkg_gr_5gb_dl" });
    expect(direct).toMatchObject({
      ok: true,
      packages: [{ destination_id: "GR", bundle_id: "pkg_gr_5gb_dl", size: "5GB", b2b_price: 8 }],
    });
    expect(routePackageSpecification({ destination: "GR", size: "1GB", package_id: "pkg_nope" })).toEqual({
      ok: false,
      field: "package_id",
      issue: "unknown package pkg_nope",
    });
  });

  it("needs no destination with a package_id (reference §4.1: the other fields are ignored)", () => {
    expect(routePackageSpecification({ package_id: "pkg_gr_5gb_tl_7d" })).toMatchObject({
      ok: true,
      packages: [
        { destination_id: "GR", bundle_id: "pkg_gr_5gb_tl_7d", duration_days: 7, package_type: "time-limited" },
      ],
    });
    expect(routePackageSpecification({ size: "1GB" })).toEqual({
      ok: false,
      field: "destination",
      issue: "is required",
    });
  });

  it("sells a time-limited catalogue bundle by its days (package_duration)", () => {
    expect(
      routePackageSpecification({ destination: "GR", size: "5GB", package_type: "time-limited", package_duration: 15 }),
    ).toMatchObject({ ok: true, packages: [{ bundle_id: "pkg_gr_5gb_tl_15d", bundle_label: "15 Days" }] });
  });

  it("defaults to data-limited for 365 days and needs a size for it", () => {
    expect(routePackageSpecification({ destination: "GR", size: "1GB" })).toMatchObject({
      packages: [{ package_type: "data-limited", duration_days: 365 }],
    });
    expect(routePackageSpecification({ destination: "GR" })).toMatchObject({ ok: false, field: "size" });
    expect(routePackageSpecification({ destination: "GR", size: "lots" })).toMatchObject({ ok: false, field: "size" });
    expect(routePackageSpecification({ destination: "GR", size: "0GB" })).toMatchObject({ ok: false, field: "size" });
  });

  it("gives starter packages 500MB for 2 days unless told otherwise, and at most 3 days", () => {
    expect(routePackageSpecification({ destination: "GR", package_type: "starter" })).toMatchObject({
      packages: [{ bundle_id: "pkg_gr_500mb_st", size: "500MB", bytes: 524288000, duration_days: 2 }],
    });
    expect(
      routePackageSpecification({ destination: "GR", package_type: "starter", package_duration: 4 }),
    ).toMatchObject({
      ok: false,
      field: "package_duration",
    });
  });

  it("keeps time-limited packages to 1–30 days", () => {
    const spec = { destination: "GR", size: "1GB", package_type: "time-limited" };
    for (const days of [0, 31, 2.5]) {
      expect(routePackageSpecification({ ...spec, package_duration: days })).toMatchObject({
        ok: false,
        field: "package_duration",
        issue: "must be 1–30 days for time-limited packages",
      });
    }
    for (const days of [1, 30]) {
      expect(routePackageSpecification({ ...spec, package_duration: days })).toMatchObject({
        ok: true,
        packages: [{ duration_days: days, bundle_id: `pkg_gr_1gb_tl_${days}d`, bundle_label: `${days} Days` }],
      });
    }
    expect(routePackageSpecification({ destination: "GR", package_type: "time-limited" })).toMatchObject({
      packages: [{ bundle_id: "pkg_gr_5gb_tl_5d", duration_days: 5 }],
    });
  });

  it("routes unlimited packages with no data cap, where they are sold", () => {
    expect(routePackageSpecification({ destination: "GR", package_type: "unlimited", size: "1GB" })).toMatchObject({
      packages: [{ bundle_id: "pkg_gr_unlimited_7d", bytes: null, size: null, bundle_label: "7 Days" }],
    });
    expect(routePackageSpecification({ destination: ["GR", "SA"], package_type: "unlimited" })).toMatchObject({
      ok: false,
      field: "package_type",
    });
  });

  it("prices sizes and durations off the catalogue with the same rules", () => {
    const route = routePackageSpecification({ destination: "GR", size: "1.5GB", package_duration: 30 });
    expect(route).toMatchObject({ ok: true, packages: [{ bundle_id: "pkg_gr_1.5gb_dl_30d", bytes: 1610612736 }] });
    const price = route.ok ? route.packages[0]!.b2b_price : 0;
    expect(price).toBeGreaterThan(2.5);
    expect(price).toBeLessThan(5.5);
    expect(packageIdFor("GR", "data-limited", 1073741824, 365)).toBe("pkg_gr_1gb_dl");
  });

  it("refuses an unknown package type", () => {
    expect(routePackageSpecification({ destination: "GR", size: "1GB", package_type: "forever" })).toMatchObject({
      ok: false,
      field: "package_type",
    });
  });
});
