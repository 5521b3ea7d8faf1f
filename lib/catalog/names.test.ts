import { describe, expect, it } from "vitest";
import { countryName, flagEmoji, toIso2 } from "./names";

describe("country names and flags", () => {
  it("builds flags from regional-indicator symbols", () => {
    expect(flagEmoji("GR")).toBe("🇬🇷");
    expect(flagEmoji("us")).toBe("🇺🇸");
    expect(flagEmoji("EU1")).toBe("🌐");
  });
  it("reads ISO2 and ISO3 codes; region codes are not countries", () => {
    expect(toIso2("GRC")).toBe("GR");
    expect(toIso2("NL")).toBe("NL");
    expect(toIso2("EU")).toBeUndefined();
    expect(countryName("DE")).toBe("Germany");
  });
});
