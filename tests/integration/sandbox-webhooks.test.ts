import crypto from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import type { Sandbox } from "@/lib/hubby-sandbox/sandbox";
import { RETRY_DELAYS_MS } from "@/lib/hubby-sandbox/webhook-dispatcher";
import { handledEvents } from "@/lib/webhooks/envelope";
import { TEST_WEBHOOK_KEY, clientFor, startReceiver, startTestSandbox } from "../support/sandbox";

// The sandbox sends webhooks like Hubby: the envelope, the API-key header, the optional signature, and
// retries after 1, 5 and 30 minutes of simulated time.
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

async function setUp(status: () => number = () => 200, signingSecret?: string) {
  const receiver = await startReceiver(status);
  const sandbox = await startTestSandbox({
    webhookUrl: receiver.url,
    ...(signingSecret
      ? {
          webhook: {
            url: receiver.url,
            apiKey: TEST_WEBHOOK_KEY,
            authHeader: "x-api-key",
            authPrefix: "",
            timestampHeader: "x-hubby-timestamp",
            signingSecret,
          },
        }
      : {}),
  });
  cleanup.push(
    () => receiver.close(),
    () => sandbox.close(),
  );
  return { receiver, sandbox };
}

async function book(sandbox: Sandbox, externalUserId: string, departureInMs: number) {
  const departure = new Date(sandbox.clock.now() + departureInMs).toISOString().replace(/\.\d{3}Z$/, "Z");
  return clientFor(sandbox).client.createBooking({
    departure_date: departure,
    package_specifications: [{ external_user_id: externalUserId, destination: "GR", size: "1GB" }],
  });
}

describe("sandbox webhooks", () => {
  it("accepts today's date by the wall clock while its own clock runs days ahead, and refuses a past one", async () => {
    const { sandbox } = await setUp();
    sandbox.clock.step(3 * DAY);
    const today = new Date().toISOString().slice(0, 10);
    const booked = await clientFor(sandbox).client.createBooking({
      departure_date: today,
      package_specifications: [{ external_user_id: "wall_clock_user", destination: "GR", size: "1GB" }],
    });
    expect(booked.id).toBeTruthy();
    const yesterdayButOne = new Date(Date.now() - 2 * DAY).toISOString().slice(0, 10);
    await expect(
      clientFor(sandbox).client.createBooking({
        departure_date: yesterdayButOne,
        package_specifications: [{ external_user_id: "wall_clock_user_2", destination: "GR", size: "1GB" }],
      }),
    ).rejects.toMatchObject({ fieldError: { field: "departure_date", issue: "must be a future date" } });
  });

  it("moves a traveler through install, activation and usage, sending each documented event", async () => {
    const { receiver, sandbox } = await setUp();
    await book(sandbox, "hook_user", 10 * DAY);
    const traveler = sandbox.world.travelers.hook_user!;
    traveler.behaviour = {
      ...traveler.behaviour,
      willInstall: true,
      dailyUsageShare: 0.25,
      tripDays: 10,
      autoRedeem: true,
      removesEsimAfterHours: null,
      inAppPurchaseAfterDays: null,
    };
    traveler.esim!.install_due_at = sandbox.clock.now() + 2 * HOUR;

    for (let day = 0; day < 16; day++) await sandbox.advanceBy(DAY);

    const events = receiver.received
      .filter((w) => w.json.data.external_user_id === "hook_user")
      .map((w) => w.json.event);
    expect(events).toEqual(
      expect.arrayContaining([
        "esim.installed",
        "booking.within_cutoff",
        "booking.about_to_depart",
        "package.activated",
        "package.usage.20_percent",
        "package.usage.50_percent",
        "package.usage.80_percent",
      ]),
    );
    const usage = receiver.received.find((w) => w.json.event === "package.usage.80_percent")!.json.data;
    expect(usage).toMatchObject({ usage_percent: 80, size: "1GB", destination: "GR", package_type: "data-limited" });
    expect((usage.used_bytes as number) + (usage.remaining_bytes as number)).toBe(1073741824);
    const dashboard = await clientFor(sandbox).client.getUserDashboard("hook_user");
    expect(dashboard.current_esim?.status).toBe("ENABLED");
    expect(dashboard.current_esim_packages[0]).toMatchObject({ status: "DEPLETED" });
  });

  it("sends the envelope with the API key and, when configured, a verifiable signature", async () => {
    const { receiver, sandbox } = await setUp(() => 200, "whsec_contract");
    await book(sandbox, "signed_user", 3 * DAY);
    await sandbox.advanceBy(DAY * 5);
    const delivery = receiver.received[0]!;
    expect(delivery.headers["x-api-key"]).toBe(TEST_WEBHOOK_KEY);
    expect(Object.keys(delivery.json).sort()).toEqual(["data", "event", "event_id", "timestamp"]);
    expect(delivery.headers["x-hubby-event-id"]).toBe(delivery.json.event_id);
    const timestamp = delivery.headers["x-hubby-timestamp"] as string;
    const expected = crypto
      .createHmac("sha256", "whsec_contract")
      .update(`${timestamp}.${delivery.body}`)
      .digest("hex");
    expect(delivery.headers["x-hubby-signature"]).toBe(`sha256=${expected}`);
  });

  it("retries a failed delivery after 1, 5 and 30 minutes, then drops it", async () => {
    const { receiver, sandbox } = await setUp(() => 500);
    await book(sandbox, "retry_user", 3 * DAY);
    sandbox.dispatcher.paused = true;
    await sandbox.advanceBy(5 * DAY);
    const first = sandbox.dispatcher.pending[0]!;
    sandbox.dispatcher.pending = [first];
    sandbox.dispatcher.paused = false;
    await sandbox.dispatcher.drain();
    for (const delay of RETRY_DELAYS_MS) {
      await sandbox.advanceBy(delay - 1_000);
      const before = receiver.received.length;
      await sandbox.advanceBy(1_000);
      expect(receiver.received.length).toBe(before + 1);
    }
    const attempts = receiver.received.filter((w) => w.json.event_id === first.eventId);
    expect(attempts).toHaveLength(4);
    expect(sandbox.dispatcher.pending.find((d) => d.eventId === first.eventId)).toBeUndefined();
    expect(sandbox.dispatcher.stats.dropped).toBe(1);
  });

  it("seeds demo travelers in varied states with weeks of history", async () => {
    const receiver = await startReceiver();
    const sandbox = await startTestSandbox({ webhookUrl: receiver.url, travelers: 50, deliveriesPaused: true });
    cleanup.push(
      () => receiver.close(),
      () => sandbox.close(),
    );
    const travelers = Object.values(sandbox.world.travelers);
    expect(travelers.length).toBe(50);
    const statuses = new Set(travelers.map((t) => t.esim?.status ?? "none"));
    expect(statuses).toEqual(new Set(["none", "RELEASED", "INSTALLED", "ENABLED"]));
    const packageStatuses = new Set(travelers.flatMap((t) => t.packages.map((p) => p.status)));
    expect(packageStatuses).toContain("ACTIVE");
    expect(packageStatuses).toContain("DEPLETED");
    const history = sandbox.dispatcher.pending.map((d) => JSON.parse(d.body) as { timestamp: string; event: string });
    const oldest = Math.min(...history.map((h) => Date.parse(h.timestamp)));
    expect(Date.now() - oldest).toBeGreaterThan(14 * DAY);
    // Every event the console handles (the documented ones and the two changelog ones) occurs in six weeks of demo
    // history.
    expect(new Set(history.map((h) => h.event))).toEqual(new Set(handledEvents));
  });
});
