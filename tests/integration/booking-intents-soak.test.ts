import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIntent, reconcileIntent, retryIntent, sendIntent } from "@/lib/bookings/intents";
import { bookingReference, buildBookingRequest } from "@/lib/bookings/request";
import { db } from "@/lib/db";
import type { Sandbox } from "@/lib/hubby-sandbox/sandbox";
import { clientFor, startReceiver, startTestSandbox } from "../support/sandbox";

// 1,000 bookings through the intent state machine while the sandbox drops replies after committing, times out
// before committing and answers 500 at random: every booking ends SENT, and none exists twice at the sandbox.
const ISSUES = 1_000;
const CONCURRENCY = 8;
/** As in production, "not found" only settles FAILED once this long has passed since the send (4× the POST timeout). */
const QUIET_MS = 1_000;

let sandbox: Sandbox;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

beforeAll(async () => {
  receiver = await startReceiver();
  sandbox = await startTestSandbox({ webhookUrl: receiver.url });
});
afterAll(async () => {
  await sandbox.close();
  await receiver.close();
});

const departure = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
const destinations = ["GR", "FR", "JP", "US", "EU"];

describe("1,000 issues under injected faults", () => {
  it("ends with every intent SENT and 0 duplicate bookings at the sandbox", { timeout: 600_000 }, async () => {
    // A short timeout for the POST (so injected timeouts are quick), a patient one for the look-ups.
    const poster = clientFor(sandbox, { timeoutMs: 250 }).client;
    const looker = clientFor(sandbox, { timeoutMs: 5_000 }).client;
    const client = {
      createBooking: poster.createBooking.bind(poster),
      listBookings: looker.listBookings.bind(looker),
      getUserDashboard: looker.getUserDashboard.bind(looker),
    };
    sandbox.faults.add({ kind: "drop_after_commit", method: "POST", path: "/bookings", probability: 0.1 });
    sandbox.faults.add({ kind: "timeout", method: "POST", path: "/bookings", ms: 2_000, probability: 0.08 });
    sandbox.faults.add({ kind: "status", status: 500, method: "POST", path: "/bookings", probability: 0.04 });
    const outcomes = { firstTry: 0, unknown: 0, reconciledSent: 0, retried: 0, lookupErrors: 0 };

    async function issue(index: number) {
      const clientKey = crypto.randomUUID();
      const destination = destinations[index % destinations.length]!;
      const { intent } = await createIntent({
        clientKey,
        kind: "issue",
        request: buildBookingRequest(
          {
            travelers: [`soak_${index % 200}`],
            specs: [{ destinations: [destination], packageType: "data-limited", size: "1GB" }],
            departureDate: departure,
            departureTime: "",
            timeZone: "UTC",
            locale: "",
            customBranding: undefined,
          },
          bookingReference(clientKey),
        ),
        destinations: [destination],
        actor: null,
      });
      // Every submit is made twice, as a double click would.
      await Promise.all([sendIntent(intent.id, client, null), sendIntent(intent.id, client, null)]);
      let status = (await db().bookingIntent.findUniqueOrThrow({ where: { id: intent.id } })).status;
      if (status === "SENT") outcomes.firstTry++;
      if (status === "UNKNOWN") outcomes.unknown++;
      for (let round = 0; status !== "SENT" && round < 100; round++) {
        try {
          if (status === "UNKNOWN") {
            status = (await reconcileIntent(intent.id, client, null, { quietMs: QUIET_MS })).status;
            if (status === "SENT") outcomes.reconciledSent++;
            // Not found yet, inside the quiet period: a slow POST may still commit, so wait before asking again.
            if (status === "UNKNOWN") await new Promise((resolve) => setTimeout(resolve, 250));
          } else if (status === "FAILED") {
            outcomes.retried++;
            status = (await retryIntent(intent.id, client, null, { quietMs: QUIET_MS })).status;
          }
        } catch {
          // A look-up that timed out too settles nothing: the intent keeps its status and is checked again.
          outcomes.lookupErrors++;
          status = (await db().bookingIntent.findUniqueOrThrow({ where: { id: intent.id } })).status;
        }
      }
    }

    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < ISSUES) await issue(next++);
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    sandbox.faults.clear();

    const intents = await db().bookingIntent.findMany({
      select: { reference: true, status: true, hubbyBookingId: true },
    });
    expect(intents).toHaveLength(ISSUES);
    expect(intents.filter((intent) => intent.status !== "SENT")).toEqual([]);

    const byReference = new Map<string, string[]>();
    for (const booking of sandbox.world.bookings) {
      if (!booking.booking_id) continue;
      byReference.set(booking.booking_id, [...(byReference.get(booking.booking_id) ?? []), booking.id]);
    }
    const duplicates = [...byReference.values()].filter((ids) => ids.length > 1);
    expect(duplicates).toEqual([]);
    expect(byReference.size).toBe(ISSUES);
    for (const intent of intents) expect(byReference.get(intent.reference)).toEqual([intent.hubbyBookingId]);

    console.log(
      `[soak] ${ISSUES} issues in ${seconds.toFixed(1)} s: ${outcomes.firstTry} SENT at once, ${outcomes.unknown} UNKNOWN ` +
        `(${outcomes.reconciledSent} reconciled SENT), ${outcomes.retried} retries after FAILED, ` +
        `${outcomes.lookupErrors} failed look-ups, 0 duplicate bookings`,
    );
  });
});
