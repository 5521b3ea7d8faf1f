import fs from "node:fs";
import { afterAll, beforeAll, inject, vi } from "vitest";
import pg from "pg";

/**
 * Each test file gets its own database: in-memory PGlite by default, a fresh PostgreSQL database
 * (test_<pid>_<time>) when TEST_DATABASE_URL is set, dropped afterwards, so runs never collide. Both start as a copy
 * of the database tests/integration/global-setup.ts migrated once for the run.
 */
const testDatabaseUrl = process.env.TEST_DATABASE_URL;
let createdDatabase: { adminUrl: string; name: string } | undefined;

process.env.__NEXT_EXPERIMENTAL_AUTH_INTERRUPTS = "true";
process.env.NEXTAUTH_SECRET = "integration-test-secret-0123456789abcdef";
delete process.env.HUBBY_API_BASE_URL;
delete process.env.ADMIN_EMAIL;
delete process.env.ADMIN_PASSWORD;

vi.mock("next/cache", () => ({ revalidatePath: vi.fn(), revalidateTag: vi.fn() }));
// Tests call server code directly, outside a Next.js request: there is no request scope to mark dynamic.
vi.mock("next/server", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next/server")>()),
  connection: vi.fn(async () => undefined),
}));
vi.mock("next-auth", async (importOriginal) => {
  const original = await importOriginal<typeof import("next-auth")>();
  const session = await import("../support/session");
  return { ...original, getServerSession: vi.fn(async () => session.currentSession()) };
});

beforeAll(async () => {
  if (testDatabaseUrl) {
    const name = `test_${process.pid}_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
    const admin = new pg.Client({ connectionString: testDatabaseUrl });
    await admin.connect();
    const template = inject("postgresTemplate");
    await admin.query(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ""}`);
    await admin.end();
    const url = new URL(testDatabaseUrl);
    url.pathname = `/${name}`;
    process.env.DATABASE_URL = url.toString();
    createdDatabase = { adminUrl: testDatabaseUrl, name };
  } else {
    delete process.env.DATABASE_URL;
    process.env.PGLITE_DATA_DIR = "memory://";
    const snapshot = inject("pgliteSnapshot");
    const { startInMemoryFrom } = await import("../../lib/db");
    if (snapshot) startInMemoryFrom(new Blob([fs.readFileSync(snapshot)]));
  }
  const { resetEnvCache } = await import("../../lib/env");
  resetEnvCache();
  const { getDatabase } = await import("../../lib/db");
  const { migrate } = await import("../../lib/migrations");
  await migrate(getDatabase());
});

afterAll(async () => {
  // Background API-log entries are written in batches: let the last batch land before the database closes.
  const { flushApiLog } = await import("../../lib/hubby/api-log");
  await flushApiLog().catch(() => undefined);
  const { closeDatabase } = await import("../../lib/db");
  await closeDatabase();
  if (createdDatabase) {
    const admin = new pg.Client({ connectionString: createdDatabase.adminUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${createdDatabase.name}" WITH (FORCE)`);
    await admin.end();
  }
});
