import "server-only";
import { z } from "zod";
import { db } from "../db";
import { AUDIT_RETENTION_FLOOR_YEARS, getEnv } from "../env";
import type { Prisma } from "../generated/prisma/client";

/**
 * The retention settings: the environment gives the defaults (lib/env.ts), an admin's values on /retention (stored
 * in ConsoleSetting under one key) win over them. The audit log never goes below AUDIT_RETENTION_FLOOR_YEARS,
 * whatever the source (decision 0064).
 */
const SETTINGS_KEY = "retention.settings";

export type RetentionSettings = { webhookMonths: number; apiLogDays: number; auditYears: number };

export const retentionSettingsSchema = z.object({
  webhookMonths: z.coerce
    .number({ message: "Enter a number of months." })
    .int("Enter a whole number of months.")
    .min(1, "Keep webhooks at least 1 month.")
    .max(120, "At most 120 months."),
  apiLogDays: z.coerce
    .number({ message: "Enter a number of days." })
    .int("Enter a whole number of days.")
    .min(1, "Keep the API log at least 1 day.")
    .max(3_650, "At most 3650 days."),
  auditYears: z.coerce
    .number({ message: "Enter a number of years." })
    .int("Enter a whole number of years.")
    .min(
      AUDIT_RETENTION_FLOOR_YEARS,
      `The audit log is kept at least ${AUDIT_RETENTION_FLOOR_YEARS} year: it is the record of who read and changed travelers' data.`,
    )
    .max(100, "At most 100 years."),
});

/** The defaults from the environment. */
export function envRetentionDefaults(): RetentionSettings {
  const env = getEnv();
  return {
    webhookMonths: env.RETENTION_WEBHOOK_MONTHS,
    apiLogDays: env.API_LOG_RETENTION_DAYS,
    auditYears: env.RETENTION_AUDIT_YEARS,
  };
}

export type RetentionSettingsView = {
  current: RetentionSettings;
  defaults: RetentionSettings;
  /** Who saved the stored values, and when; null while the defaults apply. */
  saved: { at: Date; byEmail: string | null } | null;
};

export async function retentionSettingsView(): Promise<RetentionSettingsView> {
  const defaults = envRetentionDefaults();
  const row = await db().consoleSetting.findUnique({ where: { key: SETTINGS_KEY } });
  // A stored value that does not pass (edited by hand, say) is ignored field by field: its default applies, which
  // keeps more rather than less.
  const stored = (row?.value ?? {}) as Record<string, unknown>;
  const pick = <K extends keyof RetentionSettings>(key: K): RetentionSettings[K] => {
    const parsed = retentionSettingsSchema.shape[key].safeParse(stored[key]);
    return parsed.success ? (parsed.data as RetentionSettings[K]) : defaults[key];
  };
  const current = {
    webhookMonths: pick("webhookMonths"),
    apiLogDays: pick("apiLogDays"),
    auditYears: pick("auditYears"),
  };
  return { current, defaults, saved: row ? { at: row.updatedAt, byEmail: row.updatedByEmail } : null };
}

export async function retentionSettings(): Promise<RetentionSettings> {
  return (await retentionSettingsView()).current;
}

/** Stores the admin's values (already checked against retentionSettingsSchema); answers before and after. */
export async function saveRetentionSettings(
  next: RetentionSettings,
  actor: { id: string; email: string },
): Promise<{ before: RetentionSettings; after: RetentionSettings }> {
  const checked = retentionSettingsSchema.parse(next);
  const before = await retentionSettings();
  const value = checked as unknown as Prisma.InputJsonValue;
  const by = { updatedById: actor.id, updatedByEmail: actor.email };
  await db().consoleSetting.upsert({
    where: { key: SETTINGS_KEY },
    create: { key: SETTINGS_KEY, value, ...by },
    update: { value, ...by },
  });
  return { before, after: checked };
}
