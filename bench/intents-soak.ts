import crypto from "node:crypto";
import { parseArgs } from "node:util";
import { openBenchDatabase, quietSandboxOptions } from "./support";

/**
 * `npm run bench:intents-soak`: 1,000 bookings through the intent state machine (lib/bookings/intents.ts), 8 at a
 * time and each submitted twice as a double click, while the sandbox drops 10% of replies after committing, times
 * out 8% before committing and answers 500 to 4%, and the POST gives up after 250 ms (so under load real "committed
 * but too slow" replies happen too); unknowns are reconciled with a 1 s quiet period and failures retried. Prints the
 * figures; exits 1 unless every intent ends SENT and no booking exists twice at the sandbox.
 *
 * Options: --issues N (1000), --concurrency N (8), --database URL (PostgreSQL; default in-memory PGlite).
 */

const { values: args } = parseArgs({
  options: {
    issues: { type: "string", default: "1000" },
    concurrency: { type: "string", default: "8" },
    database: { type: "string" },
  },
});
const ISSUES = Number(args.issues);
const CONCURRENCY = Number(args.concurrency);
if (!Number.isInteger(ISSUES) || ISSUES < 1 || !Number.isInteger(CONCURRENCY) || CONCURRENCY < 1) {
  console.error("--issues and --concurrency must be whole numbers ≥ 1.");
  process.exit(1);
}
/** As in production, "not found" only settles FAILED once this long has passed since the send (4× the POST timeout). */
const QUIET_MS = 1_000;
const CREDENTIALS = { apiKey: "pk_bench_soak", apiSecret: "sk_bench_soak_secret_value" };
const destinations = ["GR", "FR", "JP", "US", "EU"];

async function main() {
  const database = await openBenchDatabase(args.database);
  const { createIntent, reconcileIntent, retryIntent, sendIntent } = await import("../lib/bookings/intents");
  const { bookingReference, buildBookingRequest } = await import("../lib/bookings/request");
  const { HubbyClient } = await import("../lib/hubby/client");
  const { startSandbox } = await import("../lib/hubby-sandbox/sandbox");
  const { db } = database;

  // Webhooks are not part of this measure: they go to a port nothing listens on and are dropped after retries.
  const sandbox = await startSandbox(quietSandboxOptions(CREDENTIALS, "whk_bench_soak"));
  const clientWith = (timeoutMs: number) =>
    new HubbyClient({ baseUrl: `${sandbox.url}/api`, ...CREDENTIALS, retryBaseDelayMs: 1, timeoutMs });
  // A short timeout for the POST (so injected timeouts are quick), a patient one for the look-ups.
  const poster = clientWith(250);
  const looker = clientWith(5_000);
  const client = {
    createBooking: poster.createBooking.bind(poster),
    listBookings: looker.listBookings.bind(looker),
    getUserDashboard: looker.getUserDashboard.bind(looker),
  };
  sandbox.faults.add({ kind: "drop_after_commit", method: "POST", path: "/bookings", probability: 0.1 });
  sandbox.faults.add({ kind: "timeout", method: "POST", path: "/bookings", ms: 2_000, probability: 0.08 });
  sandbox.faults.add({ kind: "status", status: 500, method: "POST", path: "/bookings", probability: 0.04 });
  const outcomes = { firstTry: 0, unknown: 0, reconciledSent: 0, retried: 0, lookupErrors: 0 };
  const departure = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);

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
  try {
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
    const bookingsByReference = new Map<string, string[]>();
    for (const booking of sandbox.world.bookings) {
      if (!booking.booking_id) continue;
      bookingsByReference.set(booking.booking_id, [...(bookingsByReference.get(booking.booking_id) ?? []), booking.id]);
    }
    const notSent = intents.filter((intent) => intent.status !== "SENT").length;
    const duplicates = [...bookingsByReference.values()].filter((ids) => ids.length > 1).length;
    const mismatched = intents.filter((intent) => {
      const ids = bookingsByReference.get(intent.reference);
      return ids?.length !== 1 || ids[0] !== intent.hubbyBookingId;
    }).length;

    console.log(
      `[soak] ${database.kind}: ${ISSUES} issues in ${seconds.toFixed(1)} s: ${outcomes.firstTry} SENT at once, ` +
        `${outcomes.unknown} UNKNOWN (${outcomes.reconciledSent} reconciled SENT), ${outcomes.retried} retries after ` +
        `FAILED, ${outcomes.lookupErrors} failed look-ups; ${notSent} not SENT, ${duplicates} duplicate bookings, ` +
        `${mismatched} intents whose booking id is not the sandbox's one booking for them`,
    );
    if (intents.length !== ISSUES || notSent > 0 || duplicates > 0 || mismatched > 0) process.exitCode = 1;
  } finally {
    await sandbox.close();
    await database.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
