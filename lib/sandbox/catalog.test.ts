import { describe, expect, it } from "vitest";
import {
  bytesToLabel,
  findDestination,
  getDestinationWithBundles,
  listDestinations,
  routePackageSpecification,
  sizeToBytes,
} from "./catalog";

describe("sandbox catalogue", () => {
  it("uses Hubby's binary byte math", () => {
    expect(sizeToBytes("1GB")).toBe(1073741824);
    expect(sizeToBytes("500MB")).toBe(524288000);
    expect(sizeToBytes("20GB")).toBe(21474836480);
    expect(sizeToBytes("1.5GB")).toBe(1610612736);
    expect(sizeToBytes("1 GB")).toBeUndefined();
    expect(bytesToLabel(3221225472)).toBe("3GB");
  });

  it("finds destinations by ISO2, ISO3 or region code, with localized names", () => {
    expect(findDestination("gr")?.iso3).toBe("GRC");
    expect(findDestination("USA")?.id).toBe("US");
    expect(findDestination("EU")?.type).toBe("Europe");
    expect(findDestination("ZZ")).toBeUndefined();
    expect(findDestination("GR")?.i18n_name.nl).toBe("Griekenland");
    const codes = listDestinations().map((d) => d.id);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it("prices Greece like the reference's example and marks prices synthetic", () => {
    const greece = getDestinationWithBundles("GR")!;
    const oneGb = greece.bundles.find((b) => b.label === "1GB")!;
    expect(oneGb).toMatchObject({ b2b_price: 2.5, b2c_price: 4.99, currency: "EUR", synthetic_price: true });
    expect(greece.bundles.every((b) => b.b2c_price > b.b2b_price)).toBe(true);
  });

  it("routes GL + CA + US + MX to North America plus Greenland", () => {
    const route = routePackageSpecification({ destination: ["GL", "CA", "US", "MX"], size: "1GB" });
    expect(route.ok && route.packages.map((p) => p.destination_id)).toEqual(["NA", "GL"]);
  });

  it("keeps a single country when a region would not be cheaper", () => {
    const route = routePackageSpecification({ destination: ["ES"], size: "3GB" });
    expect(route.ok && route.packages).toEqual([
      expect.objectContaining({ destination_id: "ES", bytes: 3221225472, duration_days: 365 }),
    ]);
    const region = routePackageSpecification({ destination: "EU", size: "1GB" });
    expect(region.ok && region.packages.map((p) => p.destination_id)).toEqual(["EU"]);
  });

  it("applies type defaults and refuses what Hubby would refuse", () => {
    const starter = routePackageSpecification({ destination: "GR", package_type: "starter" });
    expect(starter.ok && starter.packages[0]).toMatchObject({ size: "500MB", duration_days: 2 });
    expect(
      routePackageSpecification({ destination: "GR", size: "1GB", package_type: "time-limited", package_duration: 45 }),
    ).toMatchObject({
      ok: false,
      field: "package_duration",
    });
    expect(routePackageSpecification({ destination: "XX", size: "1GB" })).toEqual({
      ok: false,
      field: "destination",
      issue: "unknown destination XX",
    });
    expect(routePackageSpecification({ destination: "GR", size: "lots" })).toMatchObject({ ok: false, field: "size" });
  });

  it("takes a package_id as is, with no fallback when it is wrong", () => {
    const direct = routePackageSpecification({ destination: "FR", package_id: "pkg_gr_5gb_dl" });
    expect(direct.ok && direct.packages[0]).toMatchObject({ destination_id: "GR", size: "5GB" });
    expect(routePackageSpecification({ destination: "GR", package_id: "pkg_nope" })).toMatchObject({
      ok: false,
      field: "package_id",
    });
  });
});
