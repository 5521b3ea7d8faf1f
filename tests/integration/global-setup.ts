import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";

/**
 * Runs once per integration project, before any test file: migrates one database, which every test file's own
 * database then starts from (tests/integration/setup.ts), instead of each file migrating an empty one.
 * - PGlite: an in-memory database migrated here and dumped to a tarball; each file loads it. An empty PGlite runs
 *   initdb first, 3–5 s of CPU, which was most of the layer's set-up (75 files).
 * - PostgreSQL (TEST_DATABASE_URL): a template database; each file's `CREATE DATABASE … TEMPLATE` copies it.
 * The file's setup still runs the migrations, which then find every one applied, and check their checksums.
 */

declare module "vitest" {
  export interface ProvidedContext {
    /** A PGlite data directory tarball, migrated (PGlite runs), or "" on PostgreSQL. */
    pgliteSnapshot: string;
    /** The name of a migrated template database (PostgreSQL runs), or "". */
    postgresTemplate: string;
  }
}

export default async function setup(project: TestProject) {
  const testDatabaseUrl = process.env.TEST_DATABASE_URL;
  const saved = { DATABASE_URL: process.env.DATABASE_URL, PGLITE_DATA_DIR: process.env.PGLITE_DATA_DIR };
  const { resetEnvCache } = await import("../../lib/env");
  const { closeDatabase, getDatabase } = await import("../../lib/db");
  const { migrate } = await import("../../lib/migrations");
  const name = `test_template_${process.pid}_${project.name.replace(/\W/g, "_")}`;
  const snapshotFile = path.join(os.tmpdir(), `${name}.tar`);
  const admin = async <T>(fn: (client: pg.Client) => Promise<T>) => {
    const client = new pg.Client({ connectionString: testDatabaseUrl });
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  };
  try {
    if (testDatabaseUrl) {
      await admin((client) => client.query(`CREATE DATABASE "${name}"`));
      const url = new URL(testDatabaseUrl);
      url.pathname = `/${name}`;
      process.env.DATABASE_URL = url.toString();
    } else {
      delete process.env.DATABASE_URL;
      process.env.PGLITE_DATA_DIR = "memory://";
    }
    resetEnvCache();
    await migrate(getDatabase());
    if (!testDatabaseUrl) {
      const snapshot = await getDatabase().dumpDataDir!();
      fs.writeFileSync(snapshotFile, Buffer.from(await snapshot.arrayBuffer()));
    }
  } catch (error) {
    await closeDatabase();
    if (testDatabaseUrl) await admin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    throw error;
  } finally {
    await closeDatabase();
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    resetEnvCache();
  }
  project.provide("pgliteSnapshot", testDatabaseUrl ? "" : snapshotFile);
  project.provide("postgresTemplate", testDatabaseUrl ? name : "");
  return async () => {
    fs.rmSync(snapshotFile, { force: true });
    if (testDatabaseUrl) await admin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  };
}
