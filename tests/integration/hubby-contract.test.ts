import { describe, expect, it } from "vitest";
import { computeSignature } from "@/lib/hubby/signing";
import { HubbyApiError } from "@/lib/hubby/errors";
import { TEST_CREDENTIALS, clientFor, sandboxPerFile, startTestSandbox } from "../support/sandbox";

// Every client method against the running sandbox, including Hubby's error envelopes and its refusals.
const harness = sandboxPerFile({ clearFaults: true });

const future = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().replace(/\.\d{3}Z$/, "Z");

async function expectHubbyError(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(HubbyApiError);
  return error as HubbyApiError;
}

describe("bookings", () => {
  it("creates a booking, queues its package on a new universal eSIM, and lists it", async () => {
    const { client } = clientFor(harness.sandbox);
    const booking = await client.createBooking({
      departure_date: future(10),
      package_specifications: [{ external_user_id: "contract_user_1", destination: "GR", size: "1GB" }],
    });
    expect(booking.id).toMatch(/^booking_/);
    expect(booking.package_specifications).toEqual([
      expect.objectContaining({
        external_user_id: "contract_user_1",
        destination: "GR",
        size: "1GB",
        status: "provisioned",
      }),
    ]);

    const list = await client.listBookings({ perPage: 10 });
    expect(list.bookings.map((b) => b.id)).toContain(booking.id);
    expect(list.total).toBeGreaterThanOrEqual(1);
    const one = await client.listBookings({ bookingId: booking.id });
    expect(one.bookings).toHaveLength(1);

    const dashboard = await client.getUserDashboard("contract_user_1");
    expect(dashboard.user).toMatchObject({ external_user_id: "contract_user_1", has_universal_esim: true });
    expect(dashboard.current_esim?.iccid).toMatch(/^\d{19}$/);
    expect(dashboard.current_esim?.status).toBe("RELEASED");
    expect(dashboard.package_queues).toHaveLength(1);
    expect(dashboard.package_queues[0]).toMatchObject({ redeemed_at: null });
    expect(dashboard.package_queues[0]!.package_specification).toMatchObject({ bytes: 1073741824 });
  });

  it("routes a multi-destination booking to a regional bundle plus the country it does not cover", async () => {
    const { client } = clientFor(harness.sandbox);
    const booking = await client.createBooking({
      departure_date: future(5),
      package_specifications: [
        { external_user_id: "contract_multi", destination: ["GL", "CA", "US", "MX"], size: "3GB" },
      ],
    });
    const destinations = booking.package_specifications.map((spec) => spec.destination).sort();
    expect(destinations).toHaveLength(2);
    expect(destinations).toContain("GL");
  });

  it("answers validation errors with Hubby's envelope and the field", async () => {
    const { client } = clientFor(harness.sandbox);
    const error = await expectHubbyError(
      client.createBooking({
        departure_date: future(3),
        package_specifications: [{ external_user_id: "contract_user_2", destination: "GR", size: "7XB" }],
      }),
    );
    expect(error.status).toBe(400);
    expect(error.code).toBe(400);
    expect(error.fieldError?.field).toBe("package_specifications[0].size");

    const past = await expectHubbyError(
      client.createBooking({
        departure_date: "2020-01-01",
        package_specifications: [{ external_user_id: "contract_user_2", destination: "GR", size: "1GB" }],
      }),
    );
    expect(past.fieldError).toEqual({ field: "departure_date", issue: "must be a future date" });
  });

  it("answers an unknown booking id with an empty list that counts 0 matches", async () => {
    const { client } = clientFor(harness.sandbox);
    expect(await client.listBookings({ bookingId: "booking_missing" })).toMatchObject({ bookings: [], total: 0 });
  });
});

describe("native API", () => {
  it("redeems a queued package once", async () => {
    const { client } = clientFor(harness.sandbox);
    await client.createBooking({
      departure_date: future(2),
      package_specifications: [{ external_user_id: "contract_redeem", destination: "JP", size: "5GB" }],
    });
    const before = await client.getUserDashboard("contract_redeem");
    const queueId = before.package_queues[0]!.id;
    const redeemed = await client.redeemPackage({ external_user_id: "contract_redeem", package_queue_id: queueId });
    expect(redeemed.message).toBe("Package queue redeemed successfully");
    expect(redeemed.package_queue.redeemed_at).toEqual(expect.any(String));
    expect(redeemed.current_esim_packages).toEqual([
      expect.objectContaining({ status: "ACTIVE", total_bytes: 5 * 1073741824 }),
    ]);

    const again = await expectHubbyError(
      client.redeemPackage({ external_user_id: "contract_redeem", package_queue_id: queueId }),
    );
    expect(again.status).toBe(400);
    expect(again.fieldError?.field).toBe("package_queue_id");
  });

  it("answers 404 for an unknown traveler", async () => {
    const { client } = clientFor(harness.sandbox);
    const error = await expectHubbyError(client.getUserDashboard("nobody_here"));
    expect(error.status).toBe(404);
    expect(error.message).toContain("User not found");
  });

  it("renders branded, device-specific instructions", async () => {
    const { client } = clientFor(harness.sandbox);
    const reply = await client.getInstructions({
      external_user_id: "contract_user_1",
      device_name: "iPhone 15 Pro",
      phone_os: "ios",
      os_version: "17.4",
      locale: "en-GB",
    });
    expect(reply).toMatchObject({ format: "html" });
    const html = (reply as { html: string }).html;
    expect(html).toContain("<!doctype html>");
    expect(html).toContain("esimsetup.apple.com");
  });

  it("lists compatible devices and checks one", async () => {
    const { client } = clientFor(harness.sandbox);
    const devices = await client.listCompatibleDevices();
    expect(devices).toEqual(expect.arrayContaining([{ phone_brand: "Apple", phone_model: "iPhone 15 Pro" }]));
    expect(await client.checkDeviceCompatibility({ phone_brand: "Samsung", phone_model: "Galaxy S24" })).toMatchObject({
      is_compatible: true,
    });
  });
});

describe("catalogue and WebView", () => {
  it("lists destinations and shows one with B2B and B2C prices", async () => {
    const { client } = clientFor(harness.sandbox);
    const destinations = await client.listDestinations();
    expect(destinations.length).toBeGreaterThan(20);
    const greece = await client.getDestination("GR");
    expect(greece.bundles.length).toBeGreaterThan(0);
    expect(greece.bundles[0]).toMatchObject({ b2b_price: expect.any(Number), b2c_price: expect.any(Number) });
    expect((await expectHubbyError(client.getDestination("XX"))).status).toBe(404);
  });

  it("creates single-use redirect tokens valid for five minutes", async () => {
    const { client } = clientFor(harness.sandbox);
    const token = await client.createRedirectToken({ external_user_id: "contract_user_1" });
    expect(token.expires_in).toBe(300);
    const first = await fetch(`${harness.sandbox.url}/webview?t=${token.redirect_token}`);
    expect(first.status).toBe(200);
    const second = await fetch(`${harness.sandbox.url}/webview?t=${token.redirect_token}`);
    expect(second.status).toBe(401);
  });
});

describe("request verification", () => {
  it("refuses a wrong secret, a stale timestamp, a changed path and missing headers", async () => {
    const wrongSecret = clientFor(harness.sandbox, { apiSecret: "not-the-secret" }).client;
    expect((await expectHubbyError(wrongSecret.listDestinations())).message).toContain("Invalid signature");

    const stale = clientFor(harness.sandbox, { now: () => Date.now() - 6 * 60_000 }).client;
    const staleError = await expectHubbyError(stale.listDestinations());
    expect(staleError.status).toBe(401);
    expect(staleError.message).toContain("timestamp expired");

    const timestamp = String(Date.now());
    const signedFor = computeSignature(TEST_CREDENTIALS.apiSecret, timestamp, "GET", "/api/destinations");
    const changed = await fetch(`${harness.sandbox.url}/api/destinations/GR`, {
      headers: { "x-api-key": TEST_CREDENTIALS.apiKey, "x-timestamp": timestamp, "x-signature": signedFor },
    });
    expect(changed.status).toBe(401);
    expect(await changed.json()).toEqual({ success: false, error: { code: 401, message: "Invalid signature" } });

    const bare = await fetch(`${harness.sandbox.url}/api/destinations`);
    expect(bare.status).toBe(401);
    expect((await bare.json()).error.details.missing).toEqual(["x-api-key", "x-timestamp", "x-signature"]);
  });

  it("signs the path with the /api prefix by default; the relative setting needs a lenient server", async () => {
    const relative = clientFor(harness.sandbox, { signedPath: "relative" }).client;
    expect((await expectHubbyError(relative.listDestinations())).status).toBe(401);

    const lenient = await startTestSandbox({ webhookUrl: harness.receiver.url, lenientSignedPath: true });
    try {
      expect((await clientFor(lenient, { signedPath: "relative" }).client.listDestinations()).length).toBeGreaterThan(
        0,
      );
    } finally {
      await lenient.close();
    }
  });

  it("reuses one keep-alive connection for consecutive calls", async () => {
    const { client } = clientFor(harness.sandbox);
    const from = harness.sandbox.requests.length;
    await client.listDestinations();
    await client.listCompatibleDevices();
    const ports = new Set(harness.sandbox.requests.slice(from).map((request) => request.remotePort));
    expect(ports.size).toBe(1);
  });
});

describe("fault injection", () => {
  it("a timeout on POST /bookings surfaces as an error and is never retried", async () => {
    harness.sandbox.faults.add({ kind: "timeout", method: "POST", path: "/bookings", ms: 5_000 });
    const { client, records } = clientFor(harness.sandbox, { timeoutMs: 600 });
    const from = harness.sandbox.requests.length;
    const error = await expectHubbyError(
      client.createBooking({
        departure_date: future(3),
        package_specifications: [{ external_user_id: "contract_timeout", destination: "GR", size: "1GB" }],
      }),
    );
    expect(error.kind).toBe("timeout");
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(harness.sandbox.requests.slice(from).filter((r) => r.method === "POST")).toHaveLength(1);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ ok: false, errorKind: "timeout", status: null, attempt: 1 });
  });

  it("a booking committed with its reply lost is an error, not a second booking", async () => {
    harness.sandbox.faults.add({ kind: "drop_after_commit", method: "POST", path: "/bookings", times: 1 });
    const { client } = clientFor(harness.sandbox);
    const before = harness.sandbox.world.bookings.length;
    const error = await expectHubbyError(
      client.createBooking({
        departure_date: future(3),
        package_specifications: [{ external_user_id: "contract_lost", destination: "GR", size: "1GB" }],
      }),
    );
    expect(error.kind).toBe("network");
    expect(harness.sandbox.world.bookings.length).toBe(before + 1);
  });

  it("retries GETs on 5xx with backoff and records every attempt", async () => {
    harness.sandbox.faults.add({ kind: "status", status: 503, method: "GET", path: "/destinations", times: 2 });
    const { client, records } = clientFor(harness.sandbox);
    expect((await client.listDestinations()).length).toBeGreaterThan(0);
    expect(records.map((r) => [r.attempt, r.status])).toEqual([
      [1, 503],
      [2, 503],
      [3, 200],
    ]);
    expect(new Set(records.map((r) => r.requestId)).size).toBe(1);
  });

  it("a page's deadline is one budget for all its calls: a Hubby that never answers costs it once", async () => {
    // Without the deadline, each of these waits its full timeout and retries (3 × 15 s by default).
    harness.sandbox.faults.add({
      kind: "timeout",
      method: "GET",
      path: "/native/user-dashboard",
      ms: 30_000,
      times: 3,
    });
    harness.sandbox.faults.add({
      kind: "timeout",
      method: "GET",
      path: "/native/device-compatibility",
      ms: 30_000,
      times: 3,
    });
    const { client, records } = clientFor(harness.sandbox, { timeoutMs: 15_000, getRetries: 2 });
    const page = client.withDeadline(500);
    const started = performance.now();
    const [dashboard, devices] = await Promise.all([
      expectHubbyError(page.getUserDashboard("nobody")),
      expectHubbyError(page.listCompatibleDevices()),
    ]);
    expect([dashboard.kind, devices.kind]).toEqual(["timeout", "timeout"]);
    // No retry starts once the budget is spent: one attempt each.
    expect(records.map((r) => r.attempt)).toEqual([1, 1]);
    expect(performance.now() - started).toBeLessThan(5_000);
    // A call after the deadline is refused without going to Hubby at all.
    const late = await expectHubbyError(page.listDestinations());
    expect(late.message).toMatch(/time budget/);
    expect(records).toHaveLength(2);
    harness.sandbox.faults.clear();
  });

  it("a deadline leaves room for a retry when the first attempt fails fast", async () => {
    harness.sandbox.faults.add({ kind: "status", status: 503, method: "GET", path: "/destinations", times: 1 });
    const { client, records } = clientFor(harness.sandbox);
    expect((await client.withDeadline(5_000).listDestinations()).length).toBeGreaterThan(0);
    expect(records.map((r) => [r.attempt, r.status])).toEqual([
      [1, 503],
      [2, 200],
    ]);
  });

  it("a malformed reply is a typed error", async () => {
    harness.sandbox.faults.add({ kind: "malformed", method: "GET", path: "/native/device-compatibility", times: 1 });
    const { client } = clientFor(harness.sandbox);
    const error = await expectHubbyError(client.listCompatibleDevices());
    expect(error.kind).toBe("invalid_response");
  });

  it("latency is added before answering", async () => {
    harness.sandbox.faults.add({ kind: "latency", ms: 200, method: "GET", path: "/destinations", times: 1 });
    const { client, records } = clientFor(harness.sandbox);
    await client.listDestinations();
    expect(records[0]!.durationMs).toBeGreaterThanOrEqual(190);
  });

  it("never records the secret or the signature", async () => {
    const { client, records } = clientFor(harness.sandbox);
    await client.getUserDashboard("contract_user_1");
    const text = JSON.stringify(records);
    expect(text).not.toContain(TEST_CREDENTIALS.apiSecret);
    expect(text).not.toContain("x-signature");
    expect(records[0]).toMatchObject({ endpoint: "GET /native/user-dashboard", externalUserId: "contract_user_1" });
  });
});
