import { describe, expect, it } from "vitest";
import {
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
});
