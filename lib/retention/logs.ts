import "server-only";
import { getDatabase } from "../db";

/** Rows deleted per statement, so one run never holds a long lock on a large log. */
const DELETE_BATCH = 5_000;

async function deleteInBatches(table: "ApiCall" | "AuditEntry", cutoff: Date): Promise<number> {
  const { sql } = getDatabase();
  let deleted = 0;
  for (;;) {
    const rows = await sql.query<{ id: string }>(
      `DELETE FROM "${table}" WHERE id IN (SELECT id FROM "${table}" WHERE at < $1 ORDER BY id LIMIT ${DELETE_BATCH})
       RETURNING id`,
      [cutoff],
    );
    deleted += rows.length;
    if (rows.length < DELETE_BATCH) return deleted;
  }
}

/** Deletes Hubby API log rows older than the cutoff, in batches; answers how many. */
export function deleteApiCallsBefore(cutoff: Date): Promise<number> {
  return deleteInBatches("ApiCall", cutoff);
}

/**
 * Deletes audit entries older than the cutoff (and, by their cascade, the travelers an entry's read listed), in
 * batches; answers how many. The caller holds the cutoff to the floor (settings.ts).
 */
export function deleteAuditEntriesBefore(cutoff: Date): Promise<number> {
  return deleteInBatches("AuditEntry", cutoff);
}
