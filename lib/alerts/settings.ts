import "server-only";
import { z } from "zod";
import { db } from "../db";
import { getEnv } from "../env";
import { ValidationError } from "../errors";
import { refusedDestination } from "../outbound";
import { alertRuleKeys, alertRules, defaultSettings, type AlertRuleKey, type RuleSettings } from "./rules";

/** The rules' settings as admins left them (a rule without a row runs with its defaults), and the chat webhook. */

export type RuleView = RuleSettings & {
  key: AlertRuleKey;
  updatedAt: Date | null;
  updatedByEmail: string | null;
};

/** HUBBY_WEBHOOK_SILENCE_HOURS (the inbox's warning before alerts existed) stays the silence rule's default. */
function envDefaults(key: AlertRuleKey): Partial<RuleSettings> {
  return key === "webhook_silence" ? { threshold: getEnv().HUBBY_WEBHOOK_SILENCE_HOURS } : {};
}

export async function ruleSettings(): Promise<RuleView[]> {
  const rows = await db().alertRule.findMany();
  const byKey = new Map(rows.map((row) => [row.key, row]));
  return alertRuleKeys.map((key) => {
    const row = byKey.get(key);
    return row
      ? {
          key,
          enabled: row.enabled,
          threshold: row.threshold,
          scope: row.scope,
          remindHours: row.remindHours,
          updatedAt: row.updatedAt,
          updatedByEmail: row.updatedByEmail,
        }
      : { key, ...defaultSettings(key), ...envDefaults(key), updatedAt: null, updatedByEmail: null };
  });
}

/** The rules screen's form for one rule; the threshold's range and kind depend on the rule. */
export const ruleInputSchema = z.object({
  key: z.enum(alertRuleKeys, { message: "Unknown rule." }),
  enabled: z
    .union([z.literal("on"), z.literal("true"), z.literal("")])
    .optional()
    .transform((value) => value === "on" || value === "true"),
  threshold: z.coerce.number({ message: "Enter a number." }).refine(Number.isFinite, "Enter a number."),
  remindHours: z.coerce
    .number({ message: "Enter a number of hours." })
    .min(0.25, "At least 0.25 hours (15 minutes).")
    .max(10_000, "At most 10000 hours."),
  scope: z.string().trim().max(200, "At most 200 characters.").default(""),
});
export type RuleInput = z.output<typeof ruleInputSchema>;

export async function updateRule(input: RuleInput, actor: { id: string; email: string }): Promise<RuleSettings> {
  const definition = alertRules[input.key];
  const fieldErrors: Record<string, string[]> = {};
  if (input.threshold < definition.min || input.threshold > definition.max) {
    fieldErrors.threshold = [`Between ${definition.min} and ${definition.max} (${definition.thresholdLabel}).`];
  } else if (definition.integer && !Number.isInteger(input.threshold)) {
    fieldErrors.threshold = ["A whole number."];
  }
  if (input.scope && !definition.scopeLabel) fieldErrors.scope = ["This rule has no scope to set."];
  if (input.scope && input.key.startsWith("hubby_") && !/^[A-Z]+ \/\S*$/.test(input.scope)) {
    fieldErrors.scope = ["An endpoint as the API log names it, e.g. POST /bookings."];
  }
  if (Object.keys(fieldErrors).length) throw new ValidationError(fieldErrors);
  const settings = {
    enabled: input.enabled,
    threshold: input.threshold,
    scope: input.scope,
    remindHours: input.remindHours,
  };
  await db().alertRule.upsert({
    where: { key: input.key },
    create: { key: input.key, ...settings, updatedById: actor.id, updatedByEmail: actor.email },
    update: { ...settings, updatedById: actor.id, updatedByEmail: actor.email },
  });
  return settings;
}

const CHAT_WEBHOOK_SETTING = "alerts.chatWebhookUrl";

export const chatWebhookSchema = z.object({
  url: z
    .string()
    .trim()
    .max(2_000, "At most 2000 characters.")
    .refine((value) => value === "" || /^https?:\/\/\S+$/.test(value), "An http:// or https:// URL, or empty.")
    .refine((value) => value === "" || URL.canParse(value), "Not a valid URL."),
});

/** Where chat messages go: ALERT_CHAT_WEBHOOK_URL wins over the rules screen's setting. */
export async function chatWebhook(): Promise<{ url: string | null; fromEnv: boolean }> {
  const fromEnv = getEnv().ALERT_CHAT_WEBHOOK_URL;
  if (fromEnv) return { url: fromEnv, fromEnv: true };
  const row = await db().consoleSetting.findUnique({ where: { key: CHAT_WEBHOOK_SETTING } });
  return { url: typeof row?.value === "string" && row.value ? row.value : null, fromEnv: false };
}

/** Refuses, as a field error, a URL the chat delivery would refuse (a private address without the setting). */
export async function setChatWebhook(url: string, actor: { id: string; email: string }): Promise<void> {
  const refused =
    url && !getEnv().ALERT_CHAT_ALLOW_PRIVATE ? await refusedDestination(url, "ALERT_CHAT_ALLOW_PRIVATE") : null;
  if (refused) throw new ValidationError({ url: [refused] });
  await db().consoleSetting.upsert({
    where: { key: CHAT_WEBHOOK_SETTING },
    create: { key: CHAT_WEBHOOK_SETTING, value: url, updatedById: actor.id, updatedByEmail: actor.email },
    update: { value: url, updatedById: actor.id, updatedByEmail: actor.email },
  });
}
