import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { EnvError, parseEnv, resetEnvCache } from "@/lib/env";
import { createEndpoint, rotateSecret, syncConfiguredEndpoints, updateEndpoint } from "@/lib/forwarding/endpoints";
import { fanOut, forwardEventAgain, recoverFailed, retryMessage, runForwardingPass } from "@/lib/forwarding/delivery";
import { disabledEndpoints } from "@/lib/forwarding/queries";
import { endpointInputSchema } from "@/lib/forwarding/schemas";
import { MAX_ATTEMPTS, RETRY_DELAYS_MS } from "@/lib/forwarding/schedule";
import { newSecret } from "@/lib/forwarding/signing";
import { replayEvent } from "@/lib/webhooks/replay";
import { envelope, nodeReceiverPerFile } from "../support/webhooks";
import { startForwardReceiver } from "../support/forward-receiver";

// Forwarding Hubby's webhooks to the partner's endpoints: events go in through the production receiver, and come
// out at real receivers on loopback that verify every signature with the standardwebhooks package. The retry
// schedule runs on an injected clock (runForwardingPass(clock)): the test checks the times, it does not wait.

const harness = nodeReceiverPerFile();
const receivers: Awaited<ReturnType<typeof startForwardReceiver>>[] = [];

async function receiver(options: Parameters<typeof startForwardReceiver>[0] = {}) {
  const started = await startForwardReceiver(options);
  receivers.push(started);
  return started;
}

function allowPrivate(on: boolean) {
  if (on) process.env.HUBBY_FORWARD_ALLOW_PRIVATE = "true";
  else delete process.env.HUBBY_FORWARD_ALLOW_PRIVATE;
  resetEnvCache();
}

async function endpointFor(url: string, fields: Record<string, unknown> = {}) {
  const input = endpointInputSchema.parse({ url, enabled: "on", headers: "", eventTypes: "", ...fields });
  return createEndpoint(input);
}

let sequence = 0;
async function store(event: string, externalUserId = "trav_1") {
  const body = envelope(
    event,
    { external_user_id: externalUserId, booking_id: "booking_abc" },
    {
      event_id: `evt_forward_${Date.now()}_${++sequence}`,
    },
  );
  const reply = await harness.receiver.deliver(body);
  expect(reply.status).toBe(200);
  return { id: BigInt(String(reply.json.id)), body };
}

const messagesOf = (endpointId: number) =>
  db().forwardMessage.findMany({ where: { endpointId }, orderBy: { id: "asc" } });

beforeAll(() => allowPrivate(true));
afterAll(() => allowPrivate(false));
beforeEach(async () => {
  // Every enabled endpoint gets every event: each test starts with none, and nothing left to fan out.
  await db().forwardEndpoint.deleteMany();
  await db().webhookForwardPending.deleteMany();
  allowPrivate(true);
});
afterEach(async () => {
  for (const started of receivers.splice(0)) await started.close();
});

describe("delivery", () => {
  it("sends Hubby's envelope byte for byte, signed, with a webhook-id stable per event and endpoint", async () => {
    const first = await receiver();
    const second = await receiver();
    const a = await endpointFor(first.url, { headers: "X-Partner-Token: t0ken" });
    const b = await endpointFor(second.url);
    first.secrets = [a.secret];
    second.secrets = [b.secret];
    expect(a.secret).toMatch(/^whsec_/);

    const event = await store("package.activated");
    const pass = await runForwardingPass();
    expect(pass).toMatchObject({ events: 1, delivered: 2, failed: 0 });

    for (const [target, endpoint] of [
      [first, a],
      [second, b],
    ] as const) {
      expect(target.received).toHaveLength(1);
      const [request] = target.received;
      expect(request!.body.toString("utf8")).toBe(event.body);
      expect(request!.verifiedWith).toEqual([true]);
      expect(request!.webhookId).toBe(`msg_${event.id}_${endpoint.endpoint.id}`);
      expect(request!.signature).toMatch(/^v1,[A-Za-z0-9+/=]+$/);
    }
    expect(first.received[0]!.headers["x-partner-token"]).toBe("t0ken");
    const [message] = await messagesOf(a.endpoint.id);
    expect(message).toMatchObject({ status: "delivered", attempts: 1, lastStatus: 200 });
    const attempts = await db().forwardAttempt.findMany({ where: { messageId: message!.id } });
    expect(attempts).toMatchObject([{ succeeded: true, statusCode: 200, response: "answered 200" }]);
  });

  it("forwards only the subscribed types, an unknown future type included, and nothing to a paused endpoint", async () => {
    const all = await receiver();
    const chosen = await receiver();
    const paused = await receiver();
    await endpointFor(all.url);
    await endpointFor(chosen.url, { eventTypes: "esim.installed\nhubby.future_event" });
    await endpointFor(paused.url, { enabled: "" });

    await store("package.activated");
    await store("hubby.future_event");
    await store("esim.installed");
    await runForwardingPass();

    const types = (target: typeof all) =>
      target.received.map((request) => (JSON.parse(request.body.toString("utf8")) as { event: string }).event).sort();
    expect(types(all)).toEqual(["esim.installed", "hubby.future_event", "package.activated"]);
    expect(types(chosen)).toEqual(["esim.installed", "hubby.future_event"]);
    expect(paused.received).toEqual([]);
  });

  it("forwards the events stored while an endpoint is enabled; none stored before, or while all are paused", async () => {
    const target = await receiver();
    // No endpoint: the event is stored as nothing to forward, and no later pass rewrites its row.
    const before = await store("package.activated");
    const { endpoint } = await endpointFor(target.url);
    const during = await store("esim.installed");
    await updateEndpoint(
      endpoint.id,
      endpointInputSchema.parse({ url: target.url, enabled: "", headers: "", eventTypes: "" }),
    );
    const paused = await store("esim.installed");
    const pending = await db().webhookForwardPending.findMany({
      where: { eventId: { in: [before.id, during.id, paused.id] } },
    });
    expect(pending.map((row) => row.eventId)).toEqual([during.id]);
    await updateEndpoint(
      endpoint.id,
      endpointInputSchema.parse({ url: target.url, enabled: "on", headers: "", eventTypes: "" }),
    );
    await runForwardingPass();
    expect(target.received.map((request) => request.body.toString("utf8"))).toEqual([during.body]);
    expect(await db().webhookForwardPending.count()).toBe(0);
  });

  it("under a burst makes no new messages, delivers those already made, and takes the whole outbox once allowed", async () => {
    const target = await receiver();
    await endpointFor(target.url);
    const made = await store("esim.installed");
    await fanOut();
    const held = await store("package.activated");
    // The engine's hold (mayForwardNow): a pass told to wait delivers what was fanned out before, and leaves the rest.
    expect(await runForwardingPass(undefined, () => false)).toMatchObject({ events: 0, delivered: 1 });
    expect(target.received.map((request) => request.body.toString("utf8"))).toEqual([made.body]);
    expect((await db().webhookForwardPending.findMany()).map((row) => row.eventId)).toEqual([held.id]);
    // Allowed the first time it asks only, a pass still takes everything in the outbox then, and delivers it.
    const more = await store("esim.installed");
    let asked = 0;
    expect(await runForwardingPass(undefined, () => ++asked === 1)).toMatchObject({ events: 2, delivered: 2 });
    expect(target.received.map((request) => request.body.toString("utf8"))).toEqual([made.body, held.body, more.body]);
    expect(await db().webhookForwardPending.count()).toBe(0);
  });

  it("takes an event whose row is gone (its month dropped by retention) out of the outbox, sending nothing", async () => {
    const target = await receiver();
    const { endpoint } = await endpointFor(target.url);
    const kept = await store("esim.installed");
    const gone = await store("package.activated");
    // What a dropped month leaves: the outbox has no foreign key to the partitioned events.
    await db().webhookEvent.deleteMany({ where: { id: gone.id } });
    expect(await db().webhookForwardPending.count({ where: { eventId: { in: [kept.id, gone.id] } } })).toBe(2);

    expect(await runForwardingPass()).toMatchObject({ events: 2, delivered: 1 });
    expect(target.received.map((request) => request.body.toString("utf8"))).toEqual([kept.body]);
    expect((await messagesOf(endpoint.id)).map((message) => message.eventId)).toEqual([kept.id]);
    expect(await db().webhookForwardPending.count()).toBe(0);
  });

  it("tries a failing endpoint again on the schedule (5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h), then fails the message", async () => {
    const failing = await receiver({ status: () => 503 });
    const { endpoint } = await endpointFor(failing.url);
    await store("package.activated");
    let now = new Date();
    const clock = () => now;

    await runForwardingPass(clock);
    for (const delay of RETRY_DELAYS_MS) {
      const [message] = await messagesOf(endpoint.id);
      expect(message!.status).toBe("pending");
      expect(message!.nextAttemptAt!.getTime() - message!.lastAttemptAt!.getTime()).toBe(delay);
      // Just before it is due nothing is sent.
      const sent = failing.received.length;
      now = new Date(message!.nextAttemptAt!.getTime() - 1);
      await runForwardingPass(clock);
      expect(failing.received).toHaveLength(sent);
      now = message!.nextAttemptAt!;
      await runForwardingPass(clock);
      expect(failing.received).toHaveLength(sent + 1);
    }
    const [message] = await messagesOf(endpoint.id);
    expect(message).toMatchObject({ status: "failed", attempts: MAX_ATTEMPTS, nextAttemptAt: null, lastStatus: 503 });
    expect(new Set(failing.received.map((request) => request.webhookId)).size).toBe(1);
    expect(await db().forwardAttempt.count({ where: { messageId: message!.id, succeeded: false } })).toBe(8);

    // Recovering the endpoint's failed messages since a time sends them again, with the same webhook-id.
    failing.status = () => 204;
    expect(await recoverFailed(endpoint.id, new Date(Date.now() - 60_000))).toBe(1);
    await runForwardingPass();
    expect(await messagesOf(endpoint.id)).toMatchObject([{ status: "delivered", attempts: 9 }]);
    expect(failing.received.at(-1)!.webhookId).toBe(failing.received[0]!.webhookId);
  });

  it("disables an endpoint at once on 410 Gone, fails that message and sends nothing more until enabled", async () => {
    const gone = await receiver({ status: () => 410 });
    const { endpoint } = await endpointFor(gone.url);
    await store("package.activated");
    await runForwardingPass();
    const disabled = await db().forwardEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } });
    expect(disabled.disabledAt).not.toBeNull();
    expect(disabled.disabledReason).toMatch(/410/);

    await store("esim.installed");
    const later = new Date(Date.now() + 3_600_000);
    await runForwardingPass(() => later);
    expect(gone.received).toHaveLength(1);
    // Enabling it again from the screen delivers what waited.
    gone.status = () => 200;
    await updateEndpoint(
      endpoint.id,
      endpointInputSchema.parse({ url: gone.url, enabled: "on", headers: "", eventTypes: "" }),
    );
    await runForwardingPass(() => later);
    // The message answered 410 failed at once; the one that waited is delivered; recovering sends the first.
    expect(await messagesOf(endpoint.id)).toMatchObject([
      { status: "failed", attempts: 1, lastStatus: 410 },
      { status: "delivered" },
    ]);
    expect(await recoverFailed(endpoint.id, new Date(Date.now() - 60_000))).toBe(1);
    await runForwardingPass();
    expect(await messagesOf(endpoint.id)).toMatchObject([{ status: "delivered" }, { status: "delivered" }]);
  });

  it("disables an endpoint after 5 days of failing, not before", async () => {
    const failing = await receiver({ status: () => 500 });
    const { endpoint } = await endpointFor(failing.url);
    await db().forwardEndpoint.update({
      where: { id: endpoint.id },
      data: { failingSince: new Date(Date.now() - 4 * 86_400_000) },
    });
    await store("package.activated");
    await runForwardingPass();
    expect((await db().forwardEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } })).disabledAt).toBeNull();

    await db().forwardEndpoint.update({
      where: { id: endpoint.id },
      data: { failingSince: new Date(Date.now() - 5 * 86_400_000) },
    });
    await store("esim.installed");
    await runForwardingPass();
    const disabled = await db().forwardEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } });
    expect(disabled.disabledReason).toBe("Every attempt failed for 5 days.");
  });

  it("a success ends the failure window", async () => {
    let status = 500;
    const flaky = await receiver({ status: () => status });
    const { endpoint } = await endpointFor(flaky.url);
    await store("package.activated");
    await runForwardingPass();
    expect((await db().forwardEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } })).failingSince).not.toBeNull();
    status = 200;
    await runForwardingPass(() => new Date(Date.now() + 10_000));
    expect((await db().forwardEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } })).failingSince).toBeNull();
  });
});

describe("the disabled-endpoints notice", () => {
  it("names each endpoint the console disabled, why and since when, until it is enabled again", async () => {
    const gone = await receiver({ status: () => 410 });
    const healthy = await receiver();
    const { endpoint } = await endpointFor(gone.url);
    await endpointFor(healthy.url);
    const paused = await endpointFor((await receiver()).url, { enabled: undefined });
    expect(await disabledEndpoints()).toEqual([]);

    await store("package.activated");
    await runForwardingPass();
    const [announced, ...others] = await disabledEndpoints();
    expect(others).toEqual([]);
    expect(announced).toMatchObject({
      id: endpoint.id,
      url: gone.url,
      disabledReason: "The endpoint answered 410 Gone.",
      readOnly: false,
    });
    expect(announced!.disabledAt).toBeInstanceOf(Date);
    // A paused endpoint (staff turned it off) is not announced.
    expect(announced!.id).not.toBe(paused.endpoint.id);

    await updateEndpoint(
      endpoint.id,
      endpointInputSchema.parse({ url: gone.url, enabled: "on", headers: "", eventTypes: "" }),
    );
    expect(await disabledEndpoints()).toEqual([]);
  });

  it("marks an endpoint from HUBBY_FORWARD_ENDPOINTS read-only, and leaves out one no longer declared", async () => {
    const gone = await receiver({ status: () => 410 });
    await syncConfiguredEndpoints([{ url: gone.url, secret: newSecret() }]);
    await store("package.activated");
    await runForwardingPass();
    expect(await disabledEndpoints()).toMatchObject([{ url: gone.url, readOnly: true }]);
    // No longer declared: removed on purpose, not a failure to announce.
    await syncConfiguredEndpoints([]);
    expect(await disabledEndpoints()).toEqual([]);
  });
});

describe("secret rotation", () => {
  it("signs with both secrets during the overlap, then with the new one only", async () => {
    const target = await receiver();
    const { endpoint, secret: oldSecret } = await endpointFor(target.url);
    const { secret: newSecretValue, overlapUntil } = await rotateSecret(endpoint.id);
    expect(overlapUntil.getTime()).toBeGreaterThan(Date.now() + 23 * 3_600_000);
    target.secrets = [oldSecret, newSecretValue];

    await store("package.activated");
    await runForwardingPass();
    expect(target.received[0]!.signature.split(" ")).toHaveLength(2);
    expect(target.received[0]!.verifiedWith).toEqual([true, true]);

    await db().forwardEndpoint.update({
      where: { id: endpoint.id },
      data: { previousSecretUntil: new Date(Date.now() - 1_000) },
    });
    await store("esim.installed");
    await runForwardingPass();
    expect(target.received[1]!.signature.split(" ")).toHaveLength(1);
    expect(target.received[1]!.verifiedWith).toEqual([false, true]);
  });
});

describe("outbound filtering", () => {
  it("refuses loopback and private addresses unless HUBBY_FORWARD_ALLOW_PRIVATE is set", async () => {
    allowPrivate(false);
    const internal = await receiver();
    const { endpoint } = await endpointFor(internal.url);
    await store("package.activated");
    await runForwardingPass();
    expect(internal.received).toEqual([]);
    const [attempt] = await db().forwardAttempt.findMany({ where: { endpointId: endpoint.id } });
    expect(attempt).toMatchObject({ succeeded: false, statusCode: null });
    expect(attempt!.error).toMatch(/not allowed.*private/i);

    allowPrivate(true);
    await runForwardingPass(() => new Date(Date.now() + 10_000));
    expect(internal.received).toHaveLength(1);
  });
});

describe("ordering and replay", () => {
  it("holds a traveler's later events behind an earlier one that is retrying, on an ordered endpoint", async () => {
    let failFirst = true;
    const target = await receiver({
      status: () => {
        if (failFirst) {
          failFirst = false;
          return 500;
        }
        return 200;
      },
    });
    const { endpoint } = await endpointFor(target.url, { ordered: "on" });
    await store("esim.installed", "ordered_a");
    await store("package.activated", "ordered_a");
    await store("esim.installed", "ordered_b");
    await runForwardingPass();
    const users = () =>
      target.received.map((request) => {
        const parsed = JSON.parse(request.body.toString("utf8")) as {
          event: string;
          data: { external_user_id: string };
        };
        return `${parsed.data.external_user_id} ${parsed.event}`;
      });
    expect(users()).toEqual(["ordered_a esim.installed", "ordered_b esim.installed"]);
    await runForwardingPass(() => new Date(Date.now() + 10_000));
    expect(users()).toEqual([
      "ordered_a esim.installed",
      "ordered_b esim.installed",
      "ordered_a esim.installed",
      "ordered_a package.activated",
    ]);
    expect((await messagesOf(endpoint.id)).every((message) => message.status === "delivered")).toBe(true);
  });

  it("a replay in the inbox forwards nothing; forwarding again is asked for, with the same webhook-id", async () => {
    const target = await receiver();
    await endpointFor(target.url);
    const event = await store("package.activated");
    await runForwardingPass();
    expect(target.received).toHaveLength(1);

    await replayEvent(event.id, { dryRun: false });
    await runForwardingPass();
    expect(target.received).toHaveLength(1);

    expect(await forwardEventAgain(event.id)).toBe(1);
    await runForwardingPass();
    expect(target.received).toHaveLength(2);
    expect(target.received[1]!.webhookId).toBe(target.received[0]!.webhookId);
  });

  it("retrying one delivered message sends it once more", async () => {
    const target = await receiver();
    const { endpoint } = await endpointFor(target.url);
    await store("package.activated");
    await runForwardingPass();
    const [message] = await messagesOf(endpoint.id);
    await retryMessage(message!.id);
    await runForwardingPass();
    expect(target.received).toHaveLength(2);
  });

  it("an instance that died holding a message leaves it to another once its claim runs out", async () => {
    const target = await receiver();
    const { endpoint } = await endpointFor(target.url);
    await store("package.activated");
    // The fan-out ran and the message was claimed by an instance that then died before sending.
    await runForwardingPass(() => new Date(Date.now() - 3_600_000));
    await db().forwardMessage.updateMany({
      where: { endpointId: endpoint.id },
      data: { claimedUntil: new Date(Date.now() + 60_000) },
    });
    await db().forwardMessage.updateMany({ where: { endpointId: endpoint.id }, data: { status: "pending" } });
    const before = target.received.length;
    await runForwardingPass();
    expect(target.received).toHaveLength(before);
    await runForwardingPass(() => new Date(Date.now() + 61_000));
    expect(target.received).toHaveLength(before + 1);
  });
});

describe("endpoints from the environment", () => {
  it("are loaded from HUBBY_FORWARD_ENDPOINTS, read-only, and disabled once no longer declared", async () => {
    const target = await receiver();
    const secret = newSecret();
    const env = parseEnv({
      HUBBY_FORWARD_ENDPOINTS: JSON.stringify([{ url: target.url, secret, events: ["esim.installed"] }]),
    });
    await syncConfiguredEndpoints(env.HUBBY_FORWARD_ENDPOINTS);
    const [configured] = await db().forwardEndpoint.findMany();
    expect(configured).toMatchObject({ source: "config", url: target.url, eventTypes: ["esim.installed"], secret });
    await expect(
      updateEndpoint(
        configured!.id,
        endpointInputSchema.parse({ url: target.url, enabled: "on", headers: "", eventTypes: "" }),
      ),
    ).rejects.toThrow(/HUBBY_FORWARD_ENDPOINTS/);

    target.secrets = [secret];
    await store("esim.installed");
    await store("package.activated");
    await runForwardingPass();
    expect(target.received.map((request) => request.verifiedWith)).toEqual([[true]]);

    await syncConfiguredEndpoints([]);
    expect(await db().forwardEndpoint.findUniqueOrThrow({ where: { id: configured!.id } })).toMatchObject({
      enabled: false,
      disabledReason: "No longer declared in HUBBY_FORWARD_ENDPOINTS.",
    });
  });

  it("refuse a malformed HUBBY_FORWARD_ENDPOINTS at start, naming it", () => {
    expect(() => parseEnv({ HUBBY_FORWARD_ENDPOINTS: "[{url:" })).toThrow(EnvError);
    expect(() => parseEnv({ HUBBY_FORWARD_ENDPOINTS: "[{url:" })).toThrow(/HUBBY_FORWARD_ENDPOINTS/);
    expect(() =>
      parseEnv({ HUBBY_FORWARD_ENDPOINTS: JSON.stringify([{ url: "https://partner.example/hooks", secret: "nope" }]) }),
    ).toThrow(/HUBBY_FORWARD_ENDPOINTS.0.secret/);
    expect(parseEnv({}).HUBBY_FORWARD_ENDPOINTS).toEqual([]);
  });
});
