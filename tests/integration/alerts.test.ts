import crypto from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type PgBoss from "pg-boss";
import { evaluateAlerts } from "@/lib/alerts/evaluate";
import {
  acknowledgeIncident,
  listIncidents,
  markIncidentsSeen,
  saveSubscriptions,
  unreadIncidentCount,
} from "@/lib/alerts/incidents";
import { updateRule } from "@/lib/alerts/settings";
import { getDatabase, db } from "@/lib/db";
import { resetEnvCache } from "@/lib/env";
import { createBoss } from "@/lib/jobs/jobs";
import { makeStaff } from "../support/factories";
import { eventually, testJobSchema } from "../support/jobs";
import { startChatReceiver, startSmtpSink, type ChatReceiver, type SmtpSink } from "../support/smtp-sink";

// Alerts end to end below the screens: rules evaluated against the database, incidents opened, reminded and
// resolved once, real email delivered to an SMTP server started here (parsed with mailparser) and chat messages to
// a local receiver. Runs on in-memory PGlite and, with TEST_DATABASE_URL, on PostgreSQL.
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

let smtp: SmtpSink;
let chat: ChatReceiver;
const admin = { id: "", email: "" };
let support: Awaited<ReturnType<typeof makeStaff>>;

beforeAll(async () => {
  smtp = await startSmtpSink();
  chat = await startChatReceiver();
  process.env.SMTP_URL = smtp.url;
  process.env.ALERT_EMAIL_FROM = "Alerts <alerts@console.test>";
  process.env.ALERT_CHAT_WEBHOOK_URL = chat.url;
  // The local chat receiver listens on loopback, which the chat's filtering agent refuses without this.
  process.env.ALERT_CHAT_ALLOW_PRIVATE = "true";
  process.env.NEXTAUTH_URL = "https://console.example.test";
  resetEnvCache();
  const adminUser = await makeStaff("admin", { email: "admin@console.test" });
  Object.assign(admin, { id: adminUser.id, email: adminUser.email });
  support = await makeStaff("support", { email: "support@console.test" });
  await makeStaff("campaign_manager", { email: "manager@console.test" });
});

afterAll(async () => {
  await smtp.close();
  await chat.close();
  for (const name of [
    "SMTP_URL",
    "ALERT_EMAIL_FROM",
    "ALERT_CHAT_WEBHOOK_URL",
    "ALERT_CHAT_ALLOW_PRIVATE",
    "NEXTAUTH_URL",
  ])
    delete process.env[name];
  resetEnvCache();
});

beforeEach(async () => {
  await db().alertIncident.deleteMany();
  await db().alertRule.deleteMany();
  await db().alertSubscription.deleteMany();
  await db().bookingIntent.deleteMany();
  await db().travelerBooking.deleteMany();
  await db().traveler.deleteMany();
  await db().apiCall.deleteMany();
  await db().campaign.deleteMany();
  smtp.messages.length = 0;
  smtp.recipients.length = 0;
  chat.bodies.length = 0;
  chat.status = 200;
});

async function unknownIntent() {
  return db().bookingIntent.create({
    data: {
      clientKey: crypto.randomUUID(),
      reference: `hpc-test-${crypto.randomUUID()}`,
      kind: "issue",
      status: "UNKNOWN",
      payload: {},
      externalUserIds: ["cust_lost_reply"],
      destinations: ["GR"],
      actorEmail: admin.email,
    },
  });
}

describe("alert incidents", () => {
  it("opens once, reminds at most every N hours, stops reminding when acknowledged, resolves once", async () => {
    const intent = await unknownIntent();
    const t0 = new Date(Date.now() + 31 * MINUTE);

    // Not yet UNKNOWN for 30 minutes: nothing.
    expect((await evaluateAlerts({ now: new Date() })).opened).toBe(0);

    expect(await evaluateAlerts({ now: t0 })).toMatchObject({ opened: 1, reminded: 0, resolved: 0 });
    // Admins get every operational rule by default; support and campaign managers do not get this one.
    expect(smtp.recipients).toEqual([["admin@console.test"]]);
    const [opened] = smtp.messages;
    expect(opened!.subject).toBe("[Hubby console] Alert: 1 booking UNKNOWN for more than 30 min");
    expect(opened!.from?.text).toBe('"Alerts" <alerts@console.test>');
    // The message links to the exact screen: this booking.
    expect(opened!.text).toContain(`https://console.example.test/bookings/${intent.id}`);
    expect(opened!.html).toContain(`href="https://console.example.test/bookings/${intent.id}"`);
    expect(chat.bodies).toHaveLength(1);
    expect(chat.bodies[0]!.text).toContain(
      `*Alert*: <https://console.example.test/bookings/${intent.id}|1 booking UNKNOWN for more than 30 min>`,
    );

    // Still true an hour later: no second message (the reminder is due after 4 hours).
    expect(await evaluateAlerts({ now: new Date(t0.getTime() + HOUR) })).toMatchObject({ opened: 0, reminded: 0 });
    expect(smtp.messages).toHaveLength(1);

    expect(await evaluateAlerts({ now: new Date(t0.getTime() + 4 * HOUR) })).toMatchObject({ reminded: 1 });
    expect(smtp.messages.map((message) => message.subject)).toEqual([
      "[Hubby console] Alert: 1 booking UNKNOWN for more than 30 min",
      "[Hubby console] Still open: 1 booking UNKNOWN for more than 30 min",
    ]);
    expect(chat.bodies[1]!.text).toMatch(/^\*Still open\*/);

    const [incident] = await db().alertIncident.findMany();
    await acknowledgeIncident(incident!.id.toString(), {
      id: admin.id,
      email: admin.email,
      name: "Test admin",
      role: "admin",
    });
    await expect(acknowledgeIncident(incident!.id.toString(), { ...support, role: "support" })).rejects.toThrow(
      "Already acknowledged by Test admin.",
    );
    expect(await evaluateAlerts({ now: new Date(t0.getTime() + 9 * HOUR) })).toMatchObject({ reminded: 0 });
    expect(smtp.messages).toHaveLength(2);

    await db().bookingIntent.update({ where: { id: intent.id }, data: { status: "SENT" } });
    const resolvedAt = new Date(t0.getTime() + 10 * HOUR);
    expect(await evaluateAlerts({ now: resolvedAt })).toMatchObject({ resolved: 1 });
    expect(await evaluateAlerts({ now: new Date(t0.getTime() + 11 * HOUR) })).toMatchObject({ resolved: 0 });
    expect(smtp.messages.map((message) => message.subject)).toEqual([
      "[Hubby console] Alert: 1 booking UNKNOWN for more than 30 min",
      "[Hubby console] Still open: 1 booking UNKNOWN for more than 30 min",
      "[Hubby console] Resolved: 1 booking UNKNOWN for more than 30 min",
    ]);
    expect(chat.bodies.map((body) => body.text.split(":")[0])).toEqual(["*Alert*", "*Still open*", "*Resolved*"]);

    const { rows } = await listIncidents({ role: "admin" }, { state: "resolved", rule: "all", page: 1 });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      ruleKey: "booking_intent_unknown",
      reminders: 1,
      acknowledgedBy: "Test admin (admin@console.test)",
      resolvedAt: resolvedAt,
      deliveryError: null,
    });

    // The condition comes back: a new incident, not the old one reopened.
    await unknownIntent();
    expect(await evaluateAlerts({ now: new Date(t0.getTime() + 12 * HOUR) })).toMatchObject({ opened: 1 });
    expect(await db().alertIncident.count()).toBe(2);
  });

  it("opens one incident per rule and scope with two workers evaluating at once", async () => {
    await unknownIntent();
    const now = new Date(Date.now() + HOUR);
    const outcomes = await Promise.all([evaluateAlerts({ now }), evaluateAlerts({ now }), evaluateAlerts({ now })]);
    expect(outcomes.map((outcome) => outcome.opened).reduce((a, b) => a + b)).toBe(1);
    expect(await db().alertIncident.count()).toBe(1);
    expect(smtp.messages).toHaveLength(1);
    expect(chat.bodies).toHaveLength(1);
  });

  it("runs the evaluation as a stately job: two instances, one evaluation waiting, one incident", async () => {
    await unknownIntent();
    await updateRule(
      { key: "booking_intent_unknown", enabled: true, threshold: 1, remindHours: 4, scope: "" },
      { id: admin.id, email: admin.email },
    );
    const schema = testJobSchema();
    const bosses: PgBoss[] = [];
    try {
      for (let index = 0; index < 2; index++) {
        const boss = createBoss(getDatabase(), { schema, schedules: false });
        boss.on("error", (error) => console.error("[test boss]", error));
        await boss.start();
        bosses.push(boss);
      }
      await bosses[0]!.createQueue("alerts-evaluate", { name: "alerts-evaluate", policy: "stately" });
      // Both instances ask for an evaluation before either works: the stately queue keeps one.
      const sent = [
        await bosses[0]!.send("alerts-evaluate", { trigger: "schedule" }),
        await bosses[1]!.send("alerts-evaluate", { trigger: "schedule" }),
      ];
      expect(sent.filter(Boolean)).toHaveLength(1);
      let runs = 0;
      for (const boss of bosses) {
        await boss.work("alerts-evaluate", { pollingIntervalSeconds: 0.5 }, async () => {
          runs++;
          await evaluateAlerts({ now: new Date(Date.now() + 2 * MINUTE) });
        });
      }
      await eventually("the evaluation to open its incident", async () =>
        (await db().alertIncident.count()) > 0 ? true : undefined,
      );
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(runs).toBe(1);
      expect(await db().alertIncident.count()).toBe(1);
      expect(smtp.messages).toHaveLength(1);
    } finally {
      for (const boss of bosses) await boss.stop({ graceful: false, close: false });
    }
  });

  it("sends one digest listing the travelers departing soon without an installed eSIM, to those subscribed", async () => {
    const now = new Date();
    const seen = { firstSeenAt: now, lastSeenAt: now };
    const traveler = (externalUserId: string, esimState: string | null) =>
      db().traveler.create({ data: { externalUserId, esimState, ...seen } });
    const departs = (externalUserId: string, hours: number) =>
      db().travelerBooking.create({
        data: {
          bookingId: `bk-${externalUserId}`,
          externalUserId,
          departureDate: new Date(now.getTime() + hours * HOUR).toISOString(),
          departsAt: new Date(now.getTime() + hours * HOUR),
          ...seen,
        },
      });
    await traveler("cust_soon_a", null);
    await traveler("cust_soon_b", null);
    await traveler("cust_installed", "installed");
    await traveler("cust_later", null);
    await traveler("cust/slash", null);
    await departs("cust_soon_a", 10);
    await departs("cust_soon_b", 30);
    await departs("cust_installed", 10);
    await departs("cust_later", 100);
    await departs("cust/slash", 20);
    // A second support member chose not to get it.
    const quiet = await makeStaff("support", { email: "quiet@console.test" });
    await saveSubscriptions({ id: quiet.id, role: "support" }, ["usage_crossed_80"]);

    expect(await evaluateAlerts({ now })).toMatchObject({ opened: 1 });
    // Support gets it by default; the admin (operational rules by default) and the campaign manager (campaigns by
    // default) do not, nor the support member who opted out.
    expect(smtp.recipients).toEqual([["support@console.test"]]);
    const [digest] = smtp.messages;
    expect(digest!.subject).toBe("[Hubby console] Alert: 3 travelers departing within 48 h without an installed eSIM");
    const listed = [...digest!.text!.matchAll(/^- (\S+) \(departs [^)]+\): (\S+)$/gm)].map((match) => [
      match[1],
      match[2],
    ]);
    expect(listed).toEqual([
      ["cust_soon_a", "https://console.example.test/travelers/cust_soon_a"],
      ["cust/slash", "https://console.example.test/travelers/cust%2Fslash"],
      ["cust_soon_b", "https://console.example.test/travelers/cust_soon_b"],
    ]);
    expect(digest!.text).toContain(
      "Open: https://console.example.test/travelers?esim=not_installed&departing=48&sort=departure",
    );
    expect(chat.bodies[0]!.text).toContain("• <https://console.example.test/travelers/cust_soon_a|cust_soon_a>");
  });

  it("reads Hubby's health from the API log: error rate and unreachable, with the scope an admin set", async () => {
    await db().apiCall.deleteMany();
    const now = new Date();
    const call = (endpoint: string, ok: boolean, status: number | null, secondsAgo = 60) => ({
      at: new Date(now.getTime() - secondsAgo * 1000),
      environment: "SANDBOX",
      method: endpoint.split(" ")[0]!,
      endpoint,
      path: "/api/x",
      status,
      ok,
      durationMs: 40,
      requestId: crypto.randomUUID(),
      ...(status === null ? { errorKind: "network", errorMessage: "connect ECONNREFUSED" } : {}),
    });
    await db().apiCall.createMany({
      data: [
        ...Array.from({ length: 6 }, () => call("GET /destinations", true, 200, 120)),
        // An hour old: outside the 15 minutes.
        ...Array.from({ length: 10 }, () => call("POST /bookings", false, 503, 3_600)),
        ...Array.from({ length: 3 }, () => call("POST /bookings", false, null, 30)),
      ],
    });
    // 3 failed of 9 in 15 minutes is 33 %, over the default 20 %; the last 3 calls got no reply at all.
    await evaluateAlerts({ now });
    const open = await db().alertIncident.findMany({ where: { resolvedAt: null }, orderBy: { ruleKey: "asc" } });
    expect(open.map((incident) => [incident.ruleKey, incident.title, incident.link])).toEqual([
      ["hubby_error_rate", "Hubby API errors at 33 %", "/api-log"],
      ["hubby_unreachable", "Hubby is unreachable", "/api-log"],
    ]);
    // Scoped to one endpoint (and a lower threshold): only its calls count, none failed, so the incident resolves;
    // once one fails the link opens the API log filtered to it.
    await updateRule(
      { key: "hubby_error_rate", enabled: true, threshold: 10, remindHours: 2, scope: "GET /destinations" },
      { id: admin.id, email: admin.email },
    );
    await evaluateAlerts({ now });
    expect(await db().alertIncident.count({ where: { ruleKey: "hubby_error_rate", resolvedAt: null } })).toBe(0);
    await db().apiCall.createMany({ data: [call("GET /destinations", false, 500, 10)] });
    await evaluateAlerts({ now });
    expect(
      await db().alertIncident.findFirstOrThrow({ where: { ruleKey: "hubby_error_rate", resolvedAt: null } }),
    ).toMatchObject({ title: "Hubby API errors at 14 %", link: "/api-log?endpoint=GET+%2Fdestinations" });
    await db().apiCall.deleteMany();
  });

  it("opens one incident per campaign paused by its breaker, emailed to campaign managers by default", async () => {
    const campaign = (name: string) =>
      db().campaign.create({
        data: {
          name,
          fileName: `${name}.csv`,
          checksum: crypto.randomUUID(),
          status: "paused",
          statusNote: "Paused by the circuit breaker: 5 rows in a row got no reply from Hubby.",
          rowCount: 10,
          validCount: 10,
          errorCount: 0,
          travelers: 10,
          packages: 10,
          costCents: 0,
          priceCents: 0,
          currency: "EUR",
          perDestination: [],
          mapping: {},
          actorEmail: admin.email,
        },
      });
    const spring = await campaign("Spring");
    const summer = await campaign("Summer");
    await evaluateAlerts({ now: new Date(Date.now() + MINUTE) });
    const open = await db().alertIncident.findMany({
      where: { ruleKey: "campaign_breaker_paused", resolvedAt: null },
      orderBy: { title: "asc" },
    });
    expect(open.map((incident) => [incident.scope, incident.link])).toEqual([
      [`campaign:${spring.id}`, `/campaigns/${spring.id}`],
      [`campaign:${summer.id}`, `/campaigns/${summer.id}`],
    ]);
    expect(smtp.recipients.flat().sort()).toEqual([
      "admin@console.test",
      "admin@console.test",
      "manager@console.test",
      "manager@console.test",
    ]);

    // Resumed: that campaign's incident resolves, the other stays open.
    await db().campaign.update({ where: { id: spring.id }, data: { status: "running", statusNote: null } });
    expect(await evaluateAlerts({ now: new Date(Date.now() + 2 * MINUTE) })).toMatchObject({ resolved: 1 });
    expect(
      (await db().alertIncident.findMany({ where: { ruleKey: "campaign_breaker_paused", resolvedAt: null } })).map(
        (incident) => incident.scope,
      ),
    ).toEqual([`campaign:${summer.id}`]);
    await db().campaign.deleteMany();
  });

  it("counts unread incidents per staff member, only of rules their role may open", async () => {
    await unknownIntent();
    await db().campaign.deleteMany();
    expect(await unreadIncidentCount({ id: support.id, role: "support" })).toBe(0);
    await evaluateAlerts({ now: new Date(Date.now() + HOUR) });
    expect(await unreadIncidentCount({ id: support.id, role: "support" })).toBe(1);
    await markIncidentsSeen(support.id, new Date(Date.now() + 2 * HOUR));
    expect(await unreadIncidentCount({ id: support.id, role: "support" })).toBe(0);
    expect(await unreadIncidentCount({ id: admin.id, role: "admin" })).toBe(1);

    // Switched off: the open incident closes without a message.
    await updateRule(
      { key: "booking_intent_unknown", enabled: false, threshold: 30, remindHours: 4, scope: "" },
      { id: admin.id, email: admin.email },
    );
    const before = smtp.messages.length;
    expect(await evaluateAlerts({ now: new Date(Date.now() + 3 * HOUR) })).toMatchObject({ resolved: 1 });
    expect(smtp.messages).toHaveLength(before);
    expect(await unreadIncidentCount({ id: admin.id, role: "admin" })).toBe(0);
  });

  it("refuses to post to a loopback chat URL without ALERT_CHAT_ALLOW_PRIVATE, and says so on the incident", async () => {
    process.env.ALERT_CHAT_ALLOW_PRIVATE = "false";
    resetEnvCache();
    try {
      await unknownIntent();
      await evaluateAlerts({ now: new Date(Date.now() + HOUR) });
      const [incident] = await db().alertIncident.findMany();
      expect(incident?.deliveryError).toBe(
        "chat: 127.0.0.1 is a loopback, private or link-local address, refused unless ALERT_CHAT_ALLOW_PRIVATE=true.",
      );
      // Nothing reached the receiver; the email still went out.
      expect(chat.bodies).toHaveLength(0);
      expect(smtp.messages).toHaveLength(1);
    } finally {
      process.env.ALERT_CHAT_ALLOW_PRIVATE = "true";
      resetEnvCache();
    }
  });

  it("works with no SMTP and no chat configured (the sandbox's default): the incident is in the app only", async () => {
    process.env.SMTP_URL = "";
    process.env.ALERT_CHAT_WEBHOOK_URL = "";
    resetEnvCache();
    try {
      await unknownIntent();
      expect(await evaluateAlerts({ now: new Date(Date.now() + HOUR) })).toMatchObject({ opened: 1 });
      const [incident] = await db().alertIncident.findMany();
      expect(incident).toMatchObject({ ruleKey: "booking_intent_unknown", deliveryError: null, resolvedAt: null });
      expect(await unreadIncidentCount({ id: admin.id, role: "admin" })).toBe(1);
      expect(smtp.messages).toHaveLength(0);
      expect(chat.bodies).toHaveLength(0);
    } finally {
      process.env.SMTP_URL = smtp.url;
      process.env.ALERT_CHAT_WEBHOOK_URL = chat.url;
      resetEnvCache();
    }
  });

  it("records a chat delivery that failed on the incident, and keeps the incident", async () => {
    chat.status = 500;
    await unknownIntent();
    await evaluateAlerts({ now: new Date(Date.now() + HOUR) });
    const [incident] = await db().alertIncident.findMany();
    expect(incident?.deliveryError).toBe("chat: the chat webhook answered HTTP 500");
    expect(smtp.messages).toHaveLength(1);
  });
});
