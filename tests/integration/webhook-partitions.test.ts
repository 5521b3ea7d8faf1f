import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { db, getDatabase } from "@/lib/db";
import { resetEnvCache } from "@/lib/env";
import { fanOut } from "@/lib/forwarding/delivery";
import { ingestWebhook } from "@/lib/webhooks/intake";
import {
  DEFAULT_PARTITION,
  dropWebhookMonth,
  ensureWebhookPartitions,
  listWebhookPartitions,
} from "@/lib/webhooks/partitions";
import { sampleEvent } from "@/lib/webhooks/samples";
import { findStoredEvent } from "@/lib/webhooks/stored";
import { WEBHOOK_KEY } from "../support/webhooks";

// WebhookEvent partitioned by month, deduplicated through WebhookDedupe, each body stored once
// (docs/decisions/0063-webhook-storage.md), on PGlite and on PostgreSQL (TEST_DATABASE_URL). The intake stamps
// receivedAt with the clock, so each test sets the clock (Date only) to the month it needs, years ahead of the
// months the migration created.

beforeAll(() => {
  process.env.HUBBY_WEBHOOK_API_KEY = WEBHOOK_KEY;
  resetEnvCache();
});
afterAll(() => {
  delete process.env.HUBBY_WEBHOOK_API_KEY;
  resetEnvCache();
});
afterEach(() => {
  vi.useRealTimers();
});

const headers = { get: (name: string) => (name === "x-api-key" ? WEBHOOK_KEY : null) };

async function deliverAt(at: string, body: string | Buffer) {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date(at));
  try {
    return await ingestWebhook(headers, typeof body === "string" ? Buffer.from(body, "utf8") : body, "127.0.0.1");
  } finally {
    vi.useRealTimers();
  }
}

function event(eventId: string, externalUserId = `${eventId}_user`) {
  return JSON.stringify({
    ...sampleEvent(
      "esim.installed",
      { externalUserId, bookingId: `${eventId}_b`, packageId: `${eventId}_p` },
      new Date("2026-07-01T12:00:00Z"),
    ),
    event_id: eventId,
  });
}

/** The partition a stored event sits in. */
async function partitionOf(id: unknown): Promise<string | undefined> {
  const rows = await getDatabase().sql.query<{ partition: string }>(
    `SELECT tableoid::regclass::text AS partition FROM "WebhookEvent" WHERE id = $1::bigint`,
    [String(id)],
  );
  return rows[0]?.partition.replaceAll('"', "");
}

const count = async (sql: string, params: unknown[] = []) =>
  (await getDatabase().sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, params))[0]!.n;

describe("monthly partitions", () => {
  it("creates the missing months ahead, once, and stores each event in its month's partition", async () => {
    expect(await ensureWebhookPartitions(new Date("2031-03-10T08:00:00Z"), 1)).toEqual([
      "WebhookEvent_p2031_03",
      "WebhookEvent_p2031_04",
    ]);
    expect(await ensureWebhookPartitions(new Date("2031-03-31T23:59:59Z"), 1)).toEqual([]);
    const listed = await listWebhookPartitions();
    expect(listed.find((partition) => partition.name === "WebhookEvent_p2031_03")).toEqual({
      name: "WebhookEvent_p2031_03",
      monthStart: new Date("2031-03-01T00:00:00Z"),
      monthEnd: new Date("2031-04-01T00:00:00Z"),
      rowEstimate: expect.any(Number),
    });
    expect(listed.map((partition) => partition.name)).not.toContain(DEFAULT_PARTITION);

    const march = await deliverAt("2031-03-31T23:59:59.999Z", event("evt_part_march"));
    const april = await deliverAt("2031-04-01T00:00:00.000Z", event("evt_part_april"));
    expect(march.body).toMatchObject({ received: true, status: "processed" });
    expect(await partitionOf(march.body.id)).toBe("WebhookEvent_p2031_03");
    expect(await partitionOf(april.body.id)).toBe("WebhookEvent_p2031_04");
  });

  it("takes over the rows of a month that landed in the default partition, keeping ids and references", async () => {
    // An endpoint is enabled first: the events stored while one is get forwarding messages.
    const endpoint = await db().forwardEndpoint.create({
      data: { url: "http://127.0.0.1:9/partitions", secret: "whsec_partitions" },
    });
    const early = await deliverAt("2032-06-10T10:00:00Z", event("evt_default_1"));
    const later = await deliverAt("2032-06-20T10:00:00Z", event("evt_default_2"));
    const other = await deliverAt("2032-08-05T10:00:00Z", event("evt_default_other"));
    expect(await partitionOf(early.body.id)).toBe(DEFAULT_PARTITION);
    await fanOut(1000);
    const messagesBefore = await count(`"ForwardMessage" WHERE "endpointId" = $1`, [endpoint.id]);
    expect(messagesBefore).toBeGreaterThanOrEqual(3);

    expect(await ensureWebhookPartitions(new Date("2032-06-01T00:00:00Z"), 0)).toEqual(["WebhookEvent_p2032_06"]);
    expect(await partitionOf(early.body.id)).toBe("WebhookEvent_p2032_06");
    expect(await partitionOf(later.body.id)).toBe("WebhookEvent_p2032_06");
    expect(await partitionOf(other.body.id)).toBe(DEFAULT_PARTITION);
    expect(await count(`"ForwardMessage" WHERE "endpointId" = $1`, [endpoint.id])).toBe(messagesBefore);
    // The references are back: a message for a missing event is refused again.
    await expect(
      getDatabase().sql.query(
        `INSERT INTO "ForwardMessage" ("endpointId", "eventId", "eventReceivedAt", "webhookId", "eventType", "receivedAt")
         VALUES ($1, 999999999, now(), 'msg_orphan', 'esim.installed', now())`,
        [endpoint.id],
      ),
    ).rejects.toThrow(/foreign key/);

    // The moved event is still the one its key points at: a resend is counted on it.
    const resend = await deliverAt("2032-07-01T09:00:00Z", event("evt_default_1"));
    expect(resend.body).toMatchObject({ duplicate: true, id: early.body.id });
    expect(await db().webhookEvent.findFirst({ where: { id: BigInt(String(early.body.id)) } })).toMatchObject({
      duplicates: 1,
    });
    await db().forwardEndpoint.delete({ where: { id: endpoint.id } });
  });

  it("drops exactly one month, with its forwarding messages and dedupe rows", async () => {
    await ensureWebhookPartitions(new Date("2033-01-01T00:00:00Z"), 1);
    const endpoint = await db().forwardEndpoint.create({
      data: { url: "http://127.0.0.1:9/drop", secret: "whsec_drop" },
    });
    const january = [
      await deliverAt("2033-01-05T10:00:00Z", event("evt_drop_jan_1")),
      await deliverAt("2033-01-31T23:59:59Z", event("evt_drop_jan_2")),
    ];
    const february = await deliverAt("2033-02-01T00:00:00Z", event("evt_drop_feb"));
    await fanOut(1000);
    const eventsBefore = await count(`"WebhookEvent"`);
    const messagesOf = (ids: unknown[]) =>
      count(`"ForwardMessage" WHERE "eventId" = ANY($1::bigint[])`, [ids.map(String)]);
    expect(await messagesOf(january.map((result) => result.body.id))).toBe(2);
    expect(await messagesOf([february.body.id])).toBe(1);

    await expect(dropWebhookMonth(new Date("2033-01-15T00:00:00Z"))).rejects.toThrow(/first instant of a UTC month/);
    expect(await dropWebhookMonth(new Date("2033-01-01T00:00:00Z"))).toEqual({
      name: "WebhookEvent_p2033_01",
      dropped: true,
      events: 2,
      forwardMessages: 2,
    });
    expect((await listWebhookPartitions()).map((partition) => partition.name)).not.toContain("WebhookEvent_p2033_01");
    expect(await count(`"WebhookEvent"`)).toBe(eventsBefore - 2);
    expect(await messagesOf(january.map((result) => result.body.id))).toBe(0);
    expect(await count(`"WebhookDedupe" WHERE "dedupeKey" LIKE 'id:evt_drop_jan_%'`)).toBe(0);
    expect(await partitionOf(february.body.id)).toBe("WebhookEvent_p2033_02");
    expect(await messagesOf([february.body.id])).toBe(1);
    expect(await count(`"WebhookDedupe" WHERE "dedupeKey" = 'id:evt_drop_feb'`)).toBe(1);
    // A month that is not there drops nothing.
    expect(await dropWebhookMonth(new Date("2033-01-01T00:00:00Z"))).toMatchObject({ dropped: false, events: 0 });
    await db().forwardEndpoint.delete({ where: { id: endpoint.id } });
  });

  it("deduplicates across months: a resend in the next month is counted on the first delivery", async () => {
    await ensureWebhookPartitions(new Date("2034-01-01T00:00:00Z"), 1);
    const first = await deliverAt("2034-01-31T23:59:00Z", event("evt_across_months"));
    const again = await deliverAt("2034-02-01T00:01:00Z", event("evt_across_months"));
    // Concurrent resends in the same later month: still one row.
    const burst = await Promise.all(
      Array.from({ length: 6 }, () => deliverAt("2034-02-02T00:00:00Z", event("evt_across_months"))),
    );
    expect(again.body).toMatchObject({ received: true, duplicate: true, id: first.body.id });
    for (const result of burst) expect(result.body).toMatchObject({ duplicate: true, id: first.body.id });
    expect(await count(`"WebhookEvent" WHERE "dedupeKey" = 'id:evt_across_months'`)).toBe(1);
    expect(await partitionOf(first.body.id)).toBe("WebhookEvent_p2034_01");
    expect(await db().webhookEvent.findFirst({ where: { dedupeKey: "id:evt_across_months" } })).toMatchObject({
      duplicates: 7,
    });
  });
});

describe("each body stored once, read back byte for byte", () => {
  const stored = async (body: Buffer) => {
    const result = await ingestWebhook(headers, body, "127.0.0.1");
    const row = await findStoredEvent(BigInt(String(result.body.id)));
    const [columns] = await getDatabase().sql.query<{ json: boolean; text: boolean; bytes: boolean }>(
      `SELECT "body" IS NOT NULL AS json, "rawBody" IS NOT NULL AS text, "rawBytes" IS NOT NULL AS bytes
         FROM "WebhookEvent" WHERE id = $1::bigint`,
      [String(result.body.id)],
    );
    const bytes = row!.rawBytes ? Buffer.from(row!.rawBytes) : Buffer.from(row!.rawBody, "utf8");
    return { bytes, columns };
  };

  it("keeps JSON verbatim in the json column: spacing, key order, repeated keys, escapes and long numbers", async () => {
    const body = Buffer.from(
      `{ "event_id" : "evt_verbatim",\n\t"event":"esim.installed", "timestamp": "2026-07-01T12:00:00Z",` +
        ` "data": {"external_user_id": "verbatim_user", "iccid": "8901234567890123456", "z": 1, "a": 2, "a": 3,` +
        ` "note": "caf\\u00e9 \\ud83d\\ude00 é", "big": 123456789012345678901234567890.50000}}  \n`,
      "utf8",
    );
    const { bytes, columns } = await stored(body);
    expect(columns).toEqual({ json: true, text: false, bytes: false });
    expect(bytes.equals(body)).toBe(true);
  });

  it("keeps a text body that is not JSON as text, and bytes that are not UTF-8 exactly", async () => {
    const text = Buffer.from("event=esim.installed&user=form encoded ünïcode", "utf8");
    const notUtf8 = Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x00, 0x22, 0x7d]);
    expect(await stored(text)).toEqual({ bytes: text, columns: { json: false, text: true, bytes: false } });
    expect(await stored(notUtf8)).toEqual({ bytes: notUtf8, columns: { json: false, text: true, bytes: true } });
  });
});
