"use server";
import { z } from "zod";
import { runAction, type ActionResult } from "@/lib/actions";
import { evaluateAlerts, type EvaluationOutcome } from "@/lib/alerts/evaluate";
import { acknowledgeIncident, acknowledgeSchema } from "@/lib/alerts/incidents";
import { sendChatTest } from "@/lib/alerts/notify";
import { chatWebhookSchema, ruleInputSchema, setChatWebhook, updateRule } from "@/lib/alerts/settings";
import { ActionError } from "@/lib/errors";

/** "I am on it": records who acknowledged the incident; reminders stop. */
export async function acknowledgeIncidentAction(_prev: unknown, form: FormData): Promise<ActionResult<{ id: string }>> {
  return runAction(
    {
      action: "alerts.acknowledge",
      permission: "alerts.view",
      schema: acknowledgeSchema,
      subject: ({ id }) => ({ targetType: "alert_incident", targetId: id }),
      run: ({ id }, { staff }) => acknowledgeIncident(id, staff),
      audit: (incident) => ({ details: { rule: incident.ruleKey, title: incident.title } }),
      reply: ({ id }) => ({ id }),
      revalidate: ["/alerts"],
    },
    form,
  );
}

/** An admin changes one rule: on/off, threshold, reminder interval, scope. */
export async function updateRuleAction(_prev: unknown, form: FormData): Promise<ActionResult<{ key: string }>> {
  return runAction(
    {
      action: "alerts.rule_update",
      permission: "alerts.manage",
      schema: ruleInputSchema,
      subject: ({ key }) => ({ targetType: "alert_rule", targetId: key }),
      run: async (input, { staff }) => ({ key: input.key, settings: await updateRule(input, staff) }),
      audit: ({ settings }) => ({ details: settings }),
      reply: ({ key }) => ({ key }),
      revalidate: ["/alerts/rules"],
    },
    form,
  );
}

/** An admin sets (or clears) the chat webhook the rules screen configures. */
export async function setChatWebhookAction(_prev: unknown, form: FormData): Promise<ActionResult<{ set: boolean }>> {
  return runAction(
    {
      action: "alerts.chat_webhook",
      permission: "alerts.manage",
      schema: chatWebhookSchema,
      subject: () => ({ targetType: "setting", targetId: "alerts.chatWebhookUrl" }),
      run: async ({ url }, { staff }) => {
        await setChatWebhook(url, staff);
        return { set: url !== "" };
      },
      // The URL of an incoming webhook is its secret: the audit entry says whether one is set, not which.
      audit: ({ set }) => ({ details: { set } }),
      revalidate: ["/alerts/rules"],
    },
    form,
  );
}

/** Posts a test message to the chat webhook in use; a refused or failing URL answers with the reason. */
export async function testChatWebhookAction(_prev: unknown, form: FormData): Promise<ActionResult<{ sent: true }>> {
  return runAction(
    {
      action: "alerts.chat_test",
      permission: "alerts.manage",
      schema: z.object({}),
      subject: () => ({ targetType: "setting", targetId: "alerts.chatWebhookUrl" }),
      run: () => sendChatTest(),
      audit: ({ fromEnv }) => ({ details: { fromEnv } }),
      reply: () => ({ sent: true as const }),
    },
    form,
  );
}

/** Evaluates every rule now, instead of at the next minute (after changing a rule, say). */
export async function evaluateNowAction(_prev: unknown, form: FormData): Promise<ActionResult<EvaluationOutcome>> {
  return runAction(
    {
      action: "alerts.evaluate",
      permission: "alerts.manage",
      schema: z.object({}),
      run: async () => {
        const outcome = await evaluateAlerts();
        if (outcome.failedRules.length) {
          throw new ActionError(
            `These rules could not be evaluated (see the server log): ${outcome.failedRules.join(", ")}.`,
          );
        }
        return outcome;
      },
      audit: (outcome) => ({
        details: { opened: outcome.opened, reminded: outcome.reminded, resolved: outcome.resolved },
      }),
      revalidate: ["/alerts", "/alerts/rules"],
    },
    form,
  );
}
