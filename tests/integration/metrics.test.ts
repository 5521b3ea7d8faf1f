import { afterAll, afterEach, describe, expect, it } from "vitest";
import { GET } from "@/app/api/metrics/route";
import { GET as ready } from "@/app/api/health/ready/route";
import { GET as live } from "@/app/api/health/live/route";
import { resetEnvCache } from "@/lib/env";
import { isShuttingDown, markShuttingDown, setExpectedMigrations } from "@/lib/health";
import { readMigrationFiles } from "@/lib/migrations";
import { registerJobHandler, sendJob, startJobs, stopJobs } from "@/lib/jobs/jobs";
import { authorizeCredentials } from "@/lib/auth/options";
import { clientFor, sandboxPerFile } from "../support/sandbox";
import { envelope, nodeReceiverPerFile } from "../support/webhooks";
import { eventually, testJobSchema } from "../support/jobs";
import { makeStaff } from "../support/factories";
import { startForwardReceiver } from "../support/forward-receiver";
import { db } from "@/lib/db";
import { createEndpoint } from "@/lib/forwarding/endpoints";
import { runForwardingPass } from "@/lib/forwarding/delivery";
import { endpointInputSchema } from "@/lib/forwarding/schemas";

// GET /api/metrics (Prometheus text) and the two probes, against the real database, a real test sandbox for the
// Hubby calls and the production webhook receiver on a loopback port.
const TOKEN = "metrics-token-0123456789";
const webhooks = nodeReceiverPerFile();
const hubby = sandboxPerFile();

function setToken(token: string | undefined) {
  if (token) process.env.METRICS_TOKEN = token;
  else delete process.env.METRICS_TOKEN;
  resetEnvCache();
}

async function scrape(authorization?: string) {
  const headers: Record<string, string> = authorization ? { authorization } : {};
  return GET(new Request("http://console.test/api/metrics", { headers }));
}

/** The value of one sample line, e.g. `console_hubby_calls_total{endpoint="GET /bookings",status="200"}`. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const line = text
    .split("\n")
    .find(
      (candidate) =>
        candidate.startsWith(`${name}{`) &&
        Object.entries(labels).every(([key, value]) => candidate.includes(`${key}="${value}"`)),
    );
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(" ") + 1));
}

afterEach(() => setToken(undefined));
afterAll(() => stopJobs(1_000));

describe("GET /api/metrics", () => {
  it("does not exist while METRICS_TOKEN is unset, and refuses a missing or wrong bearer token", async () => {
    expect((await scrape()).status).toBe(404);
    setToken(TOKEN);
    expect((await scrape()).status).toBe(401);
    expect((await scrape("Bearer not-the-token-at-all")).status).toBe(401);
    expect((await scrape(TOKEN)).status).toBe(401);
    expect((await scrape(`Bearer ${TOKEN}`)).status).toBe(200);
  });

  it("counts webhook intakes, Hubby calls, job runs, queue depths and sign-in failures", async () => {
    setToken(TOKEN);
    const body = envelope("esim.installed", { external_user_id: "metrics-1", booking_id: "b1", iccid: "890000001" });
    expect((await webhooks.receiver.deliver(body)).status).toBe(200);
    expect((await webhooks.receiver.deliver(body)).status).toBe(200);
    expect((await webhooks.receiver.deliver(body, { "x-api-key": "wrong" })).status).toBe(401);
    expect((await webhooks.receiver.deliver(envelope("made.up.event", {}))).status).toBe(200);

    const { client } = clientFor(hubby.sandbox);
    await client.listBookings();

    const staff = await makeStaff("support");
    expect(await authorizeCredentials({ email: staff.email, password: "not-the-password" }, "10.9.8.7")).toBeNull();

    await startJobs({ schema: testJobSchema(), pollingIntervalSeconds: 0.5, schedules: false });
    await sendJob("catalog-refresh", { trigger: "start" });
    let ran = 0;
    registerJobHandler("maintenance", async () => {
      ran += 1;
    });
    await sendJob("maintenance", { trigger: "staff" });
    await eventually("the maintenance job to run", async () => (ran ? true : undefined));

    const response = await scrape(`Bearer ${TOKEN}`);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
    const text = await response.text();
    const intakes = "console_webhook_intakes_total";
    expect(sample(text, intakes, { type: "esim.installed", outcome: "processed" })).toBe(1);
    expect(sample(text, intakes, { type: "esim.installed", outcome: "duplicate" })).toBe(1);
    expect(sample(text, intakes, { type: "esim.installed", outcome: "unauthorized" })).toBe(1);
    // A type the console does not know is counted as "other": a sender cannot grow the label set.
    expect(sample(text, intakes, { type: "other" })).toBe(1);
    expect(text).not.toContain("made.up.event");
    expect(sample(text, "console_webhook_intake_seconds_count", { outcome: "processed" })).toBe(1);
    expect(sample(text, "console_hubby_calls_total", { endpoint: "GET /bookings", status: "200" })).toBe(1);
    expect(sample(text, "console_hubby_call_seconds_count", { endpoint: "GET /bookings" })).toBe(1);
    expect(sample(text, "console_job_runs_total", { queue: "maintenance", outcome: "completed" })).toBe(1);
    // No handler for the catalog in this test: its job waits in the queue.
    expect(sample(text, "console_job_queue_jobs", { queue: "catalog-refresh", state: "queued" })).toBe(1);
    expect(sample(text, "console_sign_in_events", { kind: "failed" })).toBe(1);
    expect(sample(text, "console_sign_in_events", { kind: "throttled" })).toBe(0);
    expect(text).toContain("# TYPE console_campaign_rows gauge");
    // The deliveries above came one at a time: each projected in its own statement, none pending or deferred.
    expect(sample(text, "console_webhook_projection_pending", {})).toBe(0);
    expect(sample(text, "console_webhook_projection_backlog", {})).toBe(0);
  });
});

describe("forwarding metrics", () => {
  it("count deliveries by endpoint and outcome, time receipt → delivered, and show what waits and what is disabled", async () => {
    setToken(TOKEN);
    process.env.HUBBY_FORWARD_ALLOW_PRIVATE = "true";
    resetEnvCache();
    const ok = await startForwardReceiver();
    let flakyStatus = 500;
    const flaky = await startForwardReceiver({ status: () => flakyStatus });
    const gone = await startForwardReceiver({ status: () => 410 });
    try {
      await db().forwardEndpoint.deleteMany();
      await db().webhookForwardPending.deleteMany();
      const endpointFor = async (url: string) =>
        (await createEndpoint(endpointInputSchema.parse({ url, enabled: "on", headers: "", eventTypes: "" }))).endpoint
          .id;
      const [okId, flakyId, goneId] = [
        await endpointFor(ok.url),
        await endpointFor(flaky.url),
        await endpointFor(gone.url),
      ];
      const body = envelope("package.activated", { external_user_id: "metrics-fwd", booking_id: "b2" });
      expect((await webhooks.receiver.deliver(body)).status).toBe(200);
      await runForwardingPass();

      let text = await (await scrape(`Bearer ${TOKEN}`)).text();
      const deliveries = "console_forward_deliveries_total";
      expect(sample(text, deliveries, { endpoint: String(okId), outcome: "delivered" })).toBe(1);
      expect(sample(text, deliveries, { endpoint: String(flakyId), outcome: "retry" })).toBe(1);
      expect(sample(text, deliveries, { endpoint: String(goneId), outcome: "failed" })).toBe(1);
      expect(sample(text, "console_forward_delivery_seconds_count", { endpoint: String(okId) })).toBe(1);
      expect(sample(text, "console_forward_delivery_seconds_count", { endpoint: String(flakyId) })).toBeUndefined();
      // The flaky endpoint's message waits for its retry; the 410 disabled the third endpoint.
      expect(sample(text, "console_forward_messages_pending", { endpoint: String(flakyId) })).toBe(1);
      expect(sample(text, "console_forward_messages_pending", { endpoint: String(okId) })).toBeUndefined();
      expect(text).toMatch(/^console_forward_endpoints_disabled\{[^}]*\} 1$/m);

      flakyStatus = 200;
      await runForwardingPass(() => new Date(Date.now() + 10_000));
      await db().forwardEndpoint.update({ where: { id: goneId }, data: { disabledAt: null, disabledReason: null } });
      text = await (await scrape(`Bearer ${TOKEN}`)).text();
      expect(sample(text, deliveries, { endpoint: String(flakyId), outcome: "delivered" })).toBe(1);
      expect(sample(text, "console_forward_delivery_seconds_count", { endpoint: String(flakyId) })).toBe(1);
      expect(sample(text, "console_forward_messages_pending", { endpoint: String(flakyId) })).toBeUndefined();
      expect(text).toMatch(/^console_forward_endpoints_disabled\{[^}]*\} 0$/m);
    } finally {
      delete process.env.HUBBY_FORWARD_ALLOW_PRIVATE;
      resetEnvCache();
      await db().forwardEndpoint.deleteMany();
      for (const receiver of [ok, flaky, gone]) await receiver.close();
    }
  });
});

describe("probes", () => {
  it("live answers 200; ready answers 200 only while the job system runs and the instance is not stopping", async () => {
    expect((await live()).status).toBe(200);
    setExpectedMigrations([...readMigrationFiles().map((file) => file.name), "29991231000000_from_a_newer_build"]);
    const behind = await ready();
    expect(behind.status).toBe(503);
    expect(await behind.json()).toMatchObject({ reasons: expect.arrayContaining(["1 migration(s) not applied"]) });
    setExpectedMigrations(readMigrationFiles().map((file) => file.name));
    await stopJobs(1_000);
    const withoutJobs = await ready();
    expect(withoutJobs.status).toBe(503);
    expect(await withoutJobs.json()).toMatchObject({ ready: false, reasons: ["job system not running"] });
    await startJobs({ schema: testJobSchema(), schedules: false });
    expect(await (await ready()).json()).toMatchObject({ ready: true, reasons: [] });
    markShuttingDown();
    expect(isShuttingDown()).toBe(true);
    const stopping = await ready();
    expect(stopping.status).toBe(503);
    expect(await stopping.json()).toMatchObject({ reasons: ["shutting down"] });
    expect((await live()).status).toBe(200);
  });
});
