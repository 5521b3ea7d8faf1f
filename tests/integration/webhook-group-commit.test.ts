import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { db, getDatabase } from "@/lib/db";
import { resetEnvCache } from "@/lib/env";
import { handledEvents } from "@/lib/webhooks/envelope";
import { ingestWebhook, type IntakeResult } from "@/lib/webhooks/intake";
import { projectLeftBehind, projectionBacklog, settleProjections } from "@/lib/webhooks/projector";
import { sampleEvent } from "@/lib/webhooks/samples";
import { WEBHOOK_KEY } from "../support/webhooks";

// The intake's group commit (docs/decisions/0053-webhook-group-commit.md), on PGlite and on PostgreSQL
// (TEST_DATABASE_URL). Deliveries started together join one batch: ingestWebhook does not wait before it queues,
// so all but the first (the first four on PostgreSQL) of a burst are queued while the first is written. A batch's
// events are stored with a pending mark and projected once the intake is quiet (lib/webhooks/projector.ts,
// docs/decisions/0071); settleProjections writes them at once.

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

/** Every handled event type for a few travelers who share bookings and packages, so rows recur within a batch. */
function events(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, index) =>
    JSON.stringify({
      ...sampleEvent(
        handledEvents[index % handledEvents.length]!,
        {
          externalUserId: `${prefix}_u${index % 3}`,
          bookingId: `${prefix}_b${index % 4}`,
          packageId: `${prefix}_p${index % 5}`,
        },
        new Date(Date.UTC(2026, 6, 1 + (index % 20), 12)),
      ),
      event_id: `${prefix}_evt_${index}`,
    }),
  );
}

/** The projection's rows for one prefix, without ids or the prefix, to compare two ways of storing the same events. */
async function projection(prefix: string) {
  const strip = (value: unknown) =>
    JSON.parse(JSON.stringify(value, (_, v) => (typeof v === "bigint" ? String(v) : v)).replaceAll(prefix, "X"));
  const [travelers, bookings, packages, samples] = await Promise.all([
    db().traveler.findMany({ where: { externalUserId: { startsWith: prefix } }, orderBy: { externalUserId: "asc" } }),
    db().travelerBooking.findMany({
      where: { bookingId: { startsWith: prefix } },
      orderBy: [{ bookingId: "asc" }, { externalUserId: "asc" }],
    }),
    db().travelerPackage.findMany({ where: { packageId: { startsWith: prefix } }, orderBy: { packageId: "asc" } }),
    db().usageSample.findMany({
      where: { packageId: { startsWith: prefix } },
      orderBy: [{ packageId: "asc" }, { percent: "asc" }],
    }),
  ]);
  return strip({ travelers, bookings, packages, samples });
}

/** The statements that stored a batch (a wave of events in one statement, rows unnested), and how each ended. */
function batchStatements(spy: { mock: { calls: unknown[][]; results: { value: unknown }[] } }, marker: string) {
  return spy.mock.calls.flatMap(([text], index) =>
    String(text).includes(marker) ? [spy.mock.results[index]!.value as Promise<unknown>] : [],
  );
}
const EVENT_BATCH = "FROM unnest($1::text[]";
const PROJECTION_BATCH = `DELETE FROM "WebhookProjectionPending" WHERE "eventId" = ANY($1::bigint[])`;

const pendingCount = async () =>
  (await getDatabase().sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "WebhookProjectionPending"`))[0]!.n;

describe("group commit", () => {
  it("stores a burst once per event, counts every resend, and projects what one-at-a-time would", async () => {
    const bodies = events("burst", 40);
    // Ten resends inside the same burst: four of them twice.
    const resends = [0, 1, 2, 3, 5, 8, 13, 0, 1, 2].map((index) => bodies[index]!);
    const batches = vi.spyOn(getDatabase(), "prepared");
    let results: IntakeResult[];
    try {
      results = await Promise.all([...bodies, ...resends].map(deliver));
      await settleProjections();
      // Written in batches, each committed (none fell back to one event at a time), and projected in batches.
      for (const marker of [EVENT_BATCH, PROJECTION_BATCH]) {
        const statements = batchStatements(batches, marker);
        expect(statements.length).toBeGreaterThan(0);
        for (const statement of statements) await expect(statement).resolves.toBeDefined();
      }
    } finally {
      batches.mockRestore();
    }
    expect(results.map((result) => result.status)).toEqual(results.map(() => 200));
    const fresh = results.filter((result) => result.body.duplicate !== true);
    expect(fresh).toHaveLength(40);
    expect(results.filter((result) => result.body.duplicate === true)).toHaveLength(10);
    const rows = await db().webhookEvent.findMany({ where: { eventId: { startsWith: "burst_evt_" } } });
    expect(rows).toHaveLength(40);
    expect(rows.reduce((sum, row) => sum + row.duplicates, 0)).toBe(10);
    expect(rows.find((row) => row.eventId === "burst_evt_0")).toMatchObject({ duplicates: 2 });
    expect(rows.find((row) => row.eventId === "burst_evt_5")).toMatchObject({ duplicates: 1 });
    // Each answer names its event's row; a resend names the row of the first delivery.
    const idOf = new Map(rows.map((row) => [row.eventId, String(row.id)]));
    [...bodies, ...resends].forEach((body, index) => {
      expect(results[index]!.body.id).toBe(idOf.get((JSON.parse(body) as { event_id: string }).event_id));
    });

    expect(projectionBacklog()).toBe(0);
    expect(await pendingCount()).toBe(0);

    // One at a time: each projected in the statement that stores it, nothing left pending.
    for (const body of events("single", 40)) expect((await deliver(body)).status).toBe(200);
    expect(projectionBacklog()).toBe(0);
    expect(await projection("burst")).toEqual(await projection("single"));
    expect((await projection("burst")).travelers).toHaveLength(3);
  });

  it("projects a lone delivery in its own statement while the intake is idle, and with the backlog during a burst", async () => {
    const travelers = (prefix: string) => db().traveler.count({ where: { externalUserId: { startsWith: prefix } } });
    await settleProjections();
    expect((await deliver(events("idle", 1)[0]!)).status).toBe(200);
    expect(projectionBacklog()).toBe(0);
    expect(await travelers("idle")).toBe(1);

    // The burst's projections wait for the intake to be quiet; a delivery arriving meanwhile joins them. Before, it
    // was projected in its own statement, several times the cost of an event written with the others.
    await Promise.all(events("busy", 10).map(deliver));
    const waiting = projectionBacklog();
    expect(waiting).toBeGreaterThan(0);
    expect((await deliver(events("late", 1)[0]!)).status).toBe(200);
    expect(projectionBacklog()).toBe(waiting + 1);
    expect(await travelers("late")).toBe(0);
    await settleProjections();
    expect(await travelers("late")).toBe(1);
    expect(await pendingCount()).toBe(0);
  });

  it("projects from the stored bodies what a crash left pending, and drops pending rows whose event is gone", async () => {
    // The state a crash leaves after a burst was answered: event rows committed, each with its pending row, and the
    // projection not yet written (the projector's memory is gone).
    const bodies = events("orphan", 30);
    expect((await Promise.all(bodies.map(deliver))).map((result) => result.status)).toEqual(bodies.map(() => 200));
    await settleProjections();
    const expected = await projection("orphan");
    const sql = getDatabase().sql;
    await sql.query(`DELETE FROM "UsageSample" WHERE "packageId" LIKE 'orphan%'`);
    await sql.query(`DELETE FROM "TravelerPackage" WHERE "packageId" LIKE 'orphan%'`);
    await sql.query(`DELETE FROM "TravelerBooking" WHERE "bookingId" LIKE 'orphan%'`);
    await sql.query(`DELETE FROM "Traveler" WHERE "externalUserId" LIKE 'orphan%'`);
    await sql.query(
      `INSERT INTO "WebhookProjectionPending" ("eventId", "receivedAt")
       SELECT "id", "receivedAt" FROM "WebhookEvent" WHERE "eventId" LIKE 'orphan_evt_%' AND "status" = 'processed'`,
    );
    await sql.query(`INSERT INTO "WebhookProjectionPending" ("eventId", "receivedAt") VALUES (987654321, now())`);
    expect((await projection("orphan")).travelers).toHaveLength(0);

    // Too recent for the minute's sweep: another instance may still be writing them.
    expect(await projectLeftBehind({ olderThanMs: 60_000 })).toBe(0);
    expect(await pendingCount()).toBe(31);
    // The sweep at start takes them all, in slices.
    expect(await projectLeftBehind({ olderThanMs: 0, limit: 7 })).toBe(30);
    expect(await pendingCount()).toBe(0);
    expect(await projection("orphan")).toEqual(expected);
  });

  it("answers each delivery only once its event is committed", async () => {
    const seen = await Promise.all(
      events("acked", 24).map(async (body) => {
        const result = await deliver(body);
        // Read through another connection (Prisma's) the moment the answer arrives.
        const row = await db().webhookEvent.findFirst({ where: { dedupeKey: `id:${JSON.parse(body).event_id}` } });
        return { status: result.status, stored: row !== null };
      }),
    );
    expect(seen).toEqual(seen.map(() => ({ status: 200, stored: true })));
  });

  it("projects the others when one event's projection is refused by the database, and keeps that one as failed", async () => {
    const bodies = events("poison", 12);
    const usage = sampleEvent("package.usage.50_percent", {
      externalUserId: "poison_bad",
      bookingId: "poison_bk",
      packageId: "poison_pkg",
    });
    const poisoned = JSON.stringify({
      ...usage,
      event_id: "poison_bad_evt",
      data: { ...usage.data, duration_days: 1e20 },
    });
    const batches = vi.spyOn(getDatabase(), "prepared");
    let results: IntakeResult[];
    try {
      results = await Promise.all([...bodies.slice(0, 6), poisoned, ...bodies.slice(6)].map(deliver));
      await settleProjections();
      // The projection statement holding the poisoned event wrote nothing; its events were then projected one by
      // one, and the poisoned one's own statement was refused too. Every event row was stored by its batch.
      const outcomes = await Promise.allSettled(batchStatements(batches, PROJECTION_BATCH));
      const refused = expect.objectContaining({
        reason: expect.objectContaining({ message: expect.stringMatching(/integer/) }),
      });
      expect(outcomes.filter((outcome) => outcome.status === "rejected")).toEqual([refused, refused]);
      const stored = await Promise.allSettled(batchStatements(batches, EVENT_BATCH));
      expect(stored.length).toBeGreaterThan(0);
      expect(stored.filter((outcome) => outcome.status === "rejected")).toEqual([]);
    } finally {
      batches.mockRestore();
    }
    expect(results.map((result) => result.status)).toEqual(results.map(() => 200));
    const bad = await db().webhookEvent.findFirstOrThrow({ where: { dedupeKey: "id:poison_bad_evt" } });
    expect(bad).toMatchObject({ status: "failed" });
    expect(bad.error).toMatch(/^Processing failed: .*integer/);
    expect(await db().travelerPackage.count({ where: { packageId: "poison_pkg" } })).toBe(0);
    expect(
      await db().webhookEvent.count({ where: { eventId: { startsWith: "poison_evt_" }, status: "processed" } }),
    ).toBe(12);
    expect(await db().traveler.count({ where: { externalUserId: { startsWith: "poison_u" } } })).toBe(3);
    expect(await pendingCount()).toBe(0);
  });

  it("answers 503 to every delivery of a batch when the database cannot be reached, and stores none", async () => {
    const database = getDatabase();
    const down = () => Promise.reject(new Error("connect ECONNREFUSED"));
    const spies = [
      vi.spyOn(database, "prepared").mockImplementation(down),
      vi.spyOn(db().webhookEvent, "findUnique").mockImplementation(down as never),
    ];
    const error = vi.spyOn(console, "error").mockImplementation(() => undefined);
    let results: IntakeResult[];
    try {
      results = await Promise.all(events("down", 8).map(deliver));
    } finally {
      for (const spy of spies) spy.mockRestore();
      error.mockRestore();
    }
    expect(results.map((result) => result.status)).toEqual(results.map(() => 503));
    expect(await db().webhookEvent.count({ where: { eventId: { startsWith: "down_evt_" } } })).toBe(0);
  });
});
