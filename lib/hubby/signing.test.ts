import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { computeSignature, signaturesMatch, signedPath, signRequest } from "./signing";

// Vectors from ../shared/hubby-reference.md §2 (computed with Python hmac and Node crypto; secret "test_secret").
const SECRET = "test_secret";

describe("Hubby request signing", () => {
  it.each([
    [
      "1715558400000",
      "GET",
      "/api/bookings?perPage=10",
      "e872154429440b62b2240fbc0a211342f712963cebd6a5c037b9c0d90eba1202",
    ],
    [
      "1715558400000",
      "GET",
      "/bookings?perPage=10",
      "db0b7e41df8f09e5691fea4d0515e3ddd6a3c0d92d96543d4a86e1ad34df241a",
    ],
    ["1717689600000", "POST", "/api/bookings", "45e23b20f773d616e5a67f805b3546101eee89628175de061823f03d93a2a33d"],
    [
      "1711200000000",
      "GET",
      "/api/native/user-dashboard?external_user_id=user_abc123",
      "bd3956c569bf11cbacd2706eca04de031d68cb9b224aecec4feed0127ecfd13d",
    ],
  ])("signs %s %s %s", (timestamp, method, path, expected) => {
    expect(computeSignature(SECRET, timestamp, method, path)).toBe(expected);
  });

  it("signs the query exactly as sent, percent-encoding included", () => {
    const base = new URL("https://api.hubbyesim.com/api");
    const url = new URL("https://api.hubbyesim.com/api/native/user-dashboard");
    url.searchParams.set("external_user_id", "traveler+1@example.com/é");
    const path = signedPath(url, base);
    expect(path).toBe("/api/native/user-dashboard?external_user_id=traveler%2B1%40example.com%2F%C3%A9");
    const expected = crypto.createHmac("sha256", SECRET).update(`1715558400000GET${path}`).digest("hex");
    expect(expected).toBe("bb97ca26ddfe34aa7a5c8e0e1e81c879f6dbbd19334d8fa48307a2e2e6d4e63c");
    expect(computeSignature(SECRET, "1715558400000", "get", path)).toBe(expected);
  });

  it("signs the full path by default and the base-relative path when configured", () => {
    const base = new URL("https://api.hubbyesim.com/api");
    const url = new URL("https://api.hubbyesim.com/api/bookings?perPage=10");
    expect(signedPath(url, base)).toBe("/api/bookings?perPage=10");
    expect(signedPath(url, base, "relative")).toBe("/bookings?perPage=10");
    const headers = signRequest({
      apiKey: "pk",
      secret: SECRET,
      method: "GET",
      url,
      baseUrl: base,
      now: 1715558400000,
    });
    expect(headers).toEqual({
      "x-api-key": "pk",
      "x-timestamp": "1715558400000",
      "x-signature": "e872154429440b62b2240fbc0a211342f712963cebd6a5c037b9c0d90eba1202",
    });
    const relative = signRequest({
      apiKey: "pk",
      secret: SECRET,
      method: "GET",
      url,
      baseUrl: base,
      mode: "relative",
      now: 1715558400000,
    });
    expect(relative["x-signature"]).toBe("db0b7e41df8f09e5691fea4d0515e3ddd6a3c0d92d96543d4a86e1ad34df241a");
  });

  it("compares signatures in constant time and case-insensitively on the received side", () => {
    const sig = computeSignature(SECRET, "1", "GET", "/api/x");
    expect(signaturesMatch(sig, sig.toUpperCase())).toBe(true);
    expect(signaturesMatch(sig, sig.slice(1))).toBe(false);
    expect(signaturesMatch(sig, "")).toBe(false);
  });
});
