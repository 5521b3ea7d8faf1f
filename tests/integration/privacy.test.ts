import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { eraseTravelerAction, setLegalHoldAction } from "@/app/(console)/travelers/[externalUserId]/privacy-actions";
import { setRetentionAction } from "@/app/(console)/travelers/privacy-actions";
import { GET as personalData } from "@/app/(console)/travelers/[externalUserId]/personal-data/route";
import { FORBIDDEN_MESSAGE } from "@/lib/errors";
import { db, getDatabase } from "@/lib/db";
import { pseudonymFor } from "@/lib/privacy/pseudonym";
import { runPrivacyJob, setRetentionDays } from "@/lib/privacy/retention";
import type { Prisma } from "@/lib/generated/prisma/client";
import { parseWebhookBody } from "@/lib/webhooks/envelope";
import { factsFor } from "@/lib/webhooks/facts";
import { deferProjections, projectLeftBehind, settleProjections } from "@/lib/webhooks/projector";
import { sampleEvent } from "@/lib/webhooks/samples";
import { form, makeStaff, signInAs } from "../support/factories";

// A traveler's personal data (lib/privacy/): the export holds every stored kind of record, erasure leaves no trace of
// the id in any column of any table (searched through the database catalog, not through the code's own list), a
// legal hold refuses it, only admins may, and the daily job applies the trip-tied retention and catches late events.

const DAY = 86_400_000;

/** Every table a traveler's data reaches, filled for `id` (email and ICCID given so they can be searched for). */
async function travelerEverywhere(
  id: string,
  {
    email,
    iccid,
    name = "Someone Else",
    expiredDaysAgo = 5,
  }: { email: string; iccid: string; name?: string; expiredDaysAgo?: number },
) {
  const now = new Date();
  // Booking and package ids are Hubby's, not made of the traveler's id.
  const tag = crypto.randomUUID().slice(0, 8);
  const booking = `bk-${tag}`;
  const pkg = `pkg-${tag}`;
  const body = JSON.stringify({
    event: "package.activated",
    timestamp: now.toISOString(),
    data: { external_user_id: id, email, iccid, booking_id: booking, package_id: pkg },
  });
  await db().traveler.create({
    data: {
      externalUserId: id,
      firstSeenAt: now,
      lastSeenAt: now,
      iccid,
      esimState: "installed",
      lastEventType: "package.activated",
    },
  });
  await db().travelerBooking.create({
    data: { bookingId: booking, externalUserId: id, firstSeenAt: now, lastSeenAt: now },
  });
  await db().travelerPackage.create({
    data: {
      packageId: pkg,
      externalUserId: id,
      bookingId: booking,
      destination: "IT",
      activatedAt: new Date(now.getTime() - (expiredDaysAgo + 7) * DAY),
      expiresAt: new Date(now.getTime() - expiredDaysAgo * DAY),
      usagePercent: 50,
      firstSeenAt: now,
      lastSeenAt: now,
    },
  });
  await db().usageSample.create({ data: { packageId: pkg, percent: 50, at: now, externalUserId: id } });
  const event = await db().webhookEvent.create({
    data: {
      eventType: "package.activated",
      dedupeKey: `dedupe-${tag}`,
      headers: { "content-type": "application/json", "x-note": `for ${id}` },
      rawBody: body,
      body: JSON.parse(body) as Prisma.InputJsonValue,
      status: "processed",
      externalUserId: id,
      bookingId: booking,
      packageId: pkg,
    },
  });
  // The exact bytes of a body that was not UTF-8 text (a trailing 0xff 0x00), as the intake keeps them.
  await getDatabase().sql.query(`UPDATE "WebhookEvent" SET "rawBytes" = decode($1, 'hex') WHERE id = $2`, [
    Buffer.concat([Buffer.from(body, "utf8"), Buffer.from([0xff, 0x00])]).toString("hex"),
    String(event.id),
  ]);
  const endpoint = await db().forwardEndpoint.create({
    data: { url: `https://partner.example/${id}/hook`, secret: "whsec_x" },
  });
  const message = await db().forwardMessage.create({
    data: {
      endpointId: endpoint.id,
      eventId: event.id,
      webhookId: `msg_${event.id}`,
      eventType: "package.activated",
      orderingKey: id,
      receivedAt: now,
    },
  });
  await db().forwardAttempt.create({
    data: {
      messageId: message.id,
      endpointId: endpoint.id,
      succeeded: true,
      statusCode: 200,
      latencyMs: 5,
      response: `{"ok":true,"user":"${id}"}`,
    },
  });
  const intent = await db().bookingIntent.create({
    data: {
      clientKey: `ck-${tag}`,
      reference: `ref-${tag}`,
      kind: "issue",
      status: "SENT",
      payload: { package_specifications: [{ external_user_id: id, destination: "IT", size: "3GB" }], email },
      externalUserIds: [id],
      destinations: ["IT"],
      actorEmail: "admin@console.test",
      hubbyBookingId: booking,
      response: { booking_id: booking, users: [{ external_user_id: id }] },
    },
  });
  await db().bookingIntentEvent.create({
    data: { intentId: intent.id, from: "SENDING", to: "SENT", note: "Hubby confirmed" },
  });
  await db().promoCode.create({
    data: { code: `PROMO-${tag}`, firstSeenAt: now, redemptionBookingId: booking, redeemedAt: now },
  });
  await db().promoRedemption.create({
    data: { promoCode: `PROMO-${tag}`, bookingId: booking, redeemedAt: now.toISOString() },
  });
  const campaign = await db().campaign.create({
    data: {
      name: "Spring",
      fileName: "spring.csv",
      checksum: "abc",
      rowCount: 1,
      validCount: 1,
      errorCount: 0,
      travelers: 1,
      packages: 1,
      costCents: 100,
      priceCents: 200,
      currency: "EUR",
      perDestination: [],
      mapping: {},
      actorEmail: "admin@console.test",
    },
  });
  await db().campaignRow.create({
    data: {
      campaignId: campaign.id,
      line: 2,
      state: "sent",
      externalUserId: id,
      destinations: ["IT"],
      payload: { package_specifications: [{ external_user_id: id }] },
      raw: { external_user_id: id, email, name, phone: "+33 6 12 34 56 78" },
      packageIds: [pkg],
    },
  });
  await db().apiCall.create({
    data: {
      environment: "SANDBOX",
      method: "GET",
      endpoint: "GET /native/user-dashboard",
      path: `/api/native/user-dashboard?external_user_id=${encodeURIComponent(id)}`,
      status: 200,
      ok: true,
      durationMs: 9,
      requestId: `req-${tag}`,
      externalUserId: id,
    },
  });
  const entry = await db().auditEntry.create({
    data: {
      action: "travelers.view",
      targetType: "traveler",
      targetId: id,
      externalUserId: id,
      result: "ok",
      details: { q: id, note: `opened ${id}.` },
    },
  });
  await db().auditTraveler.create({ data: { auditEntryId: entry.id, externalUserId: id } });
  await db().alertIncident.create({
    data: {
      ruleKey: "esim_not_installed",
      scope: id,
      openScope: id,
      title: `Traveler ${id} departs without eSIM`,
      summary: "departing",
      link: `/travelers/${encodeURIComponent(id)}`,
      details: { travelers: [id] },
      lastSeenAt: now,
      lastNotifiedAt: now,
    },
  });
  const run = await db().reconciliationRun.create({ data: { status: "done", scope: "traveler", externalUserId: id } });
  await db().reconciliationTarget.create({ data: { runId: run.id, externalUserId: id, doneAt: now } });
  await db().reconciliationChange.create({
    data: { runId: run.id, externalUserId: id, record: "package", field: "usagePercent", before: "20", after: "50" },
  });
  await db().instructionSnapshot.create({
    data: { externalUserId: id, inputs: { external_user_id: id }, format: "json", content: { steps: [] } },
  });
  await db().savedView.create({
    data: { screen: "travelers", name: `Only ${id}`, query: `q=${encodeURIComponent(id)}` },
  });
}

/** Every table the export must list for a traveler built by travelerEverywhere. */
const EXPECTED_TABLES = [
  "AlertIncident",
  "ApiCall",
  "AuditEntry",
  "AuditTraveler",
  "BookingIntent",
  "BookingIntentEvent",
  "CampaignRow",
  "ForwardAttempt",
  "ForwardEndpoint",
  "ForwardMessage",
  "InstructionSnapshot",
  "PromoCode",
  "PromoRedemption",
  "ReconciliationChange",
  "ReconciliationRun",
  "ReconciliationTarget",
  "SavedView",
  "Traveler",
  "TravelerBooking",
  "TravelerPackage",
  "UsageSample",
  "WebhookEvent",
];

/** Where `needle` still occurs: every text, JSON, array and bytea column of every table in every schema. */
async function traces(needle: string): Promise<string[]> {
  const { sql } = getDatabase();
  const columns = await sql.query<{ table_schema: string; table_name: string; column_name: string; data_type: string }>(
    `SELECT c.table_schema, c.table_name, c.column_name, c.data_type
       FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
      WHERE c.table_schema NOT IN ('pg_catalog', 'information_schema')
        AND c.data_type IN ('text', 'character varying', 'json', 'jsonb', 'bytea', 'ARRAY')`,
  );
  expect(columns.length).toBeGreaterThan(50);
  const found: string[] = [];
  for (const column of columns) {
    const ref = `"${column.table_schema}"."${column.table_name}"`;
    const col = `"${column.column_name}"`;
    const condition =
      column.data_type === "bytea"
        ? `position(convert_to($1, 'UTF8') IN ${col}) > 0`
        : `strpos(lower(${col}::text), lower($1)) > 0`;
    const [row] = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${ref} WHERE ${condition}`, [needle]);
    if (row!.n > 0) found.push(`${column.table_name}.${column.column_name}`);
  }
  return found;
}

describe("a traveler's personal data", () => {
  it("exports every stored kind of record as JSON and CSV, audited; support may not", async () => {
    await travelerEverywhere("export_user_3", { email: "export3@example.com", iccid: "8901000000000000303" });
    await travelerEverywhere("other_user_4", { email: "other4@example.com", iccid: "8901000000000000404" });
    const admin = await signInAs("admin");
    const url = (format: string) => `http://console.test/travelers/export_user_3/personal-data?format=${format}`;
    const params = Promise.resolve({ externalUserId: "export_user_3" });
    const json = await personalData(new Request(url("json")), { params });
    expect(json.status).toBe(200);
    const document = (await json.json()) as {
      externalUserId: string;
      tables: Record<string, Record<string, unknown>[]>;
    };
    expect(document.externalUserId).toBe("export_user_3");
    expect(Object.keys(document.tables).sort()).toEqual([...EXPECTED_TABLES].sort());
    // Only this traveler's rows: nothing of the other traveler.
    expect(JSON.stringify(document)).not.toContain("other_user_4");
    expect(document.tables.WebhookEvent).toHaveLength(1);

    const csv = await personalData(new Request(url("csv")), {
      params: Promise.resolve({ externalUserId: "export_user_3" }),
    });
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
    const lines = (await csv.text()).split("\r\n");
    expect(lines[0]).toBe("table,record,field,value");
    expect(
      new Set(
        lines
          .slice(1)
          .filter(Boolean)
          .map((line) => line.split(",")[0]),
      ),
    ).toEqual(new Set(EXPECTED_TABLES));
    expect(lines).toContain("Traveler,1,iccid,8901000000000000303");

    const audits = await db().auditEntry.findMany({
      where: { action: "privacy.export", externalUserId: "export_user_3" },
    });
    expect(audits.map((entry) => [entry.actorId, (entry.details as { format: string }).format])).toEqual([
      [admin.id, "json"],
      [admin.id, "csv"],
    ]);

    const bad = await personalData(new Request(url("xml")), {
      params: Promise.resolve({ externalUserId: "export_user_3" }),
    });
    expect(bad.status).toBe(400);
    await signInAs("support");
    await expect(personalData(new Request(url("json")), { params })).rejects.toMatchObject({
      digest: "NEXT_HTTP_ERROR_FALLBACK;403",
    });
  });

  it("erases the id, the ICCID and personal fields from every table; counts stay; a second erasure is a no-op", async () => {
    const id = "dsr.traveler-7";
    const email = "anna.dsr7@example.com";
    const iccid = "8901000000000000707";
    await travelerEverywhere(id, { email, iccid, name: "Anna Example" });
    await travelerEverywhere("keep.traveler-8", { email: "keep8@example.com", iccid: "8901000000000000808" });
    // An id that contains the erased one as a prefix is another traveler's, left alone.
    await travelerEverywhere("dsr.traveler-7x", { email: "prefix@example.com", iccid: "8901000000000000799" });
    expect((await traces(id)).length).toBeGreaterThan(20);
    const before = {
      travelers: await db().traveler.count(),
      packages: await db().travelerPackage.count(),
      events: await db().webhookEvent.count(),
    };

    const support = await signInAs("support");
    expect(await eraseTravelerAction(null, form({ externalUserId: id, confirmId: id }))).toEqual({
      ok: false,
      message: FORBIDDEN_MESSAGE,
    });
    await signInAs("admin");
    const mistyped = await eraseTravelerAction(null, form({ externalUserId: id, confirmId: "dsr.traveler" }));
    expect(mistyped).toMatchObject({ ok: false, fieldErrors: { confirmId: ["This is not the traveler's id."] } });

    const erased = await eraseTravelerAction(null, form({ externalUserId: id, confirmId: id }));
    if (!erased.ok) throw new Error(erased.message);
    const pseudonym = pseudonymFor(id);
    expect(erased.data).toMatchObject({ pseudonym, alreadyErased: false });
    expect(erased.data.rows).toBeGreaterThan(20);

    // Searched for as a substring, case-insensitively: the other "dsr.traveler-7x" would be found too, so its own
    // rows are searched for by their id below instead.
    const left = (await traces(id)).filter(Boolean);
    const prefixRows = await traces("dsr.traveler-7x");
    expect(left).toEqual(prefixRows);
    expect(await traces(encodeURIComponent(id))).toEqual(prefixRows);
    expect(await traces(email)).toEqual([]);
    expect(await traces(iccid)).toEqual([]);
    expect(await traces("Anna Example")).toEqual([]);
    // The other travelers are untouched.
    expect(await traces("keep.traveler-8")).toContain("WebhookEvent.rawBody");
    expect(await traces("keep8@example.com")).toContain("CampaignRow.raw");
    expect(await db().traveler.findUnique({ where: { externalUserId: "dsr.traveler-7x" } })).not.toBeNull();

    // Counts and projections stay: the traveler is a pseudonymous row with their package.
    expect({
      travelers: await db().traveler.count(),
      packages: await db().travelerPackage.count(),
      events: await db().webhookEvent.count(),
    }).toEqual(before);
    expect(await db().travelerPackage.count({ where: { externalUserId: pseudonym } })).toBe(1);
    const event = await db().webhookEvent.findFirstOrThrow({ where: { externalUserId: pseudonym } });
    expect(JSON.parse(event.rawBody!)).toMatchObject({ data: { external_user_id: pseudonym, email: "erased" } });
    expect(Buffer.from(event.rawBytes!).subarray(-2)).toEqual(Buffer.from([0xff, 0x00]));

    // Audited under the pseudonym; the old id is in no audit entry (the search above covers them too).
    const entry = await db().auditEntry.findFirstOrThrow({ where: { action: "privacy.erase", result: "ok" } });
    expect(entry).toMatchObject({ externalUserId: pseudonym, targetId: pseudonym });
    expect(await db().erasedTraveler.count({ where: { pseudonym } })).toBe(1);
    expect(support.id).toBeDefined();

    const again = await eraseTravelerAction(null, form({ externalUserId: id, confirmId: id }));
    expect(again).toMatchObject({ ok: true, data: { alreadyErased: true, rows: 0 } });
    const onPseudonym = await eraseTravelerAction(null, form({ externalUserId: pseudonym, confirmId: pseudonym }));
    expect(onPseudonym).toMatchObject({ ok: false, message: expect.stringContaining("already erased") });
  });

  it("an erasure drops the traveler's projections still pending, so the projector cannot write the id back", async () => {
    const id = "dsr.pending-9";
    const receivedAt = new Date();
    const body = sampleEvent("esim.installed", { externalUserId: id, bookingId: "bk_pending_9", packageId: "pk_9" });
    const event = await db().webhookEvent.create({
      data: {
        receivedAt,
        eventType: "esim.installed",
        dedupeKey: "id:pending_9",
        eventId: "pending_9",
        headers: {},
        body: body as unknown as Prisma.InputJsonValue,
        status: "processed",
        externalUserId: id,
      },
    });
    // Answered under a burst: stored with its pending row, its facts (the real id among them) held by the projector.
    await getDatabase().sql.query(
      `INSERT INTO "WebhookProjectionPending" ("eventId", "receivedAt") VALUES ($1::bigint, $2::timestamptz)`,
      [String(event.id), receivedAt.toISOString()],
    );
    const parsed = parseWebhookBody(JSON.stringify(body), null);
    if (!parsed.ok) throw new Error(parsed.error);
    const facts = factsFor({ ...parsed.event, eventType: "esim.installed" }, receivedAt);

    await signInAs("admin");
    const erased = await eraseTravelerAction(null, form({ externalUserId: id, confirmId: id }));
    if (!erased.ok) throw new Error(erased.message);
    // The projector gets to write after the erasure committed.
    deferProjections([{ eventId: String(event.id), receivedAt, facts }]);
    await settleProjections();
    expect(await projectLeftBehind({ olderThanMs: 0 })).toBe(0);
    expect(await db().traveler.count({ where: { externalUserId: id } })).toBe(0);
    expect(await db().webhookEvent.count({ where: { externalUserId: id } })).toBe(0);
  });

  it("a legal hold refuses erasure with its reason, by staff and by the retention job, until it is cleared", async () => {
    await travelerEverywhere("held_user_5", {
      email: "held5@example.com",
      iccid: "8901000000000000505",
      expiredDaysAgo: 400,
    });
    await signInAs("support");
    expect(await setLegalHoldAction(null, form({ externalUserId: "held_user_5", reason: "Case 42" }))).toEqual({
      ok: false,
      message: FORBIDDEN_MESSAGE,
    });
    await signInAs("admin");
    expect(await setLegalHoldAction(null, form({ externalUserId: "held_user_5", reason: "" }))).toMatchObject({
      ok: false,
      fieldErrors: { reason: [expect.any(String)] },
    });
    expect(
      await setLegalHoldAction(null, form({ externalUserId: "held_user_5", reason: "Chargeback dispute #42" })),
    ).toEqual({
      ok: true,
      data: { reason: "Chargeback dispute #42" },
    });
    const refused = await eraseTravelerAction(null, form({ externalUserId: "held_user_5", confirmId: "held_user_5" }));
    expect(refused).toMatchObject({
      ok: false,
      message: expect.stringContaining("legal hold (“Chargeback dispute #42”)"),
    });
    expect(
      await db().auditEntry.count({
        where: { action: "privacy.erase", result: "refused", externalUserId: "held_user_5" },
      }),
    ).toBe(1);

    const admin = await makeStaff("admin");
    await setRetentionDays(30, admin);
    expect(await runPrivacyJob()).toMatchObject({ retention: 0 });
    expect(await db().traveler.count({ where: { externalUserId: "held_user_5" } })).toBe(1);
    await setRetentionDays(null, admin);
  });

  it("the daily job pseudonymises travelers N days after their last package expired, and ids seen again after erasure", async () => {
    await travelerEverywhere("old_trip_6", {
      email: "old6@example.com",
      iccid: "8901000000000000606",
      expiredDaysAgo: 40,
    });
    await travelerEverywhere("recent_trip_9", {
      email: "recent9@example.com",
      iccid: "8901000000000000909",
      expiredDaysAgo: 10,
    });
    const admin = await makeStaff("admin");
    // Off by default: nothing happens.
    expect(await runPrivacyJob()).toMatchObject({ retention: 0 });
    await signInAs("support");
    expect(await setRetentionAction(null, form({ days: "30" }))).toEqual({ ok: false, message: FORBIDDEN_MESSAGE });
    await signInAs("admin");
    expect(await setRetentionAction(null, form({ days: "31" }))).toMatchObject({
      ok: false,
      fieldErrors: { days: [expect.any(String)] },
    });
    expect(await setRetentionAction(null, form({ days: "30" }))).toEqual({ ok: true, data: { days: 30 } });
    expect(await db().auditEntry.count({ where: { action: "settings.privacy_retention", result: "ok" } })).toBe(1);
    const outcome = await runPrivacyJob();
    expect(outcome.retention).toBe(1);
    expect(await traces("old_trip_6")).toEqual([]);
    expect(await db().traveler.count({ where: { externalUserId: "recent_trip_9" } })).toBe(1);
    const entry = await db().auditEntry.findFirstOrThrow({ where: { action: "privacy.retention_erase" } });
    expect(entry).toMatchObject({ actorId: null, externalUserId: pseudonymFor("old_trip_6") });

    // A webhook for the erased id arrives later and is projected as a new traveler: the next run erases it again.
    const now = new Date();
    await db().traveler.create({ data: { externalUserId: "old_trip_6", firstSeenAt: now, lastSeenAt: now } });
    await db().webhookEvent.create({
      data: {
        eventType: "esim.installed",
        dedupeKey: "late-6",
        headers: {},
        rawBody: '{"external_user_id":"old_trip_6"}',
        status: "processed",
        externalUserId: "old_trip_6",
      },
    });
    expect(await runPrivacyJob()).toMatchObject({ lateEvents: 1 });
    expect(await traces("old_trip_6")).toEqual([]);
    expect(await db().traveler.count({ where: { externalUserId: pseudonymFor("old_trip_6") } })).toBe(1);
    await setRetentionDays(null, admin);
  });
});
