import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { hubbyHealth } from "@/lib/overview/queries";
import { webhookHealth } from "@/lib/webhooks/queries";

// Delivery delay in both health panels (the inbox's and the overview's): backfilled history, received now but dated
// weeks ago, is counted apart instead of reading as hundreds of hours of lag.
const NOW = new Date("2026-06-15T12:00:00.000Z");
const minutes = (n: number) => new Date(NOW.getTime() + n * 60_000);

let eventNumber = 0;
async function event(receivedAt: Date, eventAt: Date) {
  eventNumber += 1;
  await db().webhookEvent.create({
    data: {
      eventType: "esim.installed",
      receivedAt,
      eventAt,
      dedupeKey: `lag-${eventNumber}`,
      headers: {},
      rawBody: "{}",
      status: "processed",
    },
  });
}

beforeAll(async () => {
  // Live deliveries: 1 and 3 minutes late.
  await event(minutes(-60), minutes(-61));
  await event(minutes(-30), minutes(-33));
  // Backfilled: received within the window, dated 300 and 500 hours before.
  await event(minutes(-20), minutes(-20 - 300 * 60));
  await event(minutes(-10), minutes(-10 - 500 * 60));
});

describe("webhook delivery lag", () => {
  it("the inbox's health panel measures only events dated within the window and counts the backfilled apart", async () => {
    const health = await webhookHealth({ hours: 24, now: NOW });
    expect(health.total).toBe(4);
    expect(health.backfilledExcluded).toBe(2);
    expect(health.lagSeconds.p95).not.toBeNull();
    expect(health.lagSeconds.p95!).toBeLessThanOrEqual(180);
    expect(health.lagSeconds.p50!).toBeGreaterThanOrEqual(60);
  });

  it("the overview's health widget does the same", async () => {
    const health = await hubbyHealth({ now: NOW });
    expect(health.webhooks.total).toBe(4);
    expect(health.webhooks.backfilledExcluded).toBe(2);
    expect(health.webhooks.lagSeconds.p95!).toBeLessThanOrEqual(180);
  });
});
