import "server-only";
import { csvLine } from "../csv";
import { getDatabase } from "../db";
import { asText, personalDataColumns, quoteIdent } from "./catalog";
import { matchCondition } from "./erasure";
import { bytesContainId, idForms, tokenPattern } from "./matching";

/**
 * Everything the console stores about one traveler, grouped by table: every row of every table whose text, JSON,
 * text-array or bytea columns carry the traveler's id (found through the database catalog, as erasure finds them),
 * and the rows tied to those without repeating the id (a booking intent's history, the forwarding of the traveler's
 * webhooks, promo codes of the traveler's bookings).
 */
export type PersonalDataExport = {
  externalUserId: string;
  exportedAt: string;
  exportedBy: string;
  /** Rows per table; every value as the database holds it (bytes as \x hex, as PostgreSQL writes them). */
  tables: Record<string, Record<string, unknown>[]>;
};

type Row = Record<string, unknown>;

/** Rows tied to a matched row by a key, though they do not repeat the id themselves. */
const related: { table: string; column: string; from: string; key: string }[] = [
  { table: "BookingIntentEvent", column: "intentId", from: "BookingIntent", key: "id" },
  { table: "ForwardMessage", column: "eventId", from: "WebhookEvent", key: "id" },
  { table: "ForwardAttempt", column: "messageId", from: "ForwardMessage", key: "id" },
  { table: "PromoCode", column: "intentId", from: "BookingIntent", key: "id" },
  { table: "PromoCode", column: "redemptionBookingId", from: "TravelerBooking", key: "bookingId" },
  { table: "PromoRedemption", column: "bookingId", from: "TravelerBooking", key: "bookingId" },
];

export async function exportPersonalData(externalUserId: string, exportedBy: string): Promise<PersonalDataExport> {
  const { sql } = getDatabase();
  const forms = idForms(externalUserId).map((literal) => ({
    literal,
    pattern: tokenPattern(literal),
    replacement: "",
  }));
  const tables: Record<string, Row[]> = {};
  const add = (table: string, rows: Row[]) => {
    if (rows.length === 0) return;
    const seen = new Set((tables[table] ?? []).map((row) => JSON.stringify(row)));
    const fresh = rows.filter((row) => !seen.has(JSON.stringify(row)));
    if (fresh.length > 0) tables[table] = [...(tables[table] ?? []), ...fresh];
  };

  for (const table of await personalDataColumns(sql)) {
    const text = table.columns.filter((column) => column.kind !== "bytea");
    const bytes = table.columns.filter((column) => column.kind === "bytea");
    // Only the parameters the statement refers to: PostgreSQL cannot type one it never sees.
    const params = text.length > 0 ? forms.flatMap((form) => [form.literal, form.pattern]) : [];
    const textMatch =
      text.length > 0 ? text.map((column) => matchCondition(asText(column, "t."), forms, 2)).join(" OR ") : "false";
    const byteLiterals = bytes.flatMap(() => forms.map((form) => Buffer.from(form.literal, "utf8").toString("hex")));
    const byteMatch = bytes.flatMap((column, c) =>
      forms.map(
        (_, f) =>
          `position(decode($${params.length + c * forms.length + f + 1}, 'hex') IN t.${quoteIdent(column.name)}) > 0`,
      ),
    );
    const rows = await sql.query<{ row: Row; text_match: boolean }>(
      `SELECT to_jsonb(t) AS row, (${textMatch}) AS text_match FROM ${quoteIdent(table.table)} t
        WHERE ${[textMatch, ...byteMatch].map((condition) => `(${condition})`).join(" OR ")}`,
      [...params, ...byteLiterals],
    );
    add(
      table.table,
      rows
        .filter(
          (row) =>
            row.text_match ||
            bytes.some((column) => {
              const value = row.row[column.name];
              return typeof value === "string" && bytesContainId(Buffer.from(value.slice(2), "hex"), externalUserId);
            }),
        )
        .map((row) => row.row),
    );
  }

  for (const link of related) {
    const keys = [...new Set((tables[link.from] ?? []).map((row) => row[link.key]).filter((key) => key != null))];
    if (keys.length === 0) continue;
    const rows = await sql.query<{ row: Row }>(
      `SELECT to_jsonb(t) AS row FROM ${quoteIdent(link.table)} t WHERE t.${quoteIdent(link.column)}::text = ANY($1::text[])`,
      [keys.map(String)],
    );
    add(
      link.table,
      rows.map((row) => row.row),
    );
  }

  const sorted = Object.fromEntries(Object.entries(tables).sort(([a], [b]) => a.localeCompare(b)));
  return { externalUserId, exportedAt: new Date().toISOString(), exportedBy, tables: sorted };
}

/** Rows exported per table (the audit entry's details). */
export function exportCounts(data: PersonalDataExport): Record<string, number> {
  return Object.fromEntries(Object.entries(data.tables).map(([table, rows]) => [table, rows.length]));
}

/**
 * The export as one CSV a spreadsheet opens: a line per stored value, `table,record,field,value`, where `record`
 * numbers the rows of a table (1, 2, …) and objects and lists are written as JSON.
 */
export function exportCsv(data: PersonalDataExport): string {
  const lines = [csvLine(["table", "record", "field", "value"])];
  for (const [table, rows] of Object.entries(data.tables)) {
    rows.forEach((row, index) => {
      for (const [field, value] of Object.entries(row)) {
        const cell =
          value === null || typeof value !== "object"
            ? (value as string | number | boolean | null)
            : JSON.stringify(value);
        lines.push(csvLine([table, index + 1, field, cell]));
      }
    });
  }
  return lines.join("");
}
