import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { describe, expect, it } from "vitest";
import { getDatabase, type Database } from "@/lib/db";
import { migrate, MigrationError, MIGRATIONS_DIR, readMigrationFiles } from "@/lib/migrations";

function pgliteDatabase(pglite: PGlite): Database {
  const sql = {
    exec: async (text: string) => void (await pglite.exec(text)),
    query: async <T>(text: string, params?: unknown[]) => (await pglite.query(text, params)).rows as T[],
  } as Database["sql"];
  return {
    kind: "pglite",
    prisma: undefined as never,
    sql,
    prepared: (text, params) => sql.query(text, params),
    executeSql: async (text, values) => {
      const result = await pglite.query<Record<string, unknown>>(text, values);
      return { rows: result.rows, rowCount: result.affectedRows ?? 0 };
    },
    withExclusiveLock: (_key, fn) => fn(sql),
    transaction: (fn) => fn(sql),
    close: () => pglite.close(),
  };
}

/**
 * Partitions (WebhookEvent's months, docs/decisions/0063) are the migration's and lib/webhooks/partitions.ts's, not
 * schema.prisma's: they are left out, and a partitioned table's index reads "ON ONLY" where a plain table's does not.
 */
const notPartition = `NOT IN (SELECT relname FROM pg_class WHERE relispartition)`;
const catalogQuery = `
  SELECT table_name, column_name, data_type, is_nullable, column_default
  FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_console_migrations'
    AND table_name ${notPartition}
  ORDER BY table_name, column_name`;
/**
 * Indexes that exist only in migrations, because schema.prisma cannot express them. Keep this list short and say why.
 * - Traveler_lastEventAt_externalUserId_idx: ("lastEventAt" DESC NULLS LAST, "externalUserId") for the travelers
 *   list's default sort; Prisma has no NULLS LAST.
 * - ForwardMessage_pending_due_idx, ForwardMessage_pending_ordering_idx: the pending messages in the claim's order,
 *   and an ordered endpoint's pending messages by traveler (WHERE "status" = 'pending'); Prisma 6 has no partial
 *   index, and full ones took an entry for every delivered message.
 * - TravelerPackage_active_expiresAt_idx: active packages ("expiresAt" INCLUDE "usagePercent" WHERE activated), the
 *   count the overview and the health panels read; Prisma 6 has no partial index.
 * - Traveler_currentUsagePercent_*_idx, Traveler_nextDepartureAt_*_idx: the maintained list columns' sorts (NULLS
 *   LAST, INCLUDE); Traveler_nextDepartureAt_not_installed_idx: "departing within N hours" among travelers never
 *   reported installed (WHERE "esimState" IS NULL), the overview's at-risk queue. Prisma cannot say either.
 */
const migrationOnlyIndexes = [
  "Traveler_lastEventAt_externalUserId_idx",
  "ForwardMessage_pending_due_idx",
  "ForwardMessage_pending_ordering_idx",
  "TravelerPackage_active_expiresAt_idx",
  "Traveler_currentUsagePercent_desc_idx",
  "Traveler_currentUsagePercent_asc_idx",
  "Traveler_nextDepartureAt_asc_idx",
  "Traveler_nextDepartureAt_desc_idx",
  "Traveler_nextDepartureAt_not_installed_idx",
];
const indexQuery = `SELECT indexname, replace(indexdef, ' ON ONLY ', ' ON ') AS indexdef FROM pg_indexes
  WHERE schemaname = 'public' AND tablename <> '_console_migrations' AND tablename ${notPartition} ORDER BY indexname`;

/**
 * Tests that open PGlite databases of their own, whatever TEST_DATABASE_URL says: the same on every run, so the
 * PostgreSQL layer leaves them to the PGlite one (the schema comparison alone runs the Prisma CLI, ~15 s of CPU).
 */
const ownPglite = it.skipIf(Boolean(process.env.TEST_DATABASE_URL));

describe("migrations", () => {
  it("are applied once and recorded; a second run applies nothing", async () => {
    const database = getDatabase();
    expect(await migrate(database)).toEqual([]);
    const recorded = await database.sql.query<{ name: string }>(`SELECT name FROM "_console_migrations" ORDER BY name`);
    expect(recorded.map((r) => r.name)).toEqual(readMigrationFiles().map((f) => f.name));
  });

  it("refuse to run when an applied migration file was changed", async () => {
    const files = readMigrationFiles();
    const tampered = files.map((f, i) => (i === 0 ? { ...f, checksum: "0".repeat(64) } : f));
    await expect(migrate(getDatabase(), tampered)).rejects.toThrow(MigrationError);
    await expect(migrate(getDatabase(), tampered)).rejects.toThrow(/was changed after it was applied/);
  });

  ownPglite("roll back a failing migration entirely", async () => {
    const pglite = new PGlite("memory://");
    const database = pgliteDatabase(pglite);
    const broken = [
      { name: "001_broken", checksum: "x", sql: `CREATE TABLE ok_table (id int); SELECT * FROM missing_table;` },
    ];
    await expect(migrate(database, broken)).rejects.toThrow(/001_broken failed/);
    const tables = await pglite.query(`SELECT to_regclass('ok_table') AS t`);
    expect(tables.rows).toEqual([{ t: null }]);
    await pglite.close();
  });

  ownPglite(
    "mark the accounts single sign-on created as having no password, from their creation audit entry",
    async () => {
      const pglite = new PGlite("memory://");
      const database = pgliteDatabase(pglite);
      const files = readMigrationFiles();
      const at = files.findIndex((file) => file.name.endsWith("_staff_has_password"));
      expect(at).toBeGreaterThan(0);
      await migrate(database, files.slice(0, at));
      const staff = {
        ssoCreated: "00000000-0000-4000-8000-000000000001",
        linkedPassword: "00000000-0000-4000-8000-000000000002",
        ssoCreatedThenReset: "00000000-0000-4000-8000-000000000003",
        passwordOnly: "00000000-0000-4000-8000-000000000004",
      };
      for (const [name, id] of Object.entries(staff)) {
        await pglite.query(
          `INSERT INTO "StaffUser" (id, email, name, role, "passwordHash", "ssoSubject", "updatedAt")
         VALUES ($1, $2, $3, 'support', 'hash', $4, now())`,
          [id, `${name}@example.test`, name, name === "passwordOnly" ? null : `sub-${name}`],
        );
      }
      const entry = (action: string, id: string, details: object) =>
        pglite.query(`INSERT INTO "AuditEntry" (action, "targetId", result, details) VALUES ($1, $2, 'ok', $3)`, [
          action,
          id,
          JSON.stringify(details),
        ]);
      await entry("auth.sign_in", staff.ssoCreated, { method: "sso", created: true });
      await entry("auth.sign_in", staff.linkedPassword, { method: "sso" });
      await entry("auth.sign_in", staff.ssoCreatedThenReset, { method: "sso", created: true });
      await entry("staff.reset_password", staff.ssoCreatedThenReset, { email: "x" });
      await migrate(database, files.slice(0, at + 1));
      const rows = await pglite.query<{ id: string; hasPassword: boolean }>(
        `SELECT id::text AS id, "hasPassword" FROM "StaffUser" ORDER BY id`,
      );
      expect(rows.rows).toEqual([
        { id: staff.ssoCreated, hasPassword: false },
        { id: staff.linkedPassword, hasPassword: true },
        { id: staff.ssoCreatedThenReset, hasPassword: true },
        { id: staff.passwordOnly, hasPassword: true },
      ]);
      await pglite.close();
    },
  );

  // Runs the Prisma CLI (wasm schema engine) and two databases: over 30 s when the full suite shares 2 busy CPUs.
  ownPglite("produce exactly the schema in prisma/schema.prisma", { timeout: 180_000 }, async () => {
    const migrated = new PGlite("memory://");
    await migrate(pgliteDatabase(migrated));
    const prismaBin = path.join(process.cwd(), "node_modules", ".bin", "prisma");
    const script = execFileSync(
      prismaBin,
      ["migrate", "diff", "--from-empty", "--to-schema-datamodel", "prisma/schema.prisma", "--script"],
      { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] },
    );
    const fromSchema = new PGlite("memory://");
    await fromSchema.exec(script);
    expect((await migrated.query(catalogQuery)).rows).toEqual((await fromSchema.query(catalogQuery)).rows);
    const migratedIndexes = (await migrated.query<{ indexname: string }>(indexQuery)).rows;
    for (const name of migrationOnlyIndexes) {
      expect(migratedIndexes.map((row) => row.indexname)).toContain(name);
    }
    expect(migratedIndexes.filter((row) => !migrationOnlyIndexes.includes(row.indexname))).toEqual(
      (await fromSchema.query(indexQuery)).rows,
    );
    await migrated.close();
    await fromSchema.close();
  });

  it("are named so that name order is creation order", () => {
    const names = fs.readdirSync(MIGRATIONS_DIR).filter((n) => !n.endsWith(".toml"));
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) {
      expect(name, "<YYYYMMDDhhmmss>_<snake_case_name>").toMatch(/^\d{14}_[a-z0-9_]+$/);
      // A real UTC time (no month 13: it would not survive the round trip), so the prefix sorts as the moment the
      // migration was written.
      const stamp = name.replace(/^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})_.*$/, "$1-$2-$3T$4:$5:$6Z");
      const written = Date.parse(stamp);
      expect(Number.isNaN(written) ? "not a time" : new Date(written).toISOString(), name).toBe(
        stamp.replace("Z", ".000Z"),
      );
    }
    // The runner applies exactly these directories, in name order.
    expect(readMigrationFiles().map((file) => file.name)).toEqual([...names].sort());
  });

  it("are stored with LF line endings, so their checksums do not depend on the checkout", () => {
    // The checksum covers the file's bytes: a CRLF checkout (git autocrlf on Windows) would change every checksum
    // and stop start-up against a database migrated from an LF checkout. .gitattributes pins them to LF.
    const withCarriageReturns = readMigrationFiles()
      .filter((file) => file.sql.includes("\r"))
      .map((file) => file.name);
    expect(withCarriageReturns).toEqual([]);
  });
});
