import "server-only";
import type { SqlRunner } from "../db";

/**
 * The columns that can hold a traveler's id, read from the database's own catalog (information_schema) at the time
 * of the export or erasure: every text, JSON, text-array and bytea column of every table, so a table added later
 * is covered without a change here (tests/integration/privacy.test.ts searches the same catalog afterwards).
 */
export type ColumnKind = "text" | "json" | "jsonb" | "array" | "bytea";
export type TableColumns = { table: string; columns: { name: string; kind: ColumnKind }[] };

/** Tables that never hold a traveler's personal data: the migration ledger and the tombstones (pseudonyms only). */
const SKIPPED_TABLES = new Set(["_console_migrations", "ErasedTraveler"]);

export async function personalDataColumns(sql: SqlRunner): Promise<TableColumns[]> {
  const rows = await sql.query<{ table_name: string; column_name: string; data_type: string; udt_name: string }>(
    `SELECT c.table_name, c.column_name, c.data_type, c.udt_name
       FROM information_schema.columns c
       JOIN information_schema.tables t
         ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
      WHERE c.table_schema = current_schema()
        -- A partition's rows are its partitioned table's (WebhookEvent's months): read and rewritten through it.
        AND c.table_name NOT IN (SELECT relname FROM pg_class WHERE relispartition)
        AND (c.data_type IN ('text', 'character varying', 'json', 'jsonb', 'bytea') OR c.udt_name IN ('_text', '_varchar'))
      ORDER BY c.table_name, c.ordinal_position`,
  );
  const tables = new Map<string, TableColumns>();
  for (const row of rows) {
    if (SKIPPED_TABLES.has(row.table_name)) continue;
    const kind: ColumnKind =
      row.data_type === "json"
        ? "json"
        : row.data_type === "jsonb"
          ? "jsonb"
          : row.data_type === "bytea"
            ? "bytea"
            : row.data_type === "ARRAY"
              ? "array"
              : "text";
    const entry = tables.get(row.table_name) ?? { table: row.table_name, columns: [] };
    entry.columns.push({ name: row.column_name, kind });
    tables.set(row.table_name, entry);
  }
  return [...tables.values()];
}

export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The column as text to search: JSON as its text, arrays joined by a separator no id contains. */
export function asText(column: { name: string; kind: ColumnKind }, alias = ""): string {
  const ref = `${alias}${quoteIdent(column.name)}`;
  if (column.kind === "json" || column.kind === "jsonb") return `${ref}::text`;
  if (column.kind === "array") return `array_to_string(${ref}, chr(31))`;
  return ref;
}
