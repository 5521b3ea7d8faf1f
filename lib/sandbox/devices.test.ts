import { describe, expect, it } from "vitest";
import {
  checkCompatibility,
  compatibleDevices,
  knownIncompatibleDevices,
  supportsProgrammaticInstall,
} from "./devices";

describe("sandbox device compatibility", () => {
  it("lists the documented devices", () => {
    expect(compatibleDevices).toEqual(
      expect.arrayContaining([
        { phone_brand: "Apple", phone_model: "iPhone 15 Pro" },
        { phone_brand: "Samsung", phone_model: "Galaxy S24" },
      ]),
    );
  });

  it("matches leniently and echoes the input", () => {
    expect(checkCompatibility("apple", "  iphone 15   pro ")).toEqual({
      phone_brand: "apple",
      phone_model: "  iphone 15   pro ",
      is_compatible: true,
    });
    expect(checkCompatibility("Google", "Google Pixel 10").is_compatible).toBe(true);
    expect(checkCompatibility("iPhone", "iPhone 14").is_compatible).toBe(true);
  });

  it("rejects phones without eSIM", () => {
    for (const device of knownIncompatibleDevices) {
      expect(checkCompatibility(device.phone_brand, device.phone_model).is_compatible).toBe(false);
    }
  });

  it("knows which OS versions install programmatically", () => {
    expect(supportsProgrammaticInstall("ios", "17.4")).toBe(true);
    expect(supportsProgrammaticInstall("iOS", "17.3")).toBe(false);
    expect(supportsProgrammaticInstall("android", "14", "Samsung")).toBe(true);
    expect(supportsProgrammaticInstall("android", "9", "Google")).toBe(false);
  });
});
