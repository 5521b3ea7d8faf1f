import { describe, expect, it } from "vitest";
import {
  acknowledgeIncidentAction,
  evaluateNowAction,
  setChatWebhookAction,
  testChatWebhookAction,
  updateRuleAction,
} from "@/app/(console)/alerts/actions";
import { saveAlertEmailsAction } from "@/app/(console)/account/subscription-actions";
import { emailRecipients } from "@/lib/alerts/notify";
import { ruleSettings } from "@/lib/alerts/settings";
import { subscriptionsFor } from "@/lib/alerts/incidents";
import { db } from "@/lib/db";
import { resetEnvCache } from "@/lib/env";
import { FORBIDDEN_MESSAGE } from "@/lib/errors";
import { form, signInAs } from "../support/factories";
import { startChatReceiver } from "../support/smtp-sink";

// The alert screens' actions through the action runner: who may do what, form mistakes by field, audit entries.

const ruleForm = (values: Record<string, string>) =>
  form({ key: "hubby_error_rate", enabled: "on", threshold: "35", remindHours: "2", scope: "", ...values });

describe("alert rule actions", () => {
  it("an admin changes a rule (audited); bad thresholds and scopes are refused by field", async () => {
    const admin = await signInAs("admin");
    expect(await updateRuleAction(null, ruleForm({ threshold: "101" }))).toMatchObject({
      ok: false,
      fieldErrors: { threshold: [expect.stringContaining("Between 0 and 100")] },
    });
    expect(await updateRuleAction(null, ruleForm({ scope: "bookings" }))).toMatchObject({
      ok: false,
      fieldErrors: { scope: ["An endpoint as the API log names it, e.g. POST /bookings."] },
    });
    expect(await updateRuleAction(null, form({ key: "nonsense", threshold: "1", remindHours: "1" }))).toMatchObject({
      ok: false,
      fieldErrors: { key: ["Unknown rule."] },
    });
    expect(
      await updateRuleAction(null, ruleForm({ enabled: "", scope: "POST /bookings", threshold: "35.5" })),
    ).toMatchObject({ ok: true, data: { key: "hubby_error_rate" } });
    const rule = (await ruleSettings()).find((setting) => setting.key === "hubby_error_rate");
    expect(rule).toMatchObject({ enabled: false, threshold: 35.5, scope: "POST /bookings", remindHours: 2 });
    expect(
      await db().auditEntry.findFirstOrThrow({ where: { action: "alerts.rule_update", result: "ok" } }),
    ).toMatchObject({
      actorId: admin.id,
      targetType: "alert_rule",
      targetId: "hubby_error_rate",
      details: { enabled: false, threshold: 35.5, scope: "POST /bookings", remindHours: 2 },
    });

    expect(await setChatWebhookAction(null, form({ url: "ftp://chat.example/hook" }))).toMatchObject({
      ok: false,
      fieldErrors: { url: ["An http:// or https:// URL, or empty."] },
    });
    expect(await setChatWebhookAction(null, form({ url: "https://hooks.example.test/T1/B2/secret" }))).toMatchObject({
      ok: true,
    });
    const entry = await db().auditEntry.findFirstOrThrow({ where: { action: "alerts.chat_webhook" } });
    // The webhook URL is its secret: the audit says that one is set, not which.
    expect(JSON.stringify(entry.details)).not.toContain("secret");
    expect(await evaluateNowAction(null, form({}))).toMatchObject({ ok: true, data: { failedRules: [] } });
  });

  it.each(["support", "campaign_manager"] as const)("%s may not change rules nor the chat webhook", async (role) => {
    await signInAs(role);
    expect(await updateRuleAction(null, ruleForm({}))).toEqual({ ok: false, message: FORBIDDEN_MESSAGE });
    expect(await setChatWebhookAction(null, form({ url: "" }))).toEqual({ ok: false, message: FORBIDDEN_MESSAGE });
    expect(await evaluateNowAction(null, form({}))).toEqual({ ok: false, message: FORBIDDEN_MESSAGE });
    expect(await db().auditEntry.count({ where: { action: "alerts.rule_update", result: "refused" } })).toBeGreaterThan(
      0,
    );
  });

  it("acknowledging an incident a role cannot see is refused as if it did not exist", async () => {
    const incident = await db().alertIncident.create({
      data: {
        ruleKey: "campaign_finished",
        scope: "campaign:x",
        openScope: "campaign:x",
        title: "Campaign finished",
        summary: "done",
        link: "/campaigns/x",
        lastSeenAt: new Date(),
        lastNotifiedAt: new Date(),
      },
    });
    await signInAs("support");
    expect(await acknowledgeIncidentAction(null, form({ id: incident.id.toString() }))).toMatchObject({
      ok: false,
      message: "This incident does not exist.",
    });
    const manager = await signInAs("campaign_manager");
    expect(await acknowledgeIncidentAction(null, form({ id: incident.id.toString() }))).toMatchObject({ ok: true });
    expect(await db().alertIncident.findUniqueOrThrow({ where: { id: incident.id } })).toMatchObject({
      acknowledgedById: manager.id,
      acknowledgedByEmail: manager.email,
    });
  });
});

function setEnv(name: string, value: string | undefined) {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
  resetEnvCache();
}

describe("the chat webhook goes out through the filtering agent", () => {
  it("refuses a loopback or private URL when saved and when tested, unless ALERT_CHAT_ALLOW_PRIVATE is set", async () => {
    await signInAs("admin");
    await db().consoleSetting.deleteMany({ where: { key: "alerts.chatWebhookUrl" } });
    const refusal = "is a loopback, private or link-local address, refused unless ALERT_CHAT_ALLOW_PRIVATE=true.";
    const refused: Array<[string, RegExp]> = [
      ["http://127.0.0.1:9/hook", /^127\.0\.0\.1 /],
      ["http://10.1.2.3/hook", /^10\.1\.2\.3 /],
      ["http://[::1]:9/hook", /^::1 /],
      // A name is resolved first: localhost is loopback too (IPv4 or IPv6, as the resolver orders them).
      ["http://localhost:9/hook", /^localhost \((127\.0\.0\.1|::1)\) /],
    ];
    for (const [url, where] of refused) {
      const result = await setChatWebhookAction(null, form({ url }));
      expect(result).toMatchObject({ ok: false, message: "Please correct the highlighted fields." });
      const [message] = (!result.ok && result.fieldErrors?.url) || [];
      expect(message).toMatch(where);
      expect(message!.endsWith(refusal)).toBe(true);
    }
    expect(await db().consoleSetting.findUnique({ where: { key: "alerts.chatWebhookUrl" } })).toBeNull();

    // Set in the environment, it cannot be refused at saving: the test message says why nothing will arrive.
    const chat = await startChatReceiver();
    try {
      setEnv("ALERT_CHAT_WEBHOOK_URL", chat.url);
      expect(await testChatWebhookAction(null, form({}))).toEqual({
        ok: false,
        message: `The chat webhook did not take the test message: 127.0.0.1 ${refusal}`,
      });
      expect(chat.bodies).toHaveLength(0);

      setEnv("ALERT_CHAT_ALLOW_PRIVATE", "true");
      expect(await testChatWebhookAction(null, form({}))).toEqual({ ok: true, data: { sent: true } });
      expect(chat.bodies).toHaveLength(1);
      expect(chat.bodies[0]!.text).toMatch(/^\*Test\*: the Hubby console's alerts reach this channel\./);
      chat.status = 404;
      expect(await testChatWebhookAction(null, form({}))).toEqual({
        ok: false,
        message: "The chat webhook did not take the test message: the chat webhook answered HTTP 404",
      });

      setEnv("ALERT_CHAT_WEBHOOK_URL", undefined);
      expect(await setChatWebhookAction(null, form({ url: chat.url }))).toMatchObject({ ok: true });
      expect(await db().auditEntry.count({ where: { action: "alerts.chat_test" } })).toBeGreaterThanOrEqual(3);
    } finally {
      await chat.close();
      setEnv("ALERT_CHAT_WEBHOOK_URL", undefined);
      setEnv("ALERT_CHAT_ALLOW_PRIVATE", undefined);
      await db().consoleSetting.deleteMany({ where: { key: "alerts.chatWebhookUrl" } });
    }
  });
});

describe("alert emails on My account", () => {
  it("a support agent starts from the role's defaults and chooses; the choice decides the recipients", async () => {
    const agent = await signInAs("support");
    const before = await subscriptionsFor(agent);
    expect(before.filter((entry) => entry.email).map((entry) => entry.key)).toEqual([
      "departures_not_installed",
      "usage_crossed_80",
    ]);
    // Hubby's API rules link to the API log, which support cannot open: not offered.
    expect(before.map((entry) => entry.key)).not.toContain("hubby_error_rate");
    expect(await emailRecipients("departures_not_installed")).toContain(agent.email);

    const choice = new FormData();
    choice.append("rules", "usage_crossed_80");
    choice.append("rules", "booking_intent_unknown");
    expect(await saveAlertEmailsAction(null, choice)).toEqual({
      ok: true,
      data: { emailRules: ["usage_crossed_80", "booking_intent_unknown"] },
    });
    expect(await emailRecipients("departures_not_installed")).not.toContain(agent.email);
    expect(await emailRecipients("booking_intent_unknown")).toContain(agent.email);
    expect(await db().auditEntry.findFirstOrThrow({ where: { action: "account.alert_emails" } })).toMatchObject({
      actorId: agent.id,
      targetId: agent.id,
    });

    const refused = new FormData();
    refused.append("rules", "hubby_unreachable");
    expect(await saveAlertEmailsAction(null, refused)).toMatchObject({
      ok: false,
      message: "Your role does not see some of these alerts.",
    });
    // Nothing checked: no alert email at all.
    expect(await saveAlertEmailsAction(null, new FormData())).toEqual({ ok: true, data: { emailRules: [] } });
    expect(await emailRecipients("usage_crossed_80")).not.toContain(agent.email);
  });
});
