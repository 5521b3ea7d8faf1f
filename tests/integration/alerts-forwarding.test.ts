import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { evaluateAlerts } from "@/lib/alerts/evaluate";
import { db } from "@/lib/db";
import { resetEnvCache } from "@/lib/env";
import { runForwardingPass } from "@/lib/forwarding/delivery";
import { createEndpoint, updateEndpoint } from "@/lib/forwarding/endpoints";
import { endpointInputSchema } from "@/lib/forwarding/schemas";
import { makeStaff } from "../support/factories";
import { startForwardReceiver } from "../support/forward-receiver";
import { startSmtpSink, type SmtpSink } from "../support/smtp-sink";
import { envelope, nodeReceiverPerFile } from "../support/webhooks";

// The alert rule "a forwarding endpoint failing or disabled", against real forwarding: events go in through the
// production webhook receiver and out to a partner receiver on loopback that answers with errors. Forwarding and
// the evaluation both run on injected clocks. Runs on in-memory PGlite and, with TEST_DATABASE_URL, on PostgreSQL.
const MINUTE = 60_000;
const RULE = "forwarding_endpoint_failing";

const harness = nodeReceiverPerFile();
const receivers: Awaited<ReturnType<typeof startForwardReceiver>>[] = [];
let smtp: SmtpSink;

beforeAll(async () => {
  smtp = await startSmtpSink();
  process.env.SMTP_URL = smtp.url;
  process.env.NEXTAUTH_URL = "https://console.example.test";
  // The partner's receiver listens on loopback.
  process.env.HUBBY_FORWARD_ALLOW_PRIVATE = "true";
  resetEnvCache();
  await makeStaff("admin", { email: "admin@console.test" });
  await makeStaff("support", { email: "support@console.test" });
});

afterAll(async () => {
  await smtp.close();
  for (const name of ["SMTP_URL", "NEXTAUTH_URL", "HUBBY_FORWARD_ALLOW_PRIVATE"]) delete process.env[name];
  resetEnvCache();
});

beforeEach(async () => {
  await db().alertIncident.deleteMany();
  await db().forwardEndpoint.deleteMany();
  await db().webhookForwardPending.deleteMany();
  smtp.messages.length = 0;
  smtp.recipients.length = 0;
});

afterEach(async () => {
  for (const started of receivers.splice(0)) await started.close();
});

async function failingEndpoint(status: number, description = "") {
  const receiver = await startForwardReceiver({ status: () => status });
  receivers.push(receiver);
  const { endpoint } = await createEndpoint(
    endpointInputSchema.parse({ url: receiver.url, enabled: "on", headers: "", eventTypes: "", description }),
  );
  return { receiver, endpoint };
}

let sequence = 0;
async function storeEvent() {
  const body = envelope(
    "package.activated",
    { external_user_id: "trav_forwarded", booking_id: "booking_abc" },
    { event_id: `evt_alert_forward_${Date.now()}_${++sequence}` },
  );
  expect((await harness.receiver.deliver(body)).status).toBe(200);
}

const forwardingMails = () => smtp.messages.filter((message) => message.subject?.includes("Forwarding to"));
const forwardingIncidents = () => db().alertIncident.findMany({ where: { ruleKey: RULE }, orderBy: { id: "asc" } });

describe("alert: forwarding endpoint failing or disabled", () => {
  it("opens after N minutes of failed attempts, for that endpoint only, and resolves once it delivers again", async () => {
    const { receiver, endpoint } = await failingEndpoint(503, "Partner CRM");
    const healthy = await startForwardReceiver();
    receivers.push(healthy);
    await createEndpoint(endpointInputSchema.parse({ url: healthy.url, enabled: "on", headers: "", eventTypes: "" }));
    await storeEvent();
    const t0 = new Date();
    expect(await runForwardingPass(() => t0)).toMatchObject({ delivered: 1, retrying: 1 });
    expect(receiver.received).toHaveLength(1);

    // Failing, but not yet for the default 60 minutes.
    await evaluateAlerts({ now: new Date(t0.getTime() + 30 * MINUTE) });
    expect(await forwardingIncidents()).toHaveLength(0);

    const openAt = new Date(t0.getTime() + 61 * MINUTE);
    await evaluateAlerts({ now: openAt });
    const [incident] = await forwardingIncidents();
    expect(incident).toMatchObject({
      scope: `endpoint:${endpoint.id}`,
      title: "Forwarding to Partner CRM is failing",
      link: `/forwarding/endpoints/${endpoint.id}`,
      resolvedAt: null,
    });
    // Admins get it by default; support may not open forwarding's screens.
    const [opened] = forwardingMails();
    expect(smtp.recipients[smtp.messages.indexOf(opened!)]).toEqual(["admin@console.test"]);
    expect(opened!.subject).toBe("[Hubby console] Alert: Forwarding to Partner CRM is failing");
    expect(opened!.text).toContain(`Open: https://console.example.test/forwarding/endpoints/${endpoint.id}`);

    // Evaluated again while still failing: the same incident, no second message.
    await evaluateAlerts({ now: new Date(openAt.getTime() + MINUTE) });
    expect(await forwardingIncidents()).toHaveLength(1);
    expect(forwardingMails()).toHaveLength(1);

    // The receiver recovers; the retry (due 5 s after the first attempt) is delivered and ends the failure.
    receiver.status = () => 200;
    expect(await runForwardingPass(() => new Date(openAt.getTime() + 2 * MINUTE))).toMatchObject({ delivered: 1 });
    expect(await evaluateAlerts({ now: new Date(openAt.getTime() + 3 * MINUTE) })).toMatchObject({ resolved: 1 });
    expect((await forwardingIncidents())[0]!.resolvedAt).not.toBeNull();
    expect(forwardingMails().map((message) => message.subject)).toEqual([
      "[Hubby console] Alert: Forwarding to Partner CRM is failing",
      "[Hubby console] Resolved: Forwarding to Partner CRM is failing",
    ]);
  });

  it("opens at once for an endpoint the console disabled (410 Gone), with the reason, and resolves when re-enabled", async () => {
    const { receiver, endpoint } = await failingEndpoint(410);
    await storeEvent();
    await runForwardingPass();
    expect(await db().forwardMessage.count({ where: { endpointId: endpoint.id, status: "failed" } })).toBe(1);

    // No threshold to wait for: disabled is disabled.
    await evaluateAlerts({ now: new Date() });
    const [incident] = await forwardingIncidents();
    const host = new URL(receiver.url).host;
    expect(incident).toMatchObject({
      scope: `endpoint:${endpoint.id}`,
      title: `Forwarding to ${host} is disabled`,
      link: `/forwarding/endpoints/${endpoint.id}`,
    });
    expect(incident!.summary).toContain("The endpoint answered 410 Gone.");
    expect(incident!.summary).toContain("1 message failed for good.");
    expect(incident!.details).toMatchObject({ endpointId: endpoint.id, failedMessages: 1 });

    // An admin enables it again from the screen: the incident resolves, once.
    receiver.status = () => 200;
    await updateEndpoint(
      endpoint.id,
      endpointInputSchema.parse({ url: receiver.url, enabled: "on", headers: "", eventTypes: "" }),
    );
    expect(await evaluateAlerts({ now: new Date() })).toMatchObject({ resolved: 1 });
    await evaluateAlerts({ now: new Date(Date.now() + MINUTE) });
    expect(forwardingMails().map((message) => message.subject?.split(":")[0])).toEqual([
      "[Hubby console] Alert",
      "[Hubby console] Resolved",
    ]);
  });

  it("keeps one incident per endpoint, and none for an endpoint an admin switched off", async () => {
    const first = await failingEndpoint(500, "First");
    const second = await failingEndpoint(500, "Second");
    await storeEvent();
    const t0 = new Date();
    await runForwardingPass(() => t0);
    const later = new Date(t0.getTime() + 2 * 60 * MINUTE);
    // Two instances evaluating at once still open one incident per endpoint.
    await Promise.all([evaluateAlerts({ now: later }), evaluateAlerts({ now: later })]);
    expect((await forwardingIncidents()).map((incident) => incident.scope).sort()).toEqual(
      [`endpoint:${first.endpoint.id}`, `endpoint:${second.endpoint.id}`].sort(),
    );
    expect(forwardingMails()).toHaveLength(2);

    await updateEndpoint(
      second.endpoint.id,
      endpointInputSchema.parse({ url: second.receiver.url, headers: "", eventTypes: "", description: "Second" }),
    );
    expect(await evaluateAlerts({ now: new Date(later.getTime() + MINUTE) })).toMatchObject({ resolved: 1 });
    expect(
      (await db().alertIncident.findMany({ where: { ruleKey: RULE, resolvedAt: null } })).map((row) => row.scope),
    ).toEqual([`endpoint:${first.endpoint.id}`]);
  });
});
