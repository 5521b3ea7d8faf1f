import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { resetEnvCache } from "@/lib/env";
import { kickForwarding, registerForwarding, stopForwarding } from "@/lib/forwarding/delivery";
import { createEndpoint } from "@/lib/forwarding/endpoints";
import { endpointInputSchema } from "@/lib/forwarding/schemas";
import { startJobs, stopJobs } from "@/lib/jobs/jobs";
import { onWebhookStored } from "@/lib/webhooks/receiver";
import { envelope, nodeReceiverPerFile } from "../support/webhooks";
import { startForwardReceiver } from "../support/forward-receiver";
import { eventually, testJobSchema } from "../support/jobs";

// Forwarding as the console runs it: registered at start, driven by the receiver's stored-event listener while
// deliveries arrive concurrently, with no test calling a pass.

const harness = nodeReceiverPerFile();

beforeAll(async () => {
  process.env.HUBBY_FORWARD_ALLOW_PRIVATE = "true";
  resetEnvCache();
  registerForwarding();
  await startJobs({ schema: testJobSchema(), pollingIntervalSeconds: 0.5, schedules: false });
});
afterAll(async () => {
  onWebhookStored(null);
  await kickForwarding();
  await stopJobs(1_000);
  delete process.env.HUBBY_FORWARD_ALLOW_PRIVATE;
  resetEnvCache();
});

describe("live forwarding", () => {
  it("starts a pass only for events stored while an endpoint is enabled", async () => {
    let passesAsked = 0;
    onWebhookStored(() => (passesAsked += 1));
    try {
      const burst = Array.from({ length: 30 }, (_, index) =>
        envelope("package.activated", { external_user_id: `quiet_${index % 5}` }, { event_id: `evt_quiet_${index}` }),
      );
      const replies = await Promise.all(burst.map((body) => harness.receiver.deliver(body)));
      const lone = await harness.receiver.deliver(envelope("package.activated", {}, { event_id: "evt_quiet_lone" }));
      expect([...replies, lone].every((reply) => reply.status === 200)).toBe(true);
      // Before, every stored event asked for a pass, each scanning for work that could not exist.
      expect(passesAsked).toBe(0);

      const receiver = await startForwardReceiver();
      await createEndpoint(
        endpointInputSchema.parse({ url: receiver.url, enabled: "on", headers: "", eventTypes: "" }),
      );
      await harness.receiver.deliver(envelope("package.activated", {}, { event_id: "evt_waited_for" }));
      expect(passesAsked).toBe(1);
      await receiver.close();
    } finally {
      await db().forwardMessage.deleteMany();
      await db().forwardEndpoint.deleteMany();
      // With no endpoint left, a pass marks the pending event forwarded, so the next test's endpoints never get it.
      await kickForwarding();
      registerForwarding();
    }
  });

  it("forwards every event of a concurrent burst to every endpoint, each once, right after intake", async () => {
    const receivers = [await startForwardReceiver(), await startForwardReceiver()];
    for (const receiver of receivers) {
      const { secret } = await createEndpoint(
        endpointInputSchema.parse({ url: receiver.url, enabled: "on", headers: "", eventTypes: "" }),
      );
      receiver.secrets = [secret];
    }
    const bodies = Array.from({ length: 60 }, (_, index) =>
      envelope("package.activated", { external_user_id: `live_${index % 7}` }, { event_id: `evt_live_${index}` }),
    );
    const replies = await Promise.all(bodies.map((body) => harness.receiver.deliver(body)));
    expect(replies.every((reply) => reply.status === 200)).toBe(true);
    for (const receiver of receivers) {
      await eventually("every event at the endpoint", async () => (receiver.received.length >= 60 ? true : undefined));
      expect(new Set(receiver.received.map((request) => request.webhookId)).size).toBe(60);
      expect(receiver.received.every((request) => request.verifiedWith[0] === true)).toBe(true);
      await receiver.close();
    }
    // Each attempt is recorded once its reply arrived.
    await eventually("every message recorded as delivered", async () =>
      (await db().forwardMessage.count({ where: { status: { not: "delivered" } } })) === 0 ? true : undefined,
    );
    expect(await db().forwardMessage.count({ where: { status: "delivered" } })).toBe(120);
  });

  // Last in the file: the engine stays stopped.
  it("after a graceful stop, a stored event stays pending for the next start instead of starting a pass", async () => {
    const receiver = await startForwardReceiver();
    const { secret } = await createEndpoint(
      endpointInputSchema.parse({ url: receiver.url, enabled: "on", headers: "", eventTypes: "" }),
    );
    receiver.secrets = [secret];
    await stopForwarding();
    const reply = await harness.receiver.deliver(
      envelope("package.activated", { external_user_id: "after_stop" }, { event_id: "evt_after_stop" }),
    );
    expect(reply.status).toBe(200);
    await kickForwarding();
    expect(receiver.received).toEqual([]);
    const stored = await db().webhookEvent.findFirst({ where: { eventId: "evt_after_stop" } });
    expect(await db().webhookForwardPending.count({ where: { eventId: stored!.id } })).toBe(1);
    await receiver.close();
  });
});
