import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { parseWebhookBody } from "@/lib/webhooks/envelope";
import { POST } from "@/app/api/webhooks/hubby/route";
import { resetEnvCache } from "@/lib/env";
import { applyEvent } from "@/lib/webhooks/intake";
import { WEBHOOK_KEY, webhookRequest } from "../support/webhooks";

// Applying any set of events, in any order, any number of times, gives the same projected state.
const users = ["u_a", "u_b"];
const packages = ["pkg_1", "pkg_2", "pkg_3"];
const GB = 1073741824;

const at = (minute: number) => new Date(Date.UTC(2026, 6, 15, 12, minute)).toISOString();

const eventArbitrary = fc.oneof(
  fc
    .record({
      user: fc.constantFrom(...users),
      minute: fc.integer({ min: 0, max: 30 }),
      installed: fc.boolean(),
      iccid: fc.constantFrom("8901", "8902"),
    })
    .map((e) => ({
      event: e.installed ? "esim.installed" : "esim.removed",
      timestamp: at(e.minute),
      data: { external_user_id: e.user, booking_id: "b1", iccid: e.iccid },
    })),
  fc
    .record({
      user: fc.constantFrom(...users),
      pkg: fc.constantFrom(...packages),
      percent: fc.constantFrom(20, 50, 80),
      minute: fc.integer({ min: 0, max: 30 }),
    })
    .map((e) => ({
      event: `package.usage.${e.percent}_percent`,
      timestamp: at(e.minute),
      data: {
        external_user_id: e.user,
        booking_id: "b1",
        package_id: e.pkg,
        destination: "GR",
        size: "1GB",
        package_type: "data-limited",
        used_bytes: Math.round((e.percent / 100) * GB),
        remaining_bytes: GB - Math.round((e.percent / 100) * GB),
        duration_days: 365,
        usage_percent: e.percent,
      },
    })),
  fc
    .record({
      user: fc.constantFrom(...users),
      pkg: fc.constantFrom(...packages),
      minute: fc.integer({ min: 0, max: 30 }),
    })
    .map((e) => ({
      event: "package.activated",
      timestamp: at(e.minute),
      data: {
        external_user_id: e.user,
        booking_id: "b1",
        package_id: e.pkg,
        destination: "GR",
        size: "1GB",
        activated_at: at(e.minute),
        expires_at: at(e.minute + 60),
      },
    })),
  fc
    .record({
      user: fc.constantFrom(...users),
      cutoff: fc.boolean(),
      minute: fc.integer({ min: 0, max: 30 }),
      installed: fc.boolean(),
    })
    .map((e) => ({
      event: e.cutoff ? "booking.within_cutoff" : "booking.about_to_depart",
      timestamp: at(e.minute),
      data: {
        external_user_id: e.user,
        booking_id: "b1",
        departure_date: "2026-07-20T10:00:00Z",
        days_until_departure: 5,
        hours_until_departure: 2,
        esim_installed: e.installed,
      },
    })),
  // Redemptions of a few codes, envelope or legacy flat form, from different bookings and times.
  fc
    .record({
      code: fc.constantFrom("CODE1", "CODE2"),
      booking: fc.constantFrom("b1", "b2"),
      minute: fc.integer({ min: 0, max: 30 }),
      legacy: fc.boolean(),
    })
    .map((e) =>
      e.legacy
        ? { promocode: e.code, booking_id: e.booking, redeemed_at: at(e.minute) }
        : {
            event: "promo_code.redeemed",
            timestamp: at(e.minute),
            data: { promocode: e.code, booking_id: e.booking, redeemed_at: at(e.minute) },
          },
    ),
);

process.env.HUBBY_WEBHOOK_API_KEY = WEBHOOK_KEY;
resetEnvCache();

const tables = [
  "Traveler",
  "TravelerBooking",
  "TravelerPackage",
  "UsageSample",
  "PromoRedemption",
  "PromoCode",
] as const;

async function snapshot() {
  const state: Record<string, unknown> = {};
  for (const table of tables) {
    state[table] = await db().$queryRawUnsafe(`SELECT * FROM "${table}" ORDER BY 1, 2`);
  }
  return JSON.parse(JSON.stringify(state, (_, value) => (typeof value === "bigint" ? value.toString() : value)));
}

/** Half the time through the real route (one statement per event), otherwise through the replay path. */
async function applyAll(events: object[], viaRoute: boolean) {
  // CASCADE: forwarding's messages reference the events (none are made here: no endpoint exists).
  await db().$executeRawUnsafe(`TRUNCATE "WebhookEvent", ${tables.map((t) => `"${t}"`).join(", ")} CASCADE`);
  const receivedAt = new Date("2026-07-15T13:00:00Z");
  for (const event of events) {
    if (viaRoute) {
      const response = await POST(webhookRequest(JSON.stringify(event)));
      if (response.status !== 200) throw new Error(`route answered ${response.status}`);
      continue;
    }
    const parsed = parseWebhookBody(JSON.stringify(event), null);
    if (!parsed.ok) throw new Error(parsed.error);
    await db().$transaction((tx) => applyEvent(tx, parsed.event, receivedAt));
  }
  return snapshot();
}

describe("webhook projection", () => {
  it("is order-independent and idempotent", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(eventArbitrary, { minLength: 1, maxLength: 12 }),
        fc.func(fc.integer()),
        fc.array(fc.nat(), { maxLength: 4 }),
        fc.boolean(),
        async (events, order, repeats, viaRoute) => {
          const expected = await applyAll(events, false);
          const shuffled = [...events].sort((a, b) => order(a) - order(b) || 0);
          const withDuplicates = [...shuffled, ...repeats.map((index) => events[index % events.length]!)];
          expect(await applyAll(withDuplicates, viaRoute)).toEqual(expected);
        },
      ),
      { numRuns: 40 },
    );
    // 40 runs of up to 16 transactions each: ~3 s on a quiet machine, ten times that on a loaded one.
  }, 120_000);

  it("keeps the highest usage and the newest eSIM state", async () => {
    const state = await applyAll(
      [
        {
          event: "package.usage.80_percent",
          timestamp: at(10),
          data: { external_user_id: "u", package_id: "p", used_bytes: 800, remaining_bytes: 200 },
        },
        {
          event: "package.usage.20_percent",
          timestamp: at(20),
          data: { external_user_id: "u", package_id: "p", used_bytes: 200, remaining_bytes: 800 },
        },
        { event: "esim.removed", timestamp: at(15), data: { external_user_id: "u", iccid: "1" } },
        { event: "esim.installed", timestamp: at(5), data: { external_user_id: "u", iccid: "1" } },
      ],
      true,
    );
    expect(state.TravelerPackage[0]).toMatchObject({ usagePercent: 80, usedBytes: "800", remainingBytes: "200" });
    expect(state.Traveler[0]).toMatchObject({ esimState: "removed", lastEventType: "package.usage.20_percent" });
    expect(state.UsageSample).toHaveLength(2);
  });
});
