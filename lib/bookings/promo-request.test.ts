import { describe, expect, it } from "vitest";
import { createBookingInputSchema } from "../hubby/schemas";
import { buildPromoCodeRequest, isPromoCodeRequest, PROMO_CODE_STAND_IN } from "./promo-request";
import { bookingDraftSchema } from "./request";

const draft = (values: Record<string, unknown> = {}) =>
  bookingDraftSchema.parse({
    travelers: PROMO_CODE_STAND_IN,
    specs: [{ destinations: ["TR"], packageType: "data-limited", size: "1GB" }],
    departureDate: "2030-07-15",
    departureTime: "",
    timeZone: "UTC",
    locale: "",
    customBranding: "",
    ...values,
  });

describe("promo-code requests", () => {
  it("send one specification per code, none with external_user_id (reference §4.1)", () => {
    const request = buildPromoCodeRequest(draft(), 3, "hpc-1");
    expect(request).toEqual({
      booking_id: "hpc-1",
      departure_date: "2030-07-15",
      package_specifications: [
        { destination: "TR", package_type: "data-limited", size: "1GB" },
        { destination: "TR", package_type: "data-limited", size: "1GB" },
        { destination: "TR", package_type: "data-limited", size: "1GB" },
      ],
    });
    expect(JSON.stringify(request)).not.toContain(PROMO_CODE_STAND_IN);
    expect(createBookingInputSchema.safeParse(request).success).toBe(true);
  });

  it("keep the booking's locale and branding, and an unlimited package's missing size", () => {
    const request = buildPromoCodeRequest(
      draft({
        specs: [{ destinations: ["EU"], packageType: "unlimited" }],
        locale: "de-DE",
        customBranding: "brand_luxury_travel",
      }),
      1,
      "hpc-2",
    );
    expect(request).toMatchObject({ locale: "de-DE", custom_branding: "brand_luxury_travel" });
    expect(request.package_specifications).toEqual([{ destination: "EU", package_type: "unlimited" }]);
  });

  it("refuse zero codes", () => {
    expect(() => buildPromoCodeRequest(draft(), 0, "hpc-3")).toThrow(/at least one code/);
  });

  it("tell promo-code payloads from travelers' bookings", () => {
    expect(isPromoCodeRequest(buildPromoCodeRequest(draft(), 2, "hpc-4"))).toBe(true);
    expect(isPromoCodeRequest({ package_specifications: [{ external_user_id: "cust_1", destination: "GR" }] })).toBe(
      false,
    );
    expect(
      isPromoCodeRequest({
        package_specifications: [{ destination: "GR" }, { external_user_id: "c", destination: "GR" }],
      }),
    ).toBe(false);
    expect(isPromoCodeRequest({ package_specifications: [] })).toBe(false);
    expect(isPromoCodeRequest(null)).toBe(false);
  });
});
