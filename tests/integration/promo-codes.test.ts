import crypto from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { previewPromoCodesAction, sendPromoCodesAction } from "@/app/(console)/bookings/new/promo-actions";
import { reconcileBookingAction } from "@/app/(console)/bookings/[id]/actions";
import { GET as exportCsv } from "@/app/(console)/promo-codes/export.csv/route";
import PromoCodesPage from "@/app/(console)/promo-codes/page";
import { refreshCatalog } from "@/lib/catalog/catalog";
import { dryRunCampaign } from "@/lib/campaigns/dry-run";
import { runCampaign } from "@/lib/campaigns/worker";
import { db } from "@/lib/db";
import { resetEnvCache, SANDBOX_CREDENTIALS } from "@/lib/env";
import { resetHubbyClient } from "@/lib/hubby";
import { HubbyClient } from "@/lib/hubby/client";
import { computeSignature } from "@/lib/hubby/signing";
import { parsePromoCodeQuery } from "@/lib/promo-codes/filters";
import { listPromoCodes, promoCodeCounts } from "@/lib/promo-codes/queries";
import { promoCodeInsert, storeMissingPromoCodes } from "@/lib/promo-codes/store";
import type { Sandbox } from "@/lib/hubby-sandbox/sandbox";
import { form, makeStaff, signInAs } from "../support/factories";
import { startTestSandbox } from "../support/sandbox";
import { setSession } from "../support/session";
import { envelope, startNodeReceiver, WEBHOOK_KEY } from "../support/webhooks";
import { REFERENCE_PROMO_CODE_FIELDS } from "../support/hubby-reference";

// Promo-code bookings end to end against the sandbox: a booking without external_user_id returns codes (reference
// §4.1), issued one by one or from a campaign file through the intent ledger (one POST per intent), stored with
// their links, marked redeemed by promo_code.redeemed (envelope and legacy form) through the real receiver, and
// listed, counted and exported on the screen.

let sandbox: Sandbox;
let receiver: Awaited<ReturnType<typeof startNodeReceiver>>;
let hubby: HubbyClient;

beforeAll(async () => {
  process.env.HUBBY_WEBHOOK_API_KEY = WEBHOOK_KEY;
  resetEnvCache();
  receiver = await startNodeReceiver();
  // The sandbox's webhooks go to the console's real receiver; the console's own client talks to the sandbox.
  sandbox = await startTestSandbox({
    webhookUrl: receiver.url,
    webhook: {
      url: receiver.url,
      apiKey: WEBHOOK_KEY,
      authHeader: "x-api-key",
      authPrefix: "",
      timestampHeader: "x-hubby-timestamp",
    },
    credentials: { apiKey: SANDBOX_CREDENTIALS.apiKey, apiSecret: SANDBOX_CREDENTIALS.apiSecret },
  });
  process.env.HUBBY_SANDBOX_PORT = new URL(sandbox.url).port;
  resetEnvCache();
  resetHubbyClient();
  hubby = new HubbyClient({ baseUrl: `${sandbox.url}/api`, ...SANDBOX_CREDENTIALS, timeoutMs: 2_000 });
  await refreshCatalog(hubby);
});
afterAll(async () => {
  await sandbox?.close();
  await receiver?.close();
  delete process.env.HUBBY_SANDBOX_PORT;
  delete process.env.HUBBY_WEBHOOK_API_KEY;
  resetEnvCache();
  resetHubbyClient();
});
beforeEach(() => sandbox.faults.clear());

const today = new Date().toISOString().slice(0, 10);
const inTwoDays = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
const EXAMPLE_FIELDS = [...REFERENCE_PROMO_CODE_FIELDS].sort();

/** Bookings the sandbox made for a reference: one per POST that reached it. */
const postsFor = (reference: string) =>
  sandbox.world.bookings.filter((booking) => booking.booking_id === reference).length;

/** A signed request to the sandbox, answered as it came (not through the client's schemas). */
async function rawCall(method: "GET" | "POST", path: string, body?: unknown) {
  const timestamp = String(Date.now());
  const response = await fetch(`${sandbox.url}${path}`, {
    method,
    headers: {
      "content-type": "application/json",
      "x-api-key": SANDBOX_CREDENTIALS.apiKey,
      "x-timestamp": timestamp,
      "x-signature": computeSignature(SANDBOX_CREDENTIALS.apiSecret, timestamp, method, path),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as { success: boolean; data: unknown } };
}

function promoForm(values: Record<string, string> = {}) {
  return form({
    clientKey: crypto.randomUUID(),
    codes: "3",
    specs: JSON.stringify([{ destinations: ["TR"], packageType: "data-limited", size: "1GB" }]),
    departureDate: today,
    locale: "",
    customBranding: "",
    ...values,
  });
}

describe("the sandbox's promo-code flow", () => {
  it("answers a booking without external_user_id with one code per specification, data as an array", async () => {
    const reference = `hpc-raw-${crypto.randomUUID()}`;
    const reply = await rawCall("POST", "/api/bookings", {
      booking_id: reference,
      departure_date: inTwoDays,
      package_specifications: [
        { destination: "TR", size: "1GB", package_type: "data-limited" },
        { destination: "GR", size: "3GB", package_type: "data-limited" },
      ],
    });
    expect(reply.status).toBe(201);
    expect(Array.isArray(reply.json.data)).toBe(true);
    const [booking] = reply.json.data as { id: string; promo_codes: Record<string, unknown>[] }[];
    expect(Object.keys(booking!).sort()).toEqual(["id", "promo_codes"]);
    expect(booking!.promo_codes).toHaveLength(2);
    for (const code of booking!.promo_codes) expect(Object.keys(code).sort()).toEqual(EXAMPLE_FIELDS);
    expect(booking!.promo_codes[0]).toMatchObject({
      promo_code: expect.stringMatching(/^[A-Z0-9]{10}$/),
      uuid: expect.stringMatching(/^[0-9a-f-]{36}$/),
      claim_url: expect.stringMatching(/^https:\/\/platform\.hubbyesim\.com\/free-esim\/[a-z-]+\?uuid=[0-9a-f-]{36}$/),
      deep_link_url: expect.stringMatching(/^https:\/\/hubby-esim\.web\.app\/starter\/\?promoCode=[A-Z0-9]{10}$/),
      package_size: "1GB",
      destination: "Türkiye",
      iso3: "TUR",
      package_type: "data-limited",
      package_duration: expect.any(Number),
    });
    expect(booking!.promo_codes[1]).toMatchObject({ destination: "Greece", iso3: "GRC", package_size: "3GB" });
    // The stored booking lists them too, so a lost reply can be reconciled with its codes.
    const listed = await rawCall("GET", `/api/bookings?bookingId=${reference}`);
    expect((listed.json.data as { promo_codes?: unknown[] }[])[0]?.promo_codes).toEqual(booking!.promo_codes);
  });
});

describe("issuing promo codes from the booking screen", () => {
  it("previews the exact request and cost, then issues once: codes stored with their links", async () => {
    await signInAs("campaign_manager");
    const values = promoForm();
    const reference = `hpc-${values.get("clientKey")}`;
    const preview = await previewPromoCodesAction(null, values);
    if (!preview.ok || preview.data.outcome !== "preview") throw new Error(JSON.stringify(preview));
    expect(preview.data.request).toEqual({
      booking_id: reference,
      departure_date: today,
      package_specifications: Array(3).fill({ destination: "TR", package_type: "data-limited", size: "1GB" }),
    });
    expect(preview.data.quote.total.costCents).toBe(preview.data.quote.perTraveler.costCents * 3);
    expect(preview.data.quote.total.costCents).toBeGreaterThan(0);
    expect(postsFor(reference)).toBe(0);

    const sent = await sendPromoCodesAction(null, values);
    expect(sent).toMatchObject({
      ok: true,
      data: { outcome: "sent", message: expect.stringMatching(/^3 promo codes/) },
    });
    // A double click or a second tab: the same intent, nothing sent again.
    expect(await sendPromoCodesAction(null, values)).toMatchObject({ ok: true, data: { outcome: "existing" } });
    expect(postsFor(reference)).toBe(1);

    const intent = await db().bookingIntent.findUniqueOrThrow({ where: { reference } });
    expect(intent).toMatchObject({ kind: "promo_codes", status: "SENT", externalUserIds: [], attempts: 1 });
    const codes = await db().promoCode.findMany({ where: { intentId: intent.id }, orderBy: { code: "asc" } });
    const atSandbox = sandbox.world.bookings.find((booking) => booking.booking_id === reference)!.promo_codes!;
    expect(codes.map((code) => code.code)).toEqual(atSandbox.map((code) => code.promo_code).sort());
    for (const code of codes) {
      const issued = atSandbox.find((entry) => entry.promo_code === code.code)!;
      expect(code).toMatchObject({
        uuid: issued.uuid,
        claimUrl: issued.claim_url,
        deepLinkUrl: issued.deep_link_url,
        packageSize: "1GB",
        destination: "Türkiye",
        iso3: "TUR",
        hubbyBookingId: intent.hubbyBookingId,
        campaignId: null,
        redeemedAt: null,
      });
      expect(code.issuedAt).toBeInstanceOf(Date);
    }
    const audits = await db().auditEntry.findMany({ where: { action: "promo_codes.issue", targetId: intent.id } });
    expect(audits).toEqual([
      expect.objectContaining({ result: "ok", details: expect.objectContaining({ codes: 3, storedCodes: 3 }) }),
    ]);
  });

  it("checks the form: a number of codes, one destination, not a past date", async () => {
    await signInAs("admin");
    const result = await previewPromoCodesAction(
      null,
      promoForm({
        codes: "0",
        specs: JSON.stringify([{ destinations: ["TR", "GR"], packageType: "data-limited", size: "1GB" }]),
        departureDate: "2020-01-01",
      }),
    );
    expect(result).toMatchObject({
      ok: false,
      fieldErrors: {
        codes: [expect.stringMatching(/at least one/i)],
        "specs.0.destinations": [expect.stringMatching(/one destination/)],
        departureDate: [expect.stringMatching(/past/)],
      },
    });
  });

  it("refuses support: preview and send, audited; nothing is sent", async () => {
    await signInAs("support");
    const before = sandbox.world.bookings.length;
    expect(await previewPromoCodesAction(null, promoForm())).toMatchObject({ ok: false });
    expect(await sendPromoCodesAction(null, promoForm())).toMatchObject({ ok: false });
    expect(sandbox.world.bookings.length).toBe(before);
    expect(await db().auditEntry.count({ where: { action: "promo_codes.issue", result: "refused" } })).toBe(2);
  });

  it("reconciles a promo-code booking whose reply was lost and stores its codes from Hubby's listing", async () => {
    await signInAs("campaign_manager");
    sandbox.faults.add({ kind: "drop_after_commit", method: "POST", path: "/bookings", times: 1 });
    const values = promoForm({ codes: "2" });
    const reference = `hpc-${values.get("clientKey")}`;
    expect(await sendPromoCodesAction(null, values)).toMatchObject({ ok: true, data: { outcome: "unknown" } });
    const intent = await db().bookingIntent.findUniqueOrThrow({ where: { reference } });
    expect(await db().promoCode.count({ where: { intentId: intent.id } })).toBe(0);
    // Support may not act on it: it is not a top-up.
    await signInAs("support");
    expect(await reconcileBookingAction(null, form({ intentId: intent.id }))).toMatchObject({ ok: false });
    await signInAs("campaign_manager");
    process.env.HUBBY_TIMEOUT_MS = "1000";
    resetEnvCache();
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const reconciled = await reconcileBookingAction(null, form({ intentId: intent.id }));
    delete process.env.HUBBY_TIMEOUT_MS;
    resetEnvCache();
    expect(reconciled).toMatchObject({ ok: true, data: { status: "SENT" } });
    expect(await db().promoCode.count({ where: { intentId: intent.id } })).toBe(2);
    expect(postsFor(reference)).toBe(1);
  });
});

describe("promo codes from a campaign file", () => {
  it("rows without external_user_id issue one code each, stored with campaign and line; one POST per row", async () => {
    const actor = await makeStaff("campaign_manager");
    const header = "external_user_id,destination,size,package_type,departure_date,locale,custom_branding\n";
    const result = await dryRunCampaign({
      name: "Summer codes",
      fileName: "summer.csv",
      actor,
      source: [
        Buffer.from(
          header +
            `,GR,1GB,data-limited,${inTwoDays},,\n` +
            `cmp_traveler_1,GR,1GB,data-limited,${inTwoDays},,\n` +
            `,GR,1GB,data-limited,${inTwoDays},,\n` +
            `,TR,1GB,,${inTwoDays},,\n` +
            `,ZZ,1GB,,${inTwoDays},,\n`,
        ),
      ],
    });
    if (result.outcome !== "stored") throw new Error(JSON.stringify(result));
    expect(result.summary).toMatchObject({ rows: 5, valid: 4, errors: 1, promoCodes: 3 });
    const campaign = await db().campaign.findUniqueOrThrow({ where: { id: result.campaignId } });
    // Two identical promo-code rows are two codes, not a duplicate; the travelers count only travelers.
    expect(campaign).toMatchObject({ validCount: 4, travelers: 1, promoCodeRows: 3 });
    const rows = await db().campaignRow.findMany({ where: { campaignId: campaign.id }, orderBy: { line: "asc" } });
    expect(rows.map((row) => [row.line, row.state, row.externalUserId])).toEqual([
      [2, "pending", ""],
      [3, "pending", "cmp_traveler_1"],
      [4, "pending", ""],
      [5, "pending", ""],
      [6, "invalid", ""],
    ]);
    expect(rows[0]!.payload).toMatchObject({
      package_specifications: [{ destination: "GR", package_type: "data-limited", size: "1GB" }],
    });

    await db().campaign.update({ where: { id: campaign.id }, data: { status: "running" } });
    // The first promo-code row's reply is lost after Hubby committed it: reconciled (its codes from Hubby's
    // listing of the booking), never resent. The others are settled with their codes in one statement.
    sandbox.faults.add({ kind: "drop_after_commit", method: "POST", path: "/bookings", times: 1 });
    await runCampaign(campaign.id, { hubby, concurrency: 1, quietMs: 0 });

    const settled = await db().campaignRow.findMany({
      where: { campaignId: campaign.id, state: { not: "invalid" } },
      orderBy: { line: "asc" },
    });
    expect(settled.map((row) => row.state)).toEqual(["sent", "sent", "sent", "sent"]);
    for (const row of settled) expect(postsFor(`hpc-campaign-${campaign.id}-${row.line}`)).toBe(1);
    const intents = await db().bookingIntent.findMany({
      where: { clientKey: { startsWith: `campaign-${campaign.id}-` } },
      orderBy: { clientKey: "asc" },
    });
    expect(intents.map((intent) => intent.kind).sort()).toEqual(["issue", "promo_codes", "promo_codes", "promo_codes"]);
    const lost = intents.find((intent) => intent.clientKey === `campaign-${campaign.id}-2`)!;
    expect(
      await db().bookingIntentEvent.count({
        where: { intentId: lost.id, note: { startsWith: "Reconciled: booking" } },
      }),
    ).toBe(1);

    const codes = await db().promoCode.findMany({
      where: { campaignId: campaign.id },
      orderBy: { campaignLine: "asc" },
    });
    expect(codes.map((code) => code.campaignLine)).toEqual([2, 4, 5]);
    expect(codes.map((code) => code.iso3)).toEqual(["GRC", "GRC", "TUR"]);
    for (const code of codes) {
      const row = settled.find((entry) => entry.line === code.campaignLine)!;
      expect(code).toMatchObject({ intentId: row.intentId, hubbyBookingId: row.hubbyBookingId });
      expect(code.claimUrl).toMatch(/^https:\/\/platform\.hubbyesim\.com\//);
    }
    const counts = await promoCodeCounts();
    expect(counts.byCampaign).toContainEqual({ campaignId: campaign.id, name: "Summer codes", issued: 3, redeemed: 0 });
  });
});

describe("redemptions (promo_code.redeemed)", () => {
  it("marks a stored code redeemed from the envelope and from the legacy flat form", async () => {
    await signInAs("campaign_manager");
    const values = promoForm({ codes: "2" });
    await sendPromoCodesAction(null, values);
    const intent = await db().bookingIntent.findUniqueOrThrow({
      where: { reference: `hpc-${values.get("clientKey")}` },
    });
    const [first, second] = await db().promoCode.findMany({ where: { intentId: intent.id }, orderBy: { code: "asc" } });

    const viaEnvelope = await receiver.deliver(
      envelope("promo_code.redeemed", {
        promocode: first!.code,
        booking_id: intent.hubbyBookingId,
        redeemed_at: "2026-07-15T14:30:00Z",
      }),
    );
    expect(viaEnvelope.status).toBe(200);
    const viaLegacy = await receiver.deliver(
      JSON.stringify({ promocode: second!.code, booking_id: "booking_redeemer", redeemed_at: "2026-01-03" }),
    );
    expect(viaLegacy.status).toBe(200);

    expect(await db().promoCode.findUniqueOrThrow({ where: { code: first!.code } })).toMatchObject({
      intentId: intent.id,
      redeemedAt: new Date("2026-07-15T14:30:00Z"),
      redemptionBookingId: intent.hubbyBookingId,
    });
    expect(await db().promoCode.findUniqueOrThrow({ where: { code: second!.code } })).toMatchObject({
      intentId: intent.id,
      redeemedAt: new Date("2026-01-03T00:00:00Z"),
      redemptionBookingId: "booking_redeemer",
    });
    // A later, repeated redemption of the same code changes nothing: the first one stands.
    await receiver.deliver(
      envelope("promo_code.redeemed", {
        promocode: first!.code,
        booking_id: "b_late",
        redeemed_at: "2026-08-01T00:00:00Z",
      }),
    );
    expect((await db().promoCode.findUniqueOrThrow({ where: { code: first!.code } })).redeemedAt).toEqual(
      new Date("2026-07-15T14:30:00Z"),
    );
  });

  it("lists a redeemed code the console did not issue as issued outside the console, and claims it if issued later", async () => {
    const outside = `OUTSIDE${crypto.randomBytes(3).toString("hex").toUpperCase()}`;
    await receiver.deliver(
      envelope("promo_code.redeemed", {
        promocode: outside,
        booking_id: "booking_partner",
        redeemed_at: "2026-07-10T08:00:00Z",
      }),
    );
    const page = await listPromoCodes(parsePromoCodeQuery({ source: "outside", q: outside.toLowerCase() }));
    expect(page.rows).toEqual([
      expect.objectContaining({ code: outside, source: "outside", status: "redeemed", intentId: null, issuedAt: null }),
    ]);

    // The redemption arrived before the code's booking was stored (a settlement written behind the lane): the
    // booking claims the code and the redemption stays.
    const late = `LATE${crypto.randomBytes(3).toString("hex").toUpperCase()}`;
    await receiver.deliver(
      envelope("promo_code.redeemed", {
        promocode: late,
        booking_id: "booking_x",
        redeemed_at: "2026-07-11T08:00:00Z",
      }),
    );
    const intentId = crypto.randomUUID();
    const insert = promoCodeInsert([
      {
        origin: { intentId, hubbyBookingId: "booking_x", issuedAt: new Date(), campaignId: null, campaignLine: null },
        codes: [
          {
            code: late,
            uuid: "u",
            claimUrl: "https://platform.hubbyesim.com/free-esim/x?uuid=u",
            deepLinkUrl: null,
            packageId: null,
            packageSize: "1GB",
            destination: "Greece",
            iso3: "GRC",
            packageType: "data-limited",
            packageDuration: 365,
          },
        ],
      },
    ])!;
    await db().$executeRaw(insert);
    await db().$executeRaw(insert);
    expect(await db().promoCode.findUniqueOrThrow({ where: { code: late } })).toMatchObject({
      intentId,
      destination: "Greece",
      redeemedAt: new Date("2026-07-11T08:00:00Z"),
      redemptionBookingId: "booking_x",
    });
  });

  it("the sandbox's simulation redeems some issued codes over time and the console marks them", async () => {
    await signInAs("campaign_manager");
    const values = promoForm({ codes: "12" });
    await sendPromoCodesAction(null, values);
    const intent = await db().bookingIntent.findUniqueOrThrow({
      where: { reference: `hpc-${values.get("clientKey")}` },
    });
    await sandbox.advanceBy(15 * 86_400_000);
    const redeemedAtSandbox = (sandbox.world.promoCodes ?? [])
      .filter((code) => code.booking_id === intent.hubbyBookingId && code.redeemed_at)
      .map((code) => code.promo_code)
      .sort();
    expect(redeemedAtSandbox.length).toBeGreaterThan(0);
    const redeemed = await db().promoCode.findMany({
      where: { intentId: intent.id, redeemedAt: { not: null } },
      orderBy: { code: "asc" },
    });
    expect(redeemed.map((code) => code.code)).toEqual(redeemedAtSandbox);
    expect(redeemed.every((code) => code.redemptionBookingId === intent.hubbyBookingId)).toBe(true);
  });
});

describe("the promo-codes screen", () => {
  it("filters by status, origin, campaign, code and dates, and pages on the server", async () => {
    const all = await listPromoCodes(parsePromoCodeQuery({}));
    expect(all.total).toBeGreaterThan(10);
    expect(all.rows.length).toBeLessThanOrEqual(all.pageSize);
    const redeemed = await listPromoCodes(parsePromoCodeQuery({ status: "redeemed" }));
    expect(redeemed.rows.every((row) => row.redeemedAt !== null)).toBe(true);
    const issued = await listPromoCodes(parsePromoCodeQuery({ status: "issued", source: "console" }));
    expect(issued.rows.every((row) => row.redeemedAt === null && row.intentId !== null)).toBe(true);
    expect(redeemed.total + issued.total).toBeLessThanOrEqual(all.total);
    const single = await listPromoCodes(parsePromoCodeQuery({ campaign: "none" }));
    expect(single.rows.every((row) => row.campaignId === null && row.intentId !== null)).toBe(true);
    const byDate = await listPromoCodes(
      parsePromoCodeQuery({ dates: "redeemed", from: "2026-07-15", to: "2026-07-15" }),
    );
    expect(byDate.rows.length).toBeGreaterThan(0);
    expect(byDate.rows.every((row) => row.redeemedAt?.startsWith("2026-07-15"))).toBe(true);
    const code = all.rows[0]!.code;
    const search = await listPromoCodes(parsePromoCodeQuery({ q: code.slice(0, 6).toLowerCase() }));
    expect(search.rows.map((row) => row.code)).toContain(code);
    // Wildcards are taken literally.
    expect((await listPromoCodes(parsePromoCodeQuery({ q: "%" }))).total).toBe(0);
    const second = await listPromoCodes(parsePromoCodeQuery({ page: "2" }));
    expect(second.rows[0]?.code).not.toBe(all.rows[0]?.code);

    const counts = await promoCodeCounts();
    const issuedByConsole = await db().promoCode.count({ where: { intentId: { not: null } } });
    expect(counts.issued).toBe(issuedByConsole);
    expect(counts.redeemed).toBe(
      await db().promoCode.count({ where: { intentId: { not: null }, redeemedAt: { not: null } } }),
    );
    expect(counts.outside).toBe(await db().promoCode.count({ where: { intentId: null } }));
  });

  it("renders for every role that may look codes up, each view audited with its filter", async () => {
    const agent = await signInAs("support");
    await PromoCodesPage({ searchParams: Promise.resolve({ status: "redeemed", q: "\u0000" }) });
    expect(await db().auditEntry.findFirst({ where: { action: "promo_codes.view", actorId: agent.id } })).toMatchObject(
      {
        result: "ok",
        details: expect.objectContaining({ filter: "status=redeemed", page: 1 }),
      },
    );
  });

  it("exports the filter as CSV with formulas defused, audited; support is refused", async () => {
    await db().$executeRaw(
      promoCodeInsert([
        {
          origin: {
            intentId: crypto.randomUUID(),
            hubbyBookingId: "b_hostile",
            issuedAt: new Date(),
            campaignId: null,
            campaignLine: null,
          },
          codes: [
            {
              code: "=HOSTILE1",
              uuid: null,
              claimUrl: '=HYPERLINK("https://evil.test","claim")',
              deepLinkUrl: "+1",
              packageId: null,
              packageSize: null,
              destination: 'Trk, "quoted"',
              iso3: null,
              packageType: null,
              packageDuration: null,
            },
          ],
        },
      ])!,
    );
    const staff = await signInAs("campaign_manager");
    const response = await exportCsv(new Request("http://console.test/promo-codes/export.csv?q=%3DHOSTILE"));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toMatch(/attachment; filename="promo-codes-.*\.csv"/);
    const lines = (await response.text()).trimEnd().split("\r\n");
    expect(lines[0]).toMatch(/^promo_code,status,issued_by,uuid,claim_url,deep_link_url,/);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`'=HOSTILE1,issued,console,,"'=HYPERLINK(""https://evil.test"",""claim"")",'+1`);
    expect(lines[1]).toContain(`"Trk, ""quoted"""`);
    expect(
      await db().auditEntry.findFirst({ where: { action: "promo_codes.export", actorId: staff.id } }),
    ).toMatchObject({
      result: "ok",
      details: { filter: "q=%3DHOSTILE", rows: 1 },
    });

    // A filter it cannot read is refused rather than exporting other codes.
    const unreadable = await exportCsv(new Request("http://console.test/promo-codes/export.csv?q=%00&from=2026-13-45"));
    expect(unreadable.status).toBe(400);
    expect(await unreadable.text()).toMatch(/could not be read: q, from/);

    // Every code of a wider filter, across batches of the export, in the list's order.
    const everything = (await (await exportCsv(new Request("http://console.test/promo-codes/export.csv"))).text())
      .trimEnd()
      .split("\r\n");
    expect(everything).toHaveLength((await db().promoCode.count()) + 1);

    await signInAs("support");
    await expect(exportCsv(new Request("http://console.test/promo-codes/export.csv"))).rejects.toMatchObject({
      digest: "NEXT_HTTP_ERROR_FALLBACK;403",
    });
    setSession(null);
    await expect(exportCsv(new Request("http://console.test/promo-codes/export.csv"))).rejects.toMatchObject({
      digest: expect.stringMatching(/^NEXT_REDIRECT/),
    });
  });

  it("catches up the codes of a SENT booking whose codes were never written (a stop between the two)", async () => {
    await signInAs("admin");
    // The sandbox's clock ran ahead 15 days above: a departure beyond it.
    const values = promoForm({
      codes: "2",
      departureDate: new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10),
    });
    expect(await sendPromoCodesAction(null, values)).toMatchObject({ ok: true, data: { outcome: "sent" } });
    const intent = await db().bookingIntent.findUniqueOrThrow({
      where: { reference: `hpc-${values.get("clientKey")}` },
    });
    const stored = await db().promoCode.findMany({ where: { intentId: intent.id } });
    await db().promoCode.deleteMany({ where: { intentId: intent.id } });
    expect(await storeMissingPromoCodes()).toBe(2);
    expect((await db().promoCode.findMany({ where: { intentId: intent.id } })).map((code) => code.code).sort()).toEqual(
      stored.map((code) => code.code).sort(),
    );
    expect(await storeMissingPromoCodes()).toBe(0);
  });
});
