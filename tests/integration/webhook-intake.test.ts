import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { POST } from "@/app/api/webhooks/hubby/route";
import { db, getDatabase } from "@/lib/db";
import { resetEnvCache } from "@/lib/env";
import { webhookHealth } from "@/lib/webhooks/queries";
import { MAX_REFUSAL_SOURCES_PER_MINUTE, REFUSAL_RETENTION_HOURS } from "@/lib/audit/refusals";
import {
  SIGNING_SECRET,
  WEBHOOK_KEY,
  envelope,
  sign,
  nodeReceiverPerFile,
  webhookRequest,
  type Delivery,
} from "../support/webhooks";

// The Standard Webhooks receiver test table, over HTTP against the production receiver (the node:http handler
// scripts/server.ts serves ahead of Next.js) and the real database.
const installed = (id: string) =>
  envelope("esim.installed", { external_user_id: id, booking_id: "booking_abc", iccid: "8901234567890123456" });

function setSigning(on: boolean) {
  if (on) process.env.HUBBY_WEBHOOK_SIGNING_SECRET = SIGNING_SECRET;
  else delete process.env.HUBBY_WEBHOOK_SIGNING_SECRET;
  resetEnvCache();
}

const harness = nodeReceiverPerFile();
afterAll(() => setSigning(false));
beforeEach(() => setSigning(false));

function send(body: string | Uint8Array[], headers: Record<string, string> = {}): Promise<Delivery> {
  return harness.receiver.deliver(body, headers);
}

const authFailures = async () =>
  (await db().refusalCount.aggregate({ where: { kind: "webhook" }, _sum: { count: true } }))._sum.count ?? 0;
const events = () => db().webhookEvent.count();

describe("authentication", () => {
  it("accepts the configured key and stores the event before answering", async () => {
    const result = await send(installed("auth_ok"));
    expect(result.status).toBe(200);
    const row = await db().webhookEvent.findFirst({ where: { externalUserId: "auth_ok" } });
    expect(row).toMatchObject({ eventType: "esim.installed", status: "processed", bookingId: "booking_abc" });
    expect(row!.eventAt?.toISOString()).toBe("2026-07-15T14:30:00.000Z");
    expect(JSON.stringify(row!.headers)).not.toContain(WEBHOOK_KEY);
    expect(await db().traveler.findUnique({ where: { externalUserId: "auth_ok" } })).toMatchObject({
      iccid: "8901234567890123456",
      esimState: "installed",
    });
  });

  it.each([
    ["a missing key header", { "x-api-key": "" }],
    ["a wrong key", { "x-api-key": "whk_wrong" }],
    ["a key with a changed last character", { "x-api-key": `${WEBHOOK_KEY.slice(0, -1)}X` }],
  ])("refuses %s with 401 and stores nothing", async (_, headers) => {
    const before = { events: await events(), failures: await authFailures() };
    expect((await send(installed("refused"), headers)).status).toBe(401);
    expect(await events()).toBe(before.events);
    expect(await authFailures()).toBe(before.failures + 1);
  });

  it("honours a custom header with a prefix", async () => {
    process.env.HUBBY_WEBHOOK_AUTH_HEADER = "authorization";
    process.env.HUBBY_WEBHOOK_AUTH_PREFIX = "Bearer ";
    resetEnvCache();
    try {
      const body = installed("bearer_user");
      expect((await send(body, { "x-api-key": "", authorization: `Bearer ${WEBHOOK_KEY}` })).status).toBe(200);
      expect((await send(installed("bearer_user2"), { authorization: WEBHOOK_KEY })).status).toBe(401);
    } finally {
      delete process.env.HUBBY_WEBHOOK_AUTH_HEADER;
      delete process.env.HUBBY_WEBHOOK_AUTH_PREFIX;
      resetEnvCache();
    }
  });
});

describe("refused deliveries are counted per minute, address and reason, not stored a row each", () => {
  const refuse = (address: string) =>
    send(installed("refused_flood"), { "x-api-key": "whk_wrong", "x-forwarded-for": address });
  const bucketsOf = (ip: string) => db().refusalCount.findMany({ where: { ip } });

  it("counts a flood from one address in one bucket per minute, and the health panel reads the count", async () => {
    const before = (await webhookHealth({ hours: 24 })).authFailures;
    for (let sent = 0; sent < 60; sent += 10) {
      const answers = await Promise.all(Array.from({ length: 10 }, () => refuse("203.0.113.7")));
      expect(answers.map((answer) => answer.status)).toEqual(Array(10).fill(401));
    }
    const buckets = await bucketsOf("203.0.113.7");
    // One bucket, or two if the flood straddled a minute.
    expect(buckets.length).toBeLessThanOrEqual(2);
    expect(buckets.every((bucket) => bucket.reason === "wrong_api_key")).toBe(true);
    expect(buckets.reduce((sum, bucket) => sum + bucket.count, 0)).toBe(60);
    expect((await webhookHealth({ hours: 24 })).authFailures).toBe(before + 60);
  });

  it("prunes buckets past the retention window when a new bucket is counted", async () => {
    const hoursAgo = (hours: number) => new Date(Math.floor((Date.now() - hours * 3_600_000) / 60_000) * 60_000);
    const bucket = (minute: Date) => ({
      minute,
      kind: "webhook",
      ip: "192.0.2.50",
      reason: "wrong_api_key",
      count: 5,
      lastAt: minute,
    });
    await db().refusalCount.createMany({
      data: [bucket(hoursAgo(REFUSAL_RETENTION_HOURS + 1)), bucket(hoursAgo(REFUSAL_RETENTION_HOURS - 1))],
    });
    expect((await refuse("198.51.100.9")).status).toBe(401);
    const kept = await bucketsOf("192.0.2.50");
    expect(kept.map((row) => row.minute)).toEqual([hoursAgo(REFUSAL_RETENTION_HOURS - 1)]);
  });

  it("counts addresses past the per-minute cap under one bucket, so a forged x-forwarded-for adds no rows", async () => {
    const before = await authFailures();
    const sent = MAX_REFUSAL_SOURCES_PER_MINUTE + 20;
    for (let start = 0; start < sent; start += 20) {
      await Promise.all(Array.from({ length: 20 }, (_, index) => refuse(`10.66.${start}.${index}`)));
    }
    expect(await authFailures()).toBe(before + sent);
    const perMinute = await db().refusalCount.groupBy({ by: ["minute"], _count: { ip: true } });
    // Per minute: at most the cap of addresses plus "other", for each reason (only wrong_api_key is sent here).
    const reasons = await db().refusalCount.findMany({ distinct: ["reason"], select: { reason: true } });
    for (const minute of perMinute) {
      expect(minute._count.ip).toBeLessThanOrEqual((MAX_REFUSAL_SOURCES_PER_MINUTE + 1) * reasons.length);
    }
    expect(await db().refusalCount.count({ where: { ip: "other" } })).toBeGreaterThan(0);
  });

  it("logs nothing per refusal, and one line without a stack when refusals cannot be counted", async () => {
    const logged = [vi.spyOn(console, "warn"), vi.spyOn(console, "error"), vi.spyOn(console, "log")];
    const lines = () => logged.flatMap((spy) => spy.mock.calls.map((call) => call.map(String).join(" ")));
    try {
      await Promise.all(Array.from({ length: 10 }, () => refuse("203.0.113.8")));
      expect(lines()).toEqual([]);
      // Refusals are counted on the main pool (lib/audit/refusals.ts), not the intake's prepared statements.
      vi.spyOn(getDatabase().sql, "query").mockRejectedValue(new Error("connect ECONNREFUSED\n    at Socket.connect"));
      const answers = await Promise.all(Array.from({ length: 20 }, () => refuse("203.0.113.9")));
      expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(401));
      expect(lines()).toHaveLength(1);
      expect(lines()[0]).toContain("could not count refused webhook requests");
      expect(lines()[0]).not.toContain("\n");
    } finally {
      vi.restoreAllMocks();
    }
  });
});

describe("signatures (when a signing secret is configured)", () => {
  const now = () => String(Math.floor(Date.now() / 1000));

  it("accepts a valid signature in seconds or milliseconds", async () => {
    setSigning(true);
    const body = installed("signed_ok");
    expect((await send(body, { "x-hubby-timestamp": now(), "x-hubby-signature": sign(body, now()) })).status).toBe(200);
    const ms = String(Date.now());
    const body2 = installed("signed_ms");
    expect((await send(body2, { "x-hubby-timestamp": ms, "x-hubby-signature": sign(body2, ms) })).status).toBe(200);
  });

  it("accepts a list of signatures when one is valid (rotation)", async () => {
    setSigning(true);
    const body = installed("rotated");
    const t = now();
    const header = `${sign(body, t, "old_secret")}, ${sign(body, t)}`;
    expect((await send(body, { "x-hubby-timestamp": t, "x-hubby-signature": header })).status).toBe(200);
  });

  it.each([
    [
      "a wrong signature",
      (body: string, t: string) => ({ "x-hubby-timestamp": t, "x-hubby-signature": sign(body, t, "nope") }),
    ],
    [
      "a truncated signature",
      (body: string, t: string) => ({ "x-hubby-timestamp": t, "x-hubby-signature": sign(body, t).slice(0, -2) }),
    ],
    ["an empty signature", (_: string, t: string) => ({ "x-hubby-timestamp": t, "x-hubby-signature": "" })],
    ["no signature header", (_: string, t: string) => ({ "x-hubby-timestamp": t })],
    [
      "a stale timestamp",
      (body: string) => {
        const t = String(Math.floor(Date.now() / 1000) - 2 * 3600);
        return { "x-hubby-timestamp": t, "x-hubby-signature": sign(body, t) };
      },
    ],
    [
      "a future timestamp",
      (body: string) => {
        const t = String(Math.floor(Date.now() / 1000) + 2 * 3600);
        return { "x-hubby-timestamp": t, "x-hubby-signature": sign(body, t) };
      },
    ],
    ["a missing timestamp", (body: string, t: string) => ({ "x-hubby-signature": sign(body, t) })],
    [
      "a body changed by one byte",
      (body: string, t: string) => ({ "x-hubby-timestamp": t, "x-hubby-signature": sign(`${body.slice(0, -1)} `, t) }),
    ],
  ])("refuses %s", async (_, headersFor) => {
    setSigning(true);
    const before = await events();
    const body = installed("sig_refused");
    const response = await send(body, headersFor(body, now()));
    expect(response.status).toBe(401);
    expect(await events()).toBe(before);
  });
});

describe("the signature's time tolerance", () => {
  const signedAgo = (body: string, minutes: number) => {
    const t = String(Math.floor(Date.now() / 1000) - minutes * 60);
    return { "x-hubby-timestamp": t, "x-hubby-signature": sign(body, t) };
  };

  it("accepts Hubby's 30-minute retry signed with its original timestamp under the default tolerance (1 h)", async () => {
    setSigning(true);
    const body = installed("retry_31_min");
    expect((await send(body, signedAgo(body, 31))).status).toBe(200);
  });

  it("with a 5-minute tolerance, refuses that retry but counts it as signed and too old, and the panel says so", async () => {
    setSigning(true);
    process.env.HUBBY_WEBHOOK_TOLERANCE_SECONDS = "300";
    resetEnvCache();
    try {
      const body = installed("retry_refused");
      expect((await send(body, signedAgo(body, 31))).status).toBe(401);
      expect((await send(body, signedAgo(`${body} `, 31))).status).toBe(401);
      const reasons = await db().refusalCount.findMany({
        where: { kind: "webhook", reason: { startsWith: "stale", endsWith: "(15–60 min)" } },
      });
      expect(reasons.map((row) => row.reason).sort()).toEqual([
        "stale_timestamp (15–60 min)",
        "stale_timestamp_signed (15–60 min)",
      ]);
      const before = await db().refusalCount.count({ where: { reason: { startsWith: "stale_timestamp_signed" } } });
      const health = await webhookHealth({ hours: 24 });
      // This test's signed retry, and the signed 2-hour-old delivery refused above.
      expect(health.signedButOld).toBe(before);
      expect(before).toBeGreaterThanOrEqual(1);
    } finally {
      delete process.env.HUBBY_WEBHOOK_TOLERANCE_SECONDS;
      resetEnvCache();
    }
  });
});

describe("bodies", () => {
  it("refuses an oversized body with 413 before storing", async () => {
    const before = await events();
    const big = JSON.stringify({ event: "esim.installed", data: { pad: "x".repeat(300 * 1024) } });
    expect((await send(big)).status).toBe(413);
    // No declared length: chunked, cut off once past the cap.
    const streamed = await send(Array.from({ length: 40 }, () => new Uint8Array(10 * 1024).fill(32)));
    expect(streamed.status).toBe(413);
    expect(await events()).toBe(before);
  });

  it("quarantines invalid JSON and answers 200", async () => {
    const result = await send("{not json");
    expect(result).toMatchObject({ status: 200, json: { status: "quarantined" } });
    const row = await db().webhookEvent.findFirst({ where: { rawBody: "{not json" } });
    expect(row).toMatchObject({ status: "quarantined", eventType: "unknown" });
  });

  it("stores an unknown event type as unhandled", async () => {
    const result = await send(envelope("esim.exploded", { external_user_id: "u1" }));
    expect(result).toMatchObject({ status: 200, json: { status: "unhandled" } });
  });

  it("stores a known event with missing fields as failed, with the reason", async () => {
    const result = await send(envelope("package.activated", { external_user_id: "u1" }));
    expect(result).toMatchObject({ status: 200, json: { status: "failed" } });
    const row = await db().webhookEvent.findFirst({ where: { id: BigInt(result.json.id as string) } });
    expect(row!.error).toContain("package_id");
  });

  it("accepts the legacy flat promo-code form", async () => {
    const body = JSON.stringify({ promocode: "SUMMER2026GR", booking_id: "booking_legacy", redeemed_at: "2026-01-03" });
    expect((await send(body)).json).toMatchObject({ status: "processed" });
    expect(await db().promoRedemption.findFirst({ where: { promoCode: "SUMMER2026GR" } })).toMatchObject({
      bookingId: "booking_legacy",
    });
  });
});

describe("duplicates and failures", () => {
  it("answers a duplicate (same event_id) with 200, counts it and does not process it again", async () => {
    const body = envelope(
      "esim.installed",
      { external_user_id: "dup_user", iccid: "8901234567890123456" },
      { event_id: "evt_dup_1" },
    );
    const first = await send(body);
    const second = await send(body.replace("14:30:00Z", "14:31:00Z"));
    const third = await send(body, { "x-hubby-event-id": "evt_dup_1" });
    expect(first.json.duplicate).toBeUndefined();
    expect(second.json).toMatchObject({ duplicate: true, id: first.json.id });
    expect(third.json).toMatchObject({ duplicate: true, id: first.json.id });
    const row = await db().webhookEvent.findFirst({ where: { dedupeKey: "id:evt_dup_1" } });
    expect(row).toMatchObject({ duplicates: 2, attempts: 1 });
  });

  it("dedupes on the body hash when there is no event_id", async () => {
    const body = installed("hash_user");
    await send(body);
    expect((await send(body)).json.duplicate).toBe(true);
  });

  it("answers 503 when the database is down, so Hubby retries", async () => {
    const client = db();
    const spy = vi.spyOn(getDatabase(), "prepared").mockRejectedValue(new Error("connect ECONNREFUSED"));
    const find = vi.spyOn(client.webhookEvent, "findUnique").mockRejectedValue(new Error("connect ECONNREFUSED"));
    try {
      const result = await send(installed("db_down"));
      expect(result.status).toBe(503);
    } finally {
      spy.mockRestore();
      find.mockRestore();
    }
    expect(await db().webhookEvent.count({ where: { externalUserId: "db_down" } })).toBe(0);
  });
});

describe("the path", () => {
  it("answers other methods with 405", async () => {
    const response = await fetch(`${harness.receiver.url}`, { method: "GET" });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST");
  });
});

describe("the Next.js route (fallback when Next.js runs without scripts/server.ts)", () => {
  it("answers like the harness.receiver: stores a valid event, refuses a wrong key and an oversized body", async () => {
    const ok = await POST(webhookRequest(installed("route_fallback")));
    expect(ok.status).toBe(200);
    expect(await db().webhookEvent.count({ where: { externalUserId: "route_fallback" } })).toBe(1);
    expect((await POST(webhookRequest(installed("route_refused"), { "x-api-key": "whk_wrong" }))).status).toBe(401);
    const big = JSON.stringify({ event: "esim.installed", data: { pad: "x".repeat(300 * 1024) } });
    expect((await POST(webhookRequest(big))).status).toBe(413);
  });
});
