import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Database, SqlRunner } from "./db";

/**
 * Applies prisma/migrations/<name>/migration.sql in name order, each in a transaction, recorded with a checksum.
 * Prisma's own `migrate deploy` hangs on PGlite and fails through adapter-pg (see docs/architecture.md, "Databases and migrations").
 */

export const MIGRATIONS_DIR = path.join(process.cwd(), "prisma", "migrations");
const MIGRATION_LOCK_KEY = 72_410_001;

export type MigrationFile = { name: string; sql: string; checksum: string };

export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MigrationError";
  }
}

export function readMigrationFiles(dir = MIGRATIONS_DIR): MigrationFile[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(dir, entry.name, "migration.sql")))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: crypto.createHash("sha256").update(sql).digest("hex") };
    });
}

async function ensureTrackingTable(sql: SqlRunner) {
  await sql.exec(`CREATE TABLE IF NOT EXISTS "_console_migrations" (
    "name" TEXT PRIMARY KEY,
    "checksum" TEXT NOT NULL,
    "applied_at" TIMESTAMPTZ NOT NULL DEFAULT now()
  )`);
}

export async function migrate(database: Database, files = readMigrationFiles()): Promise<string[]> {
  return database.withExclusiveLock(MIGRATION_LOCK_KEY, async (sql) => {
    await ensureTrackingTable(sql);
    const applied = new Map(
      (await sql.query<{ name: string; checksum: string }>(`SELECT name, checksum FROM "_console_migrations"`)).map(
        (row) => [row.name, row.checksum],
      ),
    );
    for (const [name, checksum] of applied) {
      const file = files.find((f) => f.name === name);
      if (file && file.checksum !== checksum) {
        throw new MigrationError(
          `Migration ${name} was changed after it was applied to this database. ` +
            `Restore the original file and add a new migration instead.`,
        );
      }
    }
    const newlyApplied: string[] = [];
    for (const file of files) {
      if (applied.has(file.name)) continue;
      try {
        await sql.exec(
          `BEGIN;\n${file.sql}\n;INSERT INTO "_console_migrations" (name, checksum) VALUES ('${file.name.replace(/'/g, "''")}', '${file.checksum}');\nCOMMIT;`,
        );
      } catch (error) {
        await sql.exec("ROLLBACK").catch(() => undefined);
        throw new MigrationError(`Migration ${file.name} failed: ${(error as Error).message}`);
      }
      newlyApplied.push(file.name);
    }
    return newlyApplied;
  });
}
