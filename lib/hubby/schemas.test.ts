import { describe, expect, it } from "vitest";
import {
  createBookingInputSchema,
  createBookingResultSchema,
  errorEnvelopeSchema,
  redirectTokenSchema,
  successEnvelope,
  userDashboardSchema,
} from "./schemas";

// Samples from ../shared/hubby-reference.md §3 and §4.
describe("Hubby reply schemas", () => {
  it("parse the native user-dashboard sample and keep unknown fields", () => {
    const reply = successEnvelope(userDashboardSchema).parse({
      success: true,
      data: {
        user: {
          id: "u1",
          external_user_id: "partner_user_456",
          has_universal_esim: true,
          current_universal_esim: "8901234567890123456",
        },
        package_queues: [
          {
            id: "pq_xyz789",
            uuid: "0b0c",
            type: "booking",
            package_specification: { iso3: "FRA", bytes: 1073741824, duration_days: 30 },
            created_at: "2026-07-01T10:00:00Z",
            redeemed_at: null,
          },
        ],
        current_esim: {
          provider: "p",
          name: "Hubby Universal ESIM",
          qr: "LPA:1$smdp.example.com$ACTIVATION-CODE",
          iccid: "8901234567890123456",
          total_data: 1073741824,
          data_left: 1073741824,
          data_used: false,
          status: "RELEASED",
          time_assigned: "2026-07-01T10:00:00Z",
          last_updated: "2026-07-01T10:00:00Z",
        },
        current_esim_packages: [],
        partner: { id: "p1", name: "Partner" },
      },
    });
    expect(reply.data.package_queues[0]?.redeemed_at).toBeNull();
    expect((reply.data.current_esim as Record<string, unknown>).last_updated).toBe("2026-07-01T10:00:00Z");
  });

  it("fail on a missing required field instead of crashing later", () => {
    const result = successEnvelope(userDashboardSchema).safeParse({
      success: true,
      data: { user: { has_universal_esim: true } },
    });
    expect(result.success).toBe(false);
  });

  it("parse the booking, redirect-token and error envelopes", () => {
    expect(
      successEnvelope(createBookingResultSchema).parse({
        success: true,
        data: {
          id: "booking_abc",
          package_specifications: [
            {
              external_user_id: "partner_user_456",
              package_id: "pkg_xyz",
              destination: "GR",
              size: "1GB",
              status: "provisioned",
            },
          ],
        },
      }).data.package_specifications[0]?.package_id,
    ).toBe("pkg_xyz");
    expect(
      redirectTokenSchema.parse({ redirect_token: "1b80dfe9-0202-4151-a26f-ceac52ca3b34", expires_in: 300 }).expires_in,
    ).toBe(300);
    expect(
      errorEnvelopeSchema.parse({
        success: false,
        error: {
          code: 400,
          message: "Validation failed",
          details: { field: "departure_date", issue: "must be a future date" },
        },
      }).error?.details,
    ).toEqual({ field: "departure_date", issue: "must be a future date" });
  });

  it("keep the promo codes of the promo-code flow's reply, where data is an array (§4.1)", () => {
    const code = {
      promo_code: "ABC123XYZ",
      uuid: "550e8400-e29b-41d4-a716-446655440000",
      claim_url: "https://platform.hubbyesim.com/free-esim/company-name?uuid=550e8400-e29b-41d4-a716-446655440000",
      deep_link_url: "https://hubby-esim.web.app/starter/?promoCode=ABC123XYZ",
      package_id: "pkg_tr_1gb",
      package_size: "1GB",
      destination: "Turkey",
      iso3: "TUR",
      package_type: "data-limited",
      package_duration: 365,
    };
    const reply = successEnvelope(createBookingResultSchema).parse({
      success: true,
      data: [{ id: "booking_id", promo_codes: [code] }],
    });
    expect(reply.data.id).toBe("booking_id");
    expect(reply.data.promo_codes).toEqual([code]);
    expect(reply.data.package_specifications).toEqual([]);
  });

  it("keep promo codes in the object form, and every booking's codes when the array holds several", () => {
    const single = createBookingResultSchema.parse({ id: "b1", promo_codes: [{ promo_code: "AAA111" }] });
    expect(single.promo_codes.map((code) => code.promo_code)).toEqual(["AAA111"]);
    const several = createBookingResultSchema.parse([
      { id: "b1", promo_codes: [{ promo_code: "AAA111" }] },
      { id: "b2", promo_codes: [{ promo_code: "BBB222" }, { promo_code: "CCC333" }] },
    ]);
    expect(several.id).toBe("b1");
    expect(several.promo_codes.map((code) => code.promo_code)).toEqual(["AAA111", "BBB222", "CCC333"]);
    // A reply without promo codes (the native flow) has none.
    expect(createBookingResultSchema.parse({ id: "b3" }).promo_codes).toEqual([]);
  });

  it("read promo codes leniently: the simplified form, odd field types, and never fail the paid booking's reply", () => {
    const reply = createBookingResultSchema.parse({
      id: "b1",
      promo_codes: [
        { code: "SIMPLE1", claim_link: "https://platform.hubbyesim.com/free-esim/x?uuid=1" },
        { promo_code: "ODD1", package_duration: "30", iso3: 7, destination: { name: "Greece" } },
        { promo_code: "" },
        "not an object",
      ],
    });
    expect(reply.promo_codes).toEqual([
      expect.objectContaining({
        promo_code: "SIMPLE1",
        claim_url: "https://platform.hubbyesim.com/free-esim/x?uuid=1",
      }),
      expect.objectContaining({ promo_code: "ODD1", package_duration: 30, iso3: "7", destination: undefined }),
    ]);
    expect(createBookingResultSchema.parse({ id: "b1", promo_codes: "none" }).promo_codes).toEqual([]);
  });

  it("accept a package specification without external_user_id (the promo-code flow)", () => {
    const input = createBookingInputSchema.parse({
      departure_date: "2030-07-15",
      package_specifications: [{ destination: "TR", size: "1GB", package_type: "data-limited" }],
    });
    expect(input.package_specifications[0]?.external_user_id).toBeUndefined();
  });
});

// §4.1: a package specification is destination + size + package_type + package_duration, or a package_id alone.
describe("the booking request schema", () => {
  const booking = (spec: Record<string, unknown>) =>
    createBookingInputSchema.safeParse({
      departure_date: "2026-07-15T14:30:00+02:00",
      locale: "es",
      package_specifications: [{ external_user_id: "partner_user_456", ...spec }],
    });

  it("takes a package_id with no destination, and a package_duration in days", () => {
    expect(booking({ package_id: "pkg_xyz" }).success).toBe(true);
    expect(booking({ destination: "GR", size: "5GB", package_type: "time-limited", package_duration: 7 }).success).toBe(
      true,
    );
  });

  it("needs a destination when there is no package_id", () => {
    expect(booking({ size: "1GB" }).error?.issues[0]).toMatchObject({
      path: ["package_specifications", 0, "destination"],
      message: "is required unless package_id is given",
    });
    expect(booking({ destination: "GR", size: "1GB", package_duration: 2.5 }).success).toBe(false);
  });
});
