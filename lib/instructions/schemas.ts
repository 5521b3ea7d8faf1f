import { z } from "zod";
import { LOCALE_PATTERN } from "../hubby/locales";

/** What a preview asks Hubby for (POST /native/instructions, reference §4.5), in the console's field names. */

import { DEVICE_TYPES, INSTRUCTION_FORMATS, PHONE_OSES } from "./options";

export { DEVICE_TYPES, INSTRUCTION_FORMATS, PHONE_OSES, phoneOsLabels, previewLabel } from "./options";

const optionalText = (schema: z.ZodString) =>
  z
    .string()
    .nullish()
    .transform((value) => value?.trim() || undefined)
    .pipe(schema.optional());

export const previewInputSchema = z.object({
  externalUserId: z.string().trim().min(1, "Choose a traveler.").max(200, "At most 200 characters."),
  device: z
    .string({ error: "Enter the device, e.g. Apple iPhone 15 Pro." })
    .trim()
    .min(1, "Enter the device, e.g. Apple iPhone 15 Pro.")
    .max(100, "At most 100 characters."),
  deviceType: z.enum(DEVICE_TYPES, { error: "Choose phone, tablet or watch." }).default("phone"),
  phoneOs: z.enum(PHONE_OSES, { error: "Choose iOS or Android." }),
  osVersion: z
    .string({ error: "Enter the OS version, e.g. 17.4 or 15." })
    .trim()
    .regex(/^\d{1,3}(\.\d{1,3}){0,2}$/, "Enter the OS version, e.g. 17.4 or 15."),
  locale: z
    .string({ error: "Choose a locale, e.g. en-GB." })
    .trim()
    .regex(LOCALE_PATTERN, "Choose a locale, e.g. en-GB."),
  format: z.enum(INSTRUCTION_FORMATS, { error: "Choose HTML, JSON or Markdown." }).default("html"),
  customBranding: optionalText(
    z
      .string()
      .max(100, "At most 100 characters.")
      .regex(/^[A-Za-z0-9_.-]+$/, "A brand key has letters, digits, “-”, “_” and “.” only."),
  ),
});

export type PreviewInputs = z.output<typeof previewInputSchema>;

/** Hubby's field names (its error details) → the form's. */
export const hubbyFieldToInput: Record<string, keyof PreviewInputs> = {
  external_user_id: "externalUserId",
  device_name: "device",
  device_type: "deviceType",
  phone_os: "phoneOs",
  os_version: "osVersion",
  locale: "locale",
  format: "format",
  custom_branding: "customBranding",
};

/** /instructions?externalUserId=…: the traveler whose instructions to preview (the matrix reads its own keys). */
export const instructionsQuerySchema = z.object({
  externalUserId: z.string().trim().max(200).optional().catch(undefined),
});

/** The matrix's keys that repeat in the URL: one `row` per device, one `locale` per column. */
export const MATRIX_REPEATED_KEYS = ["row", "locale"] as const;

// ── Comparison matrix: rows are device + OS + version, columns are locales, all in the URL ────────────────────

export type MatrixRow = { device: string; phoneOs: (typeof PHONE_OSES)[number]; osVersion: string };

export const PRESET_ROWS: readonly MatrixRow[] = [
  { device: "Apple iPhone 15 Pro", phoneOs: "ios", osVersion: "17.4" },
  { device: "Apple iPhone 12", phoneOs: "ios", osVersion: "16" },
  { device: "Google Pixel 8", phoneOs: "android", osVersion: "15" },
  { device: "Samsung Galaxy S24", phoneOs: "android", osVersion: "14" },
];
export const DEFAULT_MATRIX_LOCALES = ["en-GB", "de-DE"] as const;
export const MAX_MATRIX_ROWS = 6;
export const MAX_MATRIX_LOCALES = 4;

/** `Apple iPhone 15 Pro|ios|17.4` ↔ a row. */
export function encodeRow(row: MatrixRow): string {
  return `${row.device}|${row.phoneOs}|${row.osVersion}`;
}

const rowSchema = z
  .string()
  .transform((value) => value.split("|").map((part) => part.trim()))
  .pipe(
    z.tuple([previewInputSchema.shape.device, previewInputSchema.shape.phoneOs, previewInputSchema.shape.osVersion]),
  )
  .transform(([device, phoneOs, osVersion]): MatrixRow => ({ device, phoneOs, osVersion }));

const many = (value: unknown) => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

export const matrixQuerySchema = z
  .object({
    row: z.preprocess(many, z.array(rowSchema)),
    locale: z.preprocess(many, z.array(previewInputSchema.shape.locale)),
    customDevice: z.string().optional(),
    customOs: z.string().optional(),
    customVersion: z.string().optional(),
    brand: previewInputSchema.shape.customBranding,
  })
  .transform((query, context) => {
    const rows = [...query.row];
    if (query.customDevice?.trim()) {
      const custom = rowSchema.safeParse(`${query.customDevice}|${query.customOs ?? ""}|${query.customVersion ?? ""}`);
      if (!custom.success) {
        context.addIssue({ code: "custom", message: "The extra device needs a name, iOS or Android, and a version." });
        return z.NEVER;
      }
      rows.push(custom.data);
    }
    const unique = [...new Map(rows.map((row) => [encodeRow(row), row])).values()];
    const locales = [...new Set(query.locale)];
    if (unique.length > MAX_MATRIX_ROWS) {
      context.addIssue({ code: "custom", message: `Compare at most ${MAX_MATRIX_ROWS} devices at once.` });
    }
    if (locales.length > MAX_MATRIX_LOCALES) {
      context.addIssue({ code: "custom", message: `Compare at most ${MAX_MATRIX_LOCALES} locales at once.` });
    }
    return { rows: unique, locales, brand: query.brand };
  });

export type MatrixQuery = z.output<typeof matrixQuerySchema>;
