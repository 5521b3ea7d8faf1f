import crypto from "node:crypto";
import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import { db, getDatabase } from "@/lib/db";
import { handledEvents, isHandledEvent } from "@/lib/webhooks/envelope";
import { EVENT_ID_HEADERS } from "@/lib/webhooks/intake";
import { getWebhookEvent } from "@/lib/webhooks/queries";
import { replayEvent } from "@/lib/webhooks/replay";
import { findStoredEvent } from "@/lib/webhooks/stored";
import { sampleEvent } from "@/lib/webhooks/samples";
import { nodeReceiverPerFile } from "../support/webhooks";

// Keyed deliveries whose content PostgreSQL cannot take as it is (U+0000, lone surrogates, NUL bytes, invalid
// UTF-8, out-of-range timestamps, very deep JSON, huge event ids). 503 means "the database is down, retry": for
// content it made Hubby retry the same bytes until it gave up. Each must be stored once (raw bytes kept) and
// answered 200, on PGlite and on PostgreSQL (TEST_DATABASE_URL).

const harness = nodeReceiverPerFile();

const events = () => db().webhookEvent.count();
const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((part) => (typeof part === "string" ? Buffer.from(part, "utf8") : Buffer.from(part))));
const body = (value: unknown) => Buffer.from(JSON.stringify(value), "utf8");
const installed = (data: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  body({
    event: "esim.installed",
    timestamp: "2026-07-15T14:30:00Z",
    data: { external_user_id: "hostile_user", iccid: "8901234567890123456", ...data },
    ...extra,
  });
const activated = (data: Record<string, unknown>) =>
  body({
    event: "package.activated",
    timestamp: "2026-07-15T14:30:00Z",
    data: {
      external_user_id: "hostile_user",
      package_id: "pkg_hostile",
      activated_at: "2026-07-15T14:30:00Z",
      ...data,
    },
  });
const nested = (depth: number, open: string, close: string) => `${open.repeat(depth)}1${close.repeat(depth)}`;

/** The bytes a row keeps of its delivery: rawBytes when rawBody could not hold them exactly. */
function storedBytes(row: { rawBody: string; rawBytes?: Uint8Array | null }): Buffer {
  return row.rawBytes ? Buffer.from(row.rawBytes) : Buffer.from(row.rawBody, "utf8");
}

/**
 * Delivers the same bytes twice, as Hubby retries: the first is stored (one row, or a duplicate of an earlier
 * row), the second is a duplicate of it. Returns the first answer and the stored row.
 */
async function deliverTwice(payload: Buffer, headers: Record<string, string> = {}) {
  const before = await events();
  const first = await harness.receiver.deliver(payload, headers);
  expect(first.status, JSON.stringify(first.json)).toBe(200);
  const afterFirst = await events();
  expect(afterFirst).toBe(first.json.duplicate ? before : before + 1);
  const second = await harness.receiver.deliver(payload, headers);
  expect(second.status, JSON.stringify(second.json)).toBe(200);
  expect(second.json).toMatchObject({ duplicate: true, id: first.json.id });
  expect(await events()).toBe(afterFirst);
  // The body as stored, JSON read back as its text ("body"::text): what the detail page, replay and forwarding read.
  const row = await findStoredEvent(BigInt(first.json.id as string));
  if (!row) throw new Error(`event ${String(first.json.id)} not stored`);
  return { first, row };
}

describe("keyed deliveries the database cannot store as they are: stored once and answered 200", () => {
  it.each<[string, Buffer, "quarantined" | "failed", RegExp]>([
    [
      "a NUL byte inside a string",
      bytes('{"event":"esim.installed","data":{"external_user_id":"nul', [0], 'byte"}}'),
      "quarantined",
      /NUL/,
    ],
    ["a \\u0000 escape in a value", installed({ external_user_id: "esc\u0000aped" }), "quarantined", /U\+0000/],
    ["a \\u0000 escape in a key", installed({ "ke\u0000y": 1 }), "quarantined", /U\+0000/],
    ["a lone high surrogate escape (\\ud800)", installed({ note: "x\ud800y" }), "quarantined", /surrogate/],
    ["a lone low surrogate escape in a key", installed({ "\udc00": true }), "quarantined", /surrogate/],
    [
      "a lone surrogate as raw bytes (invalid UTF-8)",
      bytes('{"event":"esim.installed","data":{"external_user_id":"raw', [0xed, 0xa0, 0x80], '"}}'),
      "quarantined",
      /UTF-8/,
    ],
    ["random bytes", bytes([0xff, 0xfe, 0x00, 0x7b, 0x80, 0xc3, 0x28, 0x00, 0xf8]), "quarantined", /UTF-8|NUL/],
    ["a timestamp in year -5000", installed({}, { timestamp: "-005000-01-01T00:00:00Z" }), "failed", /timestamp/],
    ["a timestamp in year 10000", installed({}, { timestamp: "+010000-01-01T00:00:00Z" }), "failed", /timestamp/],
    ["an activation in year 0", activated({ activated_at: "0000-06-01T00:00:00Z" }), "failed", /activated_at/],
    ["arrays nested 20,000 deep", Buffer.from(nested(20_000, "[", "]")), "quarantined", /deeper/],
    [
      "data nested 20,000 deep",
      Buffer.from(`{"event":"esim.installed","data":{"deep":${nested(20_000, '{"a":', "}")}}}`),
      "quarantined",
      /deeper/,
    ],
  ])("%s", async (_, payload, status, reason) => {
    const { first, row } = await deliverTwice(payload);
    expect(first.json).toMatchObject({ received: true, status });
    expect(row.status).toBe(status);
    expect(row.error).toMatch(reason);
    expect(storedBytes(row).equals(payload)).toBe(true);
    // The inbox says when it shows a rendering; a replay reads the exact bytes and comes to the same verdict.
    expect((await getWebhookEvent(String(row.id)))!.exactByteCount).toBe(row.rawBytes ? payload.length : null);
    expect(await replayEvent(row.id, { dryRun: true })).toMatchObject({ status, error: row.error });
  });

  it.each([2_800, 12_000])("an event-id header of %i characters is stored and deduplicated", async (length) => {
    // Random characters: a repeated one compresses, and a compressed index entry fits where this must not.
    const eventId = `evt_${crypto
      .randomBytes(length)
      .toString("base64url")
      .slice(0, length - 4)}`;
    const payload = installed({ external_user_id: `long_id_${length}` });
    const { first, row } = await deliverTwice(payload, { "x-hubby-event-id": eventId });
    expect(first.json).toMatchObject({ status: "processed" });
    expect(row.eventId!.length).toBeLessThanOrEqual(200);
    expect(eventId.startsWith(row.eventId!)).toBe(true);
    // The same id with a different body (a re-sent event) is still the same delivery.
    const resent = await harness.receiver.deliver(installed({ external_user_id: `long_id_${length}`, extra: 1 }), {
      "x-hubby-event-id": eventId,
    });
    expect(resent.json).toMatchObject({ duplicate: true, id: first.json.id });
  });

  it("stores an event whose projection fails (a number past an int column) as failed, with the reason", async () => {
    const usage = sampleEvent(
      "package.usage.50_percent",
      { externalUserId: "too_long_trip", bookingId: "bk_long", packageId: "pkg_long" },
      new Date("2026-07-15T14:30:00Z"),
    );
    const payload = body({ ...usage, event_id: "evt_projection_fails", data: { ...usage.data, duration_days: 1e20 } });
    const { first, row } = await deliverTwice(payload);
    expect(first.json).toMatchObject({ status: "failed" });
    expect(row).toMatchObject({ status: "failed", externalUserId: "too_long_trip", packageId: "pkg_long" });
    expect(row.error).toMatch(/^Processing failed: .*integer/);
    expect(await db().travelerPackage.count({ where: { packageId: "pkg_long" } })).toBe(0);
  });

  it("falls back to the columns that always store when the event's own columns are refused too", async () => {
    // The statement with the projection refused, then the first fallback row (with the event's columns), as
    // content that slipped past the checks would be.
    const statement = vi
      .spyOn(getDatabase(), "prepared")
      .mockRejectedValueOnce(new Error("invalid input syntax"))
      .mockRejectedValueOnce(new Error("unsupported Unicode escape sequence"));
    try {
      const payload = installed({ external_user_id: "plain_row" }, { event_id: "evt_plain" });
      const { first, row } = await deliverTwice(payload);
      expect(first.json).toMatchObject({ status: "failed" });
      expect(row).toMatchObject({ status: "failed", eventType: "esim.installed", externalUserId: null });
      // Kept as text in rawBody, not as JSON: the body is still exactly what was received.
      const [columns] = await getDatabase().sql.query<{ json: boolean; text: boolean }>(
        `SELECT "body" IS NOT NULL AS json, "rawBody" IS NOT NULL AS text FROM "WebhookEvent" WHERE id = $1`,
        [String(row.id)],
      );
      expect(columns).toEqual({ json: false, text: true });
      expect(storedBytes(row).equals(payload)).toBe(true);
      expect(row.error).toMatch(
        /^Processing failed: invalid input syntax Kept as the raw body only; .*: unsupported Unicode escape sequence$/,
      );
    } finally {
      statement.mockRestore();
    }
  });

  it("still processes what it can store: depth 100 is kept as JSON, and a surrogate pair is not lone", async () => {
    const deep = Buffer.from(
      `{"event":"esim.installed","data":{"external_user_id":"deep_ok","iccid":"8901234567890123456","x":${nested(98, "[", "]")}}}`,
    );
    expect((await deliverTwice(deep)).row.status).toBe("processed");
    const emoji = installed({ external_user_id: "emoji_\ud83d\ude00" });
    const { row } = await deliverTwice(emoji);
    expect(row).toMatchObject({ status: "processed", externalUserId: "emoji_\ud83d\ude00" });
  });
});

// ── Fuzz ─────────────────────────────────────────────────────────────────────────────────────────────────────

/** Strings with the hazards in them: U+0000, lone surrogates of both kinds, pairs, and any UTF-16 code unit. */
const hazardString = fc.oneof(
  fc.constantFrom("\u0000", "a\u0000b", "\ud800", "\udfff", "x\udbffy", "\udc00\ud800", "\ud83d\ude00", "\u2028", ""),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit)), maxLength: 12 }),
);
/** Event timestamps: fine ones, ones outside PostgreSQL's (or JavaScript's) range, and not timestamps at all. */
const hazardTimestamp = fc.oneof(
  fc.constantFrom(
    "2026-07-15T14:30:00Z",
    "+300000-01-01T00:00:00Z",
    "300000-01-01",
    "-005000-01-01T00:00:00Z",
    "-5000-01-01",
    "0000-01-01T00:00:00Z",
    "0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59.999Z",
    "+010000-01-01T00:00:00Z",
    "1e20",
  ),
  fc.integer({ min: -8.64e15, max: 8.64e15 }).map((ms) => new Date(ms).toISOString()),
  fc.constantFrom(1e20, -1e20, 100000000000000000000),
  hazardString,
);
const hazardNumber = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(1e20, 1e300, -1, 2 ** 31, 2 ** 63, Number.MAX_SAFE_INTEGER),
);
const hazardValue = fc.oneof(
  hazardString,
  hazardTimestamp,
  { arbitrary: hazardNumber, weight: 2 },
  fc.boolean(),
  fc.constant(null),
);

/** The data fields Hubby's events carry (lib/webhooks/facts.ts): the ones a hazard is put into. */
const dataFields = [
  "external_user_id",
  "booking_id",
  "package_id",
  "iccid",
  "activated_at",
  "expires_at",
  "departure_date",
  "promocode",
  "redeemed_at",
  "used_bytes",
  "remaining_bytes",
  "duration_days",
  "elapsed_days",
  "destination",
  "size",
  "esim_installed",
] as const;
const SAMPLE_AT = new Date("2026-07-15T14:30:00Z");

/** The value in one case of four, else left out: most events carry one hazard or none, so every outcome is common. */
const sometimes = <T>(arbitrary: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, { arbitrary, weight: 1 });

/** A realistic event (lib/webhooks/samples.ts) with up to two data fields, its timestamp or its id made hostile. */
const envelopeBody = fc
  .record({
    event: fc.oneof(
      { arbitrary: fc.constantFrom(...handledEvents), weight: 6 },
      { arbitrary: fc.constant("esim.exploded"), weight: 3 },
      { arbitrary: hazardString, weight: 1 },
    ),
    traveler: fc.integer({ min: 1, max: 5 }),
    timestamp: fc.oneof({ arbitrary: fc.constant("2026-07-15T14:30:00Z"), weight: 3 }, sometimes(hazardTimestamp)),
    eventId: sometimes(fc.oneof(fc.string({ minLength: 1, maxLength: 30 }), fc.integer(), hazardString)),
    changes: fc.array(fc.tuple(fc.constantFrom(...dataFields), hazardValue), { maxLength: 2 }),
    extra: sometimes(fc.dictionary(hazardString, hazardValue, { maxKeys: 3 })),
  })
  .map(({ event, traveler, timestamp, eventId, changes, extra }) => {
    const ids = {
      externalUserId: `fuzz_user_${traveler}`,
      bookingId: `fuzz_bk_${traveler}`,
      packageId: `fuzz_pkg_${traveler}`,
    };
    const sample = sampleEvent(isHandledEvent(event) ? event : "esim.installed", ids, SAMPLE_AT);
    return body({
      event,
      ...(timestamp === undefined ? {} : { timestamp }),
      ...(eventId === undefined ? {} : { event_id: eventId }),
      data: { ...sample.data, ...Object.fromEntries(changes), ...(extra === undefined ? {} : { extra }) },
    });
  });
/** Depths around the limit and far past it, as the whole body or inside `data`, of arrays or of objects. */
const deepBody = fc
  .record({
    depth: fc.oneof(fc.constantFrom(99, 100, 101, 1_000, 20_000), fc.integer({ min: 1, max: 300 })),
    objects: fc.boolean(),
    inEnvelope: fc.boolean(),
  })
  .map(({ depth, objects, inEnvelope }) => {
    const deep = objects ? nested(depth, '{"a":', "}") : nested(depth, "[", "]");
    return Buffer.from(inEnvelope ? `{"event":"esim.installed","data":{"external_user_id":"d","x":${deep}}}` : deep);
  });
/** A JSON body with raw bytes put in: NUL bytes, a lone surrogate encoded as UTF-8 (ED A0 80), or any bytes. */
const corruptedBody = fc
  .tuple(
    envelopeBody,
    fc.array(fc.tuple(fc.nat(), fc.oneof(fc.constant([0]), fc.constant([0xed, 0xa0, 0x80]), fc.array(fc.nat(255)))), {
      minLength: 1,
      maxLength: 3,
    }),
  )
  .map(([json, insertions]) => {
    let result = json;
    for (const [at, inserted] of insertions) {
      const cut = at % (result.length + 1);
      result = Buffer.concat([result.subarray(0, cut), Buffer.from(inserted), result.subarray(cut)]);
    }
    return result;
  });
const randomBody = fc.uint8Array({ maxLength: 2_000 }).map((array) => Buffer.from(array));

/** Event ids in one of the event-id headers: short, or long up to below node's 16 KiB header limit. */
const eventIdHeader = fc.option(
  fc.record({
    name: fc.constantFrom(...EVENT_ID_HEADERS),
    seed: fc.stringMatching(/^[!-~]{1,20}$/),
    length: fc.oneof(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 2_000, max: 12_000 })),
  }),
  { freq: 2 },
);

describe("fuzz: keyed deliveries of hostile content", () => {
  it("never answer 5xx while the database is up, and each is stored exactly once", { timeout: 180_000 }, async () => {
    let run = 0;
    const statuses = new Set<string>();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          { arbitrary: envelopeBody, weight: 4 },
          { arbitrary: deepBody, weight: 1 },
          { arbitrary: corruptedBody, weight: 2 },
          { arbitrary: randomBody, weight: 1 },
        ),
        eventIdHeader,
        fc.oneof({ arbitrary: fc.constant(true), weight: 4 }, { arbitrary: fc.constant(false), weight: 1 }),
        async (payload, idHeader, authenticated) => {
          run += 1;
          const headers: Record<string, string> = {};
          if (idHeader) {
            // The run number keeps ids of different runs apart; a long id is the seed repeated to its length.
            const id = `${run}:${idHeader.seed.repeat(Math.ceil(idHeader.length / idHeader.seed.length))}`;
            headers[idHeader.name] = id.slice(0, Math.max(idHeader.length, String(run).length + 2));
          }
          if (!authenticated) {
            const before = await events();
            const refused = await harness.receiver.deliver(payload, { ...headers, "x-api-key": "whk_wrong" });
            expect(refused.status).toBe(401);
            expect(await events()).toBe(before);
            return;
          }
          const { first, row } = await deliverTwice(payload, headers);
          expect(["processed", "unhandled", "failed", "quarantined"]).toContain(row.status);
          if (row.status === "failed" || row.status === "quarantined") expect(row.error).toBeTruthy();
          statuses.add(row.status);
          if (!first.json.duplicate) expect(storedBytes(row).equals(payload)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
    // The arbitraries reach every outcome, and the database is still up and answering.
    expect([...statuses].sort()).toEqual(["failed", "processed", "quarantined", "unhandled"]);
    expect(await events()).toBeGreaterThan(0);
  });
});
