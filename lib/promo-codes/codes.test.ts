import { describe, expect, it } from "vitest";
import { campaignRowOfClientKey, MAX_CODE_LENGTH, promoCodesOfReply } from "./codes";

const example = {
  promo_code: "ABC123XYZ",
  uuid: "550e8400-e29b-41d4-a716-446655440000",
  claim_url: "https://platform.hubbyesim.com/free-esim/company-name?uuid=550e8400-e29b-41d4-a716-446655440000",
  deep_link_url: "https://hubby-esim.web.app/starter/?promoCode=ABC123XYZ",
  package_id: "pkg_tr",
  package_size: "1GB",
  destination: "Turkey",
  iso3: "TUR",
  package_type: "data-limited",
  package_duration: 365,
};

describe("promo codes of a reply", () => {
  it("reads the reference's example into the stored columns", () => {
    expect(promoCodesOfReply({ id: "booking_id", promo_codes: [example] })).toEqual([
      {
        code: "ABC123XYZ",
        uuid: example.uuid,
        claimUrl: example.claim_url,
        deepLinkUrl: example.deep_link_url,
        packageId: "pkg_tr",
        packageSize: "1GB",
        destination: "Turkey",
        iso3: "TUR",
        packageType: "data-limited",
        packageDuration: 365,
      },
    ]);
  });

  it("reads every booking of an array reply, each code once", () => {
    const codes = promoCodesOfReply([
      { id: "b1", promo_codes: [example, { promo_code: "SECOND" }] },
      { id: "b2", promo_codes: [{ promo_code: "ABC123XYZ" }, { code: "THIRD", claim_link: "https://x/claim" }] },
    ]);
    expect(codes.map((code) => code.code)).toEqual(["ABC123XYZ", "SECOND", "THIRD"]);
    expect(codes[0]?.packageId).toBe("pkg_tr");
    expect(codes[2]?.claimUrl).toBe("https://x/claim");
  });

  it("keeps out what the table cannot hold, and replies without codes", () => {
    const codes = promoCodesOfReply({
      id: "b1",
      promo_codes: [
        { promo_code: "X".repeat(MAX_CODE_LENGTH + 1) },
        { promo_code: "NUL\u0000CODE" },
        { promo_code: "OK1", package_duration: 1e12, destination: "Gr\u0000ece", claim_url: "" },
      ],
    });
    expect(codes).toEqual([
      expect.objectContaining({ code: "OK1", packageDuration: null, destination: "Gr\uFFFDece", claimUrl: null }),
    ]);
    expect(promoCodesOfReply({ id: "b1", package_specifications: [] })).toEqual([]);
    expect(promoCodesOfReply(null)).toEqual([]);
    expect(promoCodesOfReply("text")).toEqual([]);
  });

  it("finds a campaign row's campaign and line in its intent's client key", () => {
    expect(campaignRowOfClientKey("campaign-0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d-17")).toEqual({
      campaignId: "0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d",
      line: 17,
    });
    expect(campaignRowOfClientKey("0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d")).toBeNull();
    expect(campaignRowOfClientKey("campaign-nope-3")).toBeNull();
  });
});
