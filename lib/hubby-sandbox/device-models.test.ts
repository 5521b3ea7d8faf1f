import { describe, expect, it } from "vitest";
import {
  brandFromDeviceName,
  checkCompatibility,
  compatibleDevices,
  knownIncompatibleDevices,
  supportsProgrammaticInstall,
} from "./device-models";

describe("device list", () => {
  it("lists the documented devices among realistic models from several makers", () => {
    expect(compatibleDevices).toEqual(
      expect.arrayContaining([
        { phone_brand: "Apple", phone_model: "iPhone 15 Pro" },
        { phone_brand: "Samsung", phone_model: "Galaxy S24" },
        { phone_brand: "Google", phone_model: "Pixel 10" },
      ]),
    );
    expect(compatibleDevices.length).toBeGreaterThanOrEqual(40);
    expect(new Set(compatibleDevices.map((d) => d.phone_brand)).size).toBeGreaterThanOrEqual(6);
    const keys = compatibleDevices.map((d) => `${d.phone_brand}|${d.phone_model}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("says every listed device is compatible and every known eSIM-less one is not", () => {
    for (const device of compatibleDevices) {
      expect(checkCompatibility(device.phone_brand, device.phone_model).is_compatible).toBe(true);
    }
    for (const device of knownIncompatibleDevices) {
      expect(checkCompatibility(device.phone_brand, device.phone_model).is_compatible).toBe(false);
    }
  });
});

describe("compatibility check", () => {
  it("ignores case and extra whitespace and echoes the input as given", () => {
    expect(checkCompatibility("apple", "  iphone 15   pro ")).toEqual({
      phone_brand: "apple",
      phone_model: "  iphone 15   pro ",
      is_compatible: true,
    });
    expect(checkCompatibility("SAMSUNG", "galaxy z fold 5").is_compatible).toBe(true);
  });

  it("accepts brand aliases and the maker repeated in the model", () => {
    expect(checkCompatibility("iPhone", "iPhone 14").is_compatible).toBe(true);
    expect(checkCompatibility("iphone", "14 Pro Max").is_compatible).toBe(true);
    expect(checkCompatibility("Google", "Google Pixel 10").is_compatible).toBe(true);
    expect(checkCompatibility("Samsung", "Samsung Galaxy S24 Ultra").is_compatible).toBe(true);
    expect(checkCompatibility("Samsung", "S24").is_compatible).toBe(true);
    expect(checkCompatibility("", "Pixel 8a").is_compatible).toBe(true);
  });

  it("rejects phones without eSIM, unknown phones and mismatched makers", () => {
    expect(checkCompatibility("Samsung", "Galaxy A14")).toEqual({
      phone_brand: "Samsung",
      phone_model: "Galaxy A14",
      is_compatible: false,
    });
    expect(checkCompatibility("Apple", "iPhone 8").is_compatible).toBe(false);
    expect(checkCompatibility("Xiaomi", "Redmi Note 12").is_compatible).toBe(false);
    expect(checkCompatibility("Nokia", "3310").is_compatible).toBe(false);
    expect(checkCompatibility("Samsung", "iPhone 15 Pro").is_compatible).toBe(false);
  });

  it("finds the maker in a device name", () => {
    expect(brandFromDeviceName("Google Pixel 10")).toBe("Google");
    expect(brandFromDeviceName("Galaxy S24")).toBe("Samsung");
    expect(brandFromDeviceName("iPhone15 Pro")).toBe("Apple");
    expect(brandFromDeviceName("My phone")).toBeUndefined();
  });
});

describe("programmatic install", () => {
  it("needs iOS 17.4 or later", () => {
    expect(supportsProgrammaticInstall("ios", "17.4")).toBe(true);
    expect(supportsProgrammaticInstall("iOS", "18")).toBe(true);
    expect(supportsProgrammaticInstall("iOS", "17.3.1")).toBe(false);
    expect(supportsProgrammaticInstall("ios", "16.7")).toBe(false);
  });

  it("needs Android 10 or later on a Google or Samsung phone", () => {
    expect(supportsProgrammaticInstall("android", "14", "Samsung")).toBe(true);
    expect(supportsProgrammaticInstall("Android", 15, "pixel")).toBe(true);
    expect(supportsProgrammaticInstall("android", "9", "Google")).toBe(false);
    expect(supportsProgrammaticInstall("android", "14", "Xiaomi")).toBe(false);
    expect(supportsProgrammaticInstall("android", "10")).toBe(true);
  });

  it("says no to what it cannot read", () => {
    expect(supportsProgrammaticInstall("ios", "latest")).toBe(false);
    expect(supportsProgrammaticInstall("symbian", "10")).toBe(false);
  });
});
