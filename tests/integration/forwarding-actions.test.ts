import { describe, expect, it } from "vitest";
import {
  createEndpointAction,
  recoverFailedAction,
  rotateSecretAction,
  sendTestEventAction,
  updateEndpointAction,
} from "@/app/(console)/forwarding/actions";
import { db } from "@/lib/db";
import { FORBIDDEN_MESSAGE } from "@/lib/errors";
import { syncConfiguredEndpoints } from "@/lib/forwarding/endpoints";
import { form, signInAs } from "../support/factories";

// The Forwarding screen's actions through runAction: admins only, every change audited, secrets never in the log.

const endpointForm = (fields: Record<string, string> = {}) =>
  form({
    url: "https://push.partner.example/hubby",
    description: "Push",
    eventTypes: "",
    headers: "",
    enabled: "on",
    ...fields,
  });

describe("forwarding actions", () => {
  it("an admin adds an endpoint: the secret comes back once and is not in the audit log", async () => {
    const admin = await signInAs("admin");
    const result = await createEndpointAction(null, endpointForm({ eventTypes: "esim.installed, hubby.not_yet" }));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.data.secret).toMatch(/^whsec_/);
    const entry = await db().auditEntry.findFirst({
      where: { action: "forwarding.endpoint.create", actorId: admin.id },
      orderBy: { id: "desc" },
    });
    expect(entry).toMatchObject({ result: "ok", targetType: "forward_endpoint", targetId: String(result.data.id) });
    expect(entry!.details).toMatchObject({ eventTypes: ["esim.installed", "hubby.not_yet"] });
    expect(JSON.stringify(entry!.details)).not.toContain(result.data.secret);

    const rotated = await rotateSecretAction(null, form({ id: String(result.data.id) }));
    expect(rotated.ok).toBe(true);
    const rotation = await db().auditEntry.findFirst({ where: { action: "forwarding.endpoint.rotate_secret" } });
    expect(JSON.stringify(rotation!.details)).not.toContain(rotated.ok ? rotated.data.secret : "-");
  });

  it("bad input is shown by field, never stored", async () => {
    await signInAs("admin");
    const before = await db().forwardEndpoint.count();
    const result = await createEndpointAction(
      null,
      endpointForm({ url: "ftp://partner.example", headers: "webhook-signature: forged", rateLimitPerSecond: "0" }),
    );
    expect(result).toMatchObject({ ok: false });
    if (result.ok) return;
    expect(Object.keys(result.fieldErrors ?? {}).sort()).toEqual(["headers", "rateLimitPerSecond", "url"]);
    expect(await db().forwardEndpoint.count()).toBe(before);
    const recover = await recoverFailedAction(null, form({ id: "1", since: "yesterday" }));
    expect(recover).toMatchObject({ ok: false, fieldErrors: { since: ["Choose a date and time."] } });
  });

  it("endpoints from HUBBY_FORWARD_ENDPOINTS cannot be changed from the screen, and the refusal is audited", async () => {
    await syncConfiguredEndpoints([
      { url: "https://config.partner.example/hooks", secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" },
    ]);
    const configured = await db().forwardEndpoint.findUniqueOrThrow({
      where: { configKey: "https://config.partner.example/hooks" },
    });
    await signInAs("admin");
    const result = await updateEndpointAction(
      null,
      endpointForm({ id: String(configured.id), url: "https://elsewhere.example" }),
    );
    expect(result).toMatchObject({ ok: false, message: expect.stringContaining("HUBBY_FORWARD_ENDPOINTS") });
    expect(
      await db().auditEntry.findFirst({ where: { action: "forwarding.endpoint.update", result: "refused" } }),
    ).not.toBeNull();
    expect((await db().forwardEndpoint.findUniqueOrThrow({ where: { id: configured.id } })).url).toBe(configured.url);
  });

  it.each(["support", "campaign_manager"] as const)("%s may not use them", async (role) => {
    await signInAs(role);
    const result = await createEndpointAction(null, endpointForm());
    expect(result).toEqual({ ok: false, message: FORBIDDEN_MESSAGE });
    const test = await sendTestEventAction(null, form({ id: "1" }));
    expect(test).toEqual({ ok: false, message: FORBIDDEN_MESSAGE });
  });
});
