import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { db, getDatabase } from "@/lib/db";
import { resetEnvCache } from "@/lib/env";
import { dedupeKeyFor } from "@/lib/webhooks/envelope";
import { ingestWebhook } from "@/lib/webhooks/intake";
import { settleProjections } from "@/lib/webhooks/projector";
import { sampleEvent } from "@/lib/webhooks/samples";
import { WEBHOOK_KEY } from "../support/webhooks";

// The intake runs a statement PostgreSQL aborted as a deadlock again (docs/decisions/0053-webhook-group-commit.md)
// instead of keeping its events as failed. Each test builds a real deadlock between the intake and a session of its
// own: the session locks a row, waits (polling pg_stat_activity, no sleeps) until the intake's statement waits on
// it, then asks for a row the intake's statement already holds. The session's deadlock_timeout is 10 s, the
// intake's the default 1 s, so PostgreSQL's deadlock check runs in the intake's backend and aborts its statement.
// PostgreSQL only: PGlite runs one statement at a time and never deadlocks.

beforeAll(() => {
  process.env.HUBBY_WEBHOOK_API_KEY = WEBHOOK_KEY;
  resetEnvCache();
});
afterAll(() => {
  delete process.env.HUBBY_WEBHOOK_API_KEY;
  resetEnvCache();
});

const headers = { get: (name: string) => (name === "x-api-key" ? WEBHOOK_KEY : null) };
const deliver = (body: string) => ingestWebhook(headers, Buffer.from(body, "utf8"), "127.0.0.1");

let day = 0;
/** An esim.installed event for the traveler (with a booking of its own), a day later than the previous one. */
function eventFor(externalUserId: string, eventId: string): string {
  day += 1;
  return JSON.stringify({
    ...sampleEvent(
      "esim.installed",
      { externalUserId, bookingId: `${eventId}_booking`, packageId: `${eventId}_package` },
      new Date(Date.UTC(2026, 6, 1, day)),
    ),
    event_id: eventId,
  });
}

/** A session of the test's own on the test database, with a deadlock check slower than the intake's. */
async function lockingSession(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  await client.query("SET deadlock_timeout = '10s'");
  await client.query("BEGIN");
  return client;
}

/** Waits until another backend waits for a lock this session holds. */
async function waitsOn(session: pg.Client): Promise<void> {
  await expect
    .poll(
      async () => {
        const { rows } = await session.query<{ waiting: number }>(
          `SELECT count(*)::int AS waiting FROM pg_stat_activity
           WHERE pid <> pg_backend_pid() AND pg_backend_pid() = ANY (pg_blocking_pids(pid))`,
        );
        return rows[0]!.waiting;
      },
      { timeout: 20_000, interval: 20 },
    )
    .toBeGreaterThan(0);
}

async function storedEvent(eventId: string) {
  return db().webhookEvent.findFirstOrThrow({ where: { eventId }, select: { status: true, error: true } });
}

/** How the projector's statements are told apart from the intake's. */
const PROJECTION_STATEMENT = `DELETE FROM "WebhookProjectionPending" WHERE "eventId" = ANY($1::bigint[])`;

describe("webhook intake under deadlock", () => {
  let session: pg.Client | undefined;
  afterEach(async () => {
    await session?.end().catch(() => undefined);
    session = undefined;
    vi.restoreAllMocks();
  });

  it("runs a lone delivery's statement again after PostgreSQL aborts it as a deadlock", async (context) => {
    if (getDatabase().kind !== "postgres") context.skip();
    expect((await deliver(eventFor("deadlock_single", "deadlock_single_seed"))).status).toBe(200);

    const warnings = vi.spyOn(console, "warn");
    session = await lockingSession();
    await session.query(`SELECT 1 FROM "Traveler" WHERE "externalUserId" = 'deadlock_single' FOR UPDATE`);
    const body = eventFor("deadlock_single", "deadlock_single_evt");
    // A lone delivery takes the single-event statement: it claims the event's dedupeKey first (the projection's
    // upserts read `ins`), then waits on the traveler the session holds.
    const answer = deliver(body);
    await waitsOn(session);
    // The session now waits on the intake's uncommitted claim: a cycle, which the intake's backend detects.
    await session.query(
      `INSERT INTO "WebhookDedupe" ("dedupeKey", "eventId", "receivedAt")
       SELECT $1, "id", "receivedAt" FROM "WebhookEvent" ORDER BY "id" LIMIT 1
       ON CONFLICT ("dedupeKey") DO NOTHING`,
      [dedupeKeyFor("deadlock_single_evt", body)],
    );
    // Rolling back frees the claim and the traveler; the retry, waiting on them, then stores the event.
    await session.query("ROLLBACK");

    const result = await answer;
    expect(result).toMatchObject({ status: 200, body: { received: true, status: "processed" } });
    expect(await storedEvent("deadlock_single_evt")).toEqual({ status: "processed", error: null });
    const traveler = await db().traveler.findUniqueOrThrow({ where: { externalUserId: "deadlock_single" } });
    expect(traveler.lastEventAt?.toISOString()).toBe(new Date(Date.UTC(2026, 6, 1, day)).toISOString());
    expect(warnings.mock.calls.map(([message]) => String(message))).toContainEqual(
      expect.stringMatching(/event statement stored after 1 retries on a lock conflict/),
    );
  });

  it("runs a deferred projection's statement again after PostgreSQL aborts it as a deadlock", async (context) => {
    if (getDatabase().kind !== "postgres") context.skip();
    for (const traveler of ["deadlock_wave_a", "deadlock_wave_b"]) {
      expect((await deliver(eventFor(traveler, `${traveler}_seed`))).status).toBe(200);
    }

    const warnings = vi.spyOn(console, "warn");
    const statements = vi.spyOn(getDatabase(), "prepared");
    session = await lockingSession();
    await session.query(`SELECT 1 FROM "Traveler" WHERE "externalUserId" = 'deadlock_wave_b' FOR UPDATE`);
    // Delivered together, the two are stored as one batch and answered at once (the batch writes no projection);
    // their projection is written after, by one statement whose Traveler upsert takes deadlock_wave_a and then
    // waits on deadlock_wave_b (rows in the order of the conflict key).
    const bodies = [
      eventFor("deadlock_wave_a", "deadlock_wave_a_evt"),
      eventFor("deadlock_wave_b", "deadlock_wave_b_evt"),
    ];
    const results = await Promise.all(bodies.map(deliver));
    for (const result of results) {
      expect(result).toMatchObject({ status: 200, body: { received: true, status: "processed" } });
    }
    await waitsOn(session);
    // The session now waits on deadlock_wave_a, which the projector's statement holds: a cycle.
    await session.query(`SELECT 1 FROM "Traveler" WHERE "externalUserId" = 'deadlock_wave_a' FOR UPDATE`);
    await session.query("COMMIT");
    await settleProjections();

    for (const eventId of ["deadlock_wave_a_evt", "deadlock_wave_b_evt"]) {
      expect(await storedEvent(eventId)).toEqual({ status: "processed", error: null });
    }
    // Each traveler's last event is the one the projector wrote.
    for (const traveler of ["deadlock_wave_a", "deadlock_wave_b"]) {
      const row = await db().traveler.findUniqueOrThrow({ where: { externalUserId: traveler } });
      const event = await db().webhookEvent.findFirstOrThrow({ where: { eventId: `${traveler}_evt` } });
      expect(row.lastEventAt?.toISOString()).toBe(event.eventAt?.toISOString());
    }
    // The projector's own statement wrote them on its second run; neither was written one by one.
    const ids = results.map((result) => String(result.body.id));
    const projectionRuns = statements.mock.calls.filter(
      ([text, values]) =>
        text.includes(PROJECTION_STATEMENT) && ids.every((id) => (values[0] as string[]).includes(id)),
    );
    expect(projectionRuns).toHaveLength(2);
    expect(warnings.mock.calls.map(([message]) => String(message))).toContainEqual(
      expect.stringMatching(/projection statement \(2 events\) stored after 1 retries on a lock conflict/),
    );
  });
});
