import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { getDatabase } from "@/lib/db";

/**
 * The prepared-statement path (lib/db.ts, used by the webhook intake) on both databases, and the rule that keeps
 * it on public driver API (docs/decisions/0011-pglite-prepared-statements.md).
 */

const insert = `INSERT INTO "RefusalCount" ("kind", "ip", "reason", "minute", "lastAt")
  VALUES ($1::text, '', $2::text, $3::timestamptz, $3::timestamptz) RETURNING "reason"`;

describe("Database.prepared", () => {
  it("runs the same text many times with different parameters, and reports errors without breaking later calls", async () => {
    const database = getDatabase();
    const minute = new Date("2026-01-01T00:00:00Z").toISOString();
    for (const reason of ["first", "second", "third"]) {
      expect(await database.prepared<{ reason: string }>(insert, ["prepared-test", reason, minute])).toEqual([
        { reason },
      ]);
    }
    await expect(database.prepared(insert, ["prepared-test", "first", minute])).rejects.toThrow(/duplicate key/);
    expect(await database.prepared<{ reason: string }>(insert, ["prepared-test", "fourth", minute])).toEqual([
      { reason: "fourth" },
    ]);
  });

  it("keeps one generic plan per statement on PostgreSQL, and leaves other queries' custom plans alone", async () => {
    // Planned again on every call (PostgreSQL's default while custom plans look cheaper), the intake's statements
    // spent about half of their time in the server planning (docs/decisions/0077).
    const database = getDatabase();
    const mode = `SELECT current_setting('plan_cache_mode') AS mode`;
    const [prepared] = await database.prepared<{ mode: string }>(mode, []);
    const [plain] = await database.sql.query<{ mode: string }>(mode);
    const [prisma] = await database.prisma.$queryRawUnsafe<{ mode: string }[]>(mode);
    expect(prepared?.mode).toBe(database.kind === "postgres" ? "force_generic_plan" : "auto");
    expect(plain?.mode).toBe("auto");
    expect(prisma?.mode).toBe("auto");
  });

  it("never joins another caller's open transaction: that transaction's rollback leaves the statement's row", async () => {
    const database = getDatabase();
    const minute = new Date("2026-01-02T00:00:00Z").toISOString();
    let releaseTransaction!: () => void;
    const holding = new Promise<void>((resolve) => (releaseTransaction = resolve));
    let opened!: () => void;
    const transactionOpen = new Promise<void>((resolve) => (opened = resolve));
    const rolledBack = database
      .transaction(async (sql) => {
        await sql.query(insert, ["prepared-test", "inside-transaction", minute]);
        opened();
        await holding;
        throw new Error("roll back on purpose");
      })
      .catch((error: Error) => error.message);
    await transactionOpen;
    // Issued while the transaction is open between its statements; it finishes once the transaction has ended.
    const outside = database.prepared<{ reason: string }>(insert, ["prepared-test", "outside-transaction", minute]);
    releaseTransaction();
    expect(await rolledBack).toBe("roll back on purpose");
    expect(await outside).toEqual([{ reason: "outside-transaction" }]);
    const stored = await database.sql.query<{ reason: string }>(
      `SELECT "reason" FROM "RefusalCount" WHERE "kind" = 'prepared-test' AND "minute" = $1::timestamptz`,
      [minute],
    );
    expect(stored.map((row) => row.reason)).toEqual(["outside-transaction"]);
  });
});

describe("private driver API", () => {
  // A PGlite or pg member whose name starts with "_" is private: it may change in any release. lib/db.ts is the
  // only place allowed to reach the driver's internals (and lib/jobs/, the job system's adapter); today neither does.
  const allowed = new Set([path.join("lib", "db.ts")]);
  const roots = ["app", "lib", "scripts", "bench", "tests", "components"];
  const privateMember =
    /\.(_runExclusive\w*|_checkReady|_handleBlob|_getWrittenBlob|_cleanupBlob|_initArrayTypes|_pulseQueue|mod\.|_connecting|_queryable|_ending)\b/;

  function sourceFiles(directory: string): string[] {
    if (!fs.existsSync(directory)) return [];
    return fs.readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
      const full = path.join(directory, entry.name);
      if (entry.isDirectory())
        return entry.name === "generated" || entry.name === "node_modules" ? [] : sourceFiles(full);
      return /\.(ts|tsx|mjs|js)$/.test(entry.name) ? [full] : [];
    });
  }

  it("is reached by no file outside lib/db.ts and lib/jobs/", () => {
    const here = path.relative(process.cwd(), __filename);
    const offenders = roots
      .flatMap((root) => sourceFiles(root))
      .filter((file) => !allowed.has(file) && !file.startsWith(path.join("lib", "jobs") + path.sep) && file !== here)
      .filter((file) => privateMember.test(fs.readFileSync(file, "utf8")));
    expect(offenders).toEqual([]);
  });

  it("finds such a call when one is written (the scan itself works)", () => {
    expect(privateMember.test("await pglite._runExclusiveTransaction(() => work())")).toBe(true);
    expect(privateMember.test("await pglite.runExclusive(() => work())")).toBe(false);
  });
});
