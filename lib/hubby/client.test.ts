import { describe, expect, it } from "vitest";
import { HubbyClient, backoffDelay } from "./client";
import { computeSignature, signedPath } from "./signing";

describe("HubbyClient URLs", () => {
  const client = new HubbyClient({ baseUrl: "https://api.hubbyesim.com/api", apiKey: "pk", apiSecret: "test_secret" });

  it("keeps the base URL's path prefix and sends the query in a fixed order", () => {
    const url = client.urlFor("/bookings", { page: 2, perPage: 50, bookingId: "PNR X/1", external_user_id: undefined });
    expect(url.toString()).toBe("https://api.hubbyesim.com/api/bookings?page=2&perPage=50&bookingId=PNR+X%2F1");
  });

  it("signs exactly the path and query it sends (fixed vector)", () => {
    const url = new URL("https://api.hubbyesim.com/api/bookings?page=2&perPage=50&bookingId=PNR%20X%2F1");
    const path = signedPath(url, new URL("https://api.hubbyesim.com/api/"));
    expect(path).toBe("/api/bookings?page=2&perPage=50&bookingId=PNR%20X%2F1");
    expect(computeSignature("test_secret", "1715558400000", "GET", path)).toBe(
      "086d12c685d2c58d38b2ac260b352e4cf61d26ecb3ba022a8b2043c055f8375d",
    );
  });

  it("works with a base URL that has no path prefix", () => {
    const bare = new HubbyClient({ baseUrl: "http://127.0.0.1:4010", apiKey: "pk", apiSecret: "s" });
    expect(bare.urlFor("/destinations/GR").pathname).toBe("/destinations/GR");
  });
});

describe("backoffDelay", () => {
  it("grows exponentially and jitters within [half, full] of the ceiling", () => {
    expect(backoffDelay(1, 200, () => 0)).toBe(100);
    expect(backoffDelay(1, 200, () => 1)).toBe(200);
    expect(backoffDelay(3, 200, () => 0.5)).toBe(600);
  });
});
