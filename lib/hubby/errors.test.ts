import { describe, expect, it } from "vitest";
import { HubbyApiError } from "./errors";

const base = { endpoint: "POST /api/bookings", requestId: "req-1" };

describe("HubbyApiError", () => {
  it("exposes Hubby's field detail for the form", () => {
    const error = new HubbyApiError({
      ...base,
      kind: "http",
      status: 400,
      code: 400,
      message: "Validation failed",
      details: { field: "departure_date", issue: "must be a future date" },
    });
    expect(error.fieldError).toEqual({ field: "departure_date", issue: "must be a future date" });
    expect(error.transient).toBe(false);
  });

  it("treats network errors, timeouts and 5xx as transient, and 4xx as final", () => {
    expect(new HubbyApiError({ ...base, kind: "network", message: "x" }).transient).toBe(true);
    expect(new HubbyApiError({ ...base, kind: "timeout", message: "x" }).transient).toBe(true);
    expect(new HubbyApiError({ ...base, kind: "http", status: 503, message: "x" }).transient).toBe(true);
    expect(new HubbyApiError({ ...base, kind: "http", status: 401, message: "x" }).transient).toBe(false);
    expect(new HubbyApiError({ ...base, kind: "invalid_response", status: 200, message: "x" }).transient).toBe(false);
  });
});
