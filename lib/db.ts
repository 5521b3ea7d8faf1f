import fs from "node:fs";
import path from "node:path";
import crypto from "node:crypto";
import { PGlite, parse as parseProtocol, protocol } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "./generated/prisma/client";
import { getEnv } from "./env";

/**
 * One database per process: PGlite in ./data/pglite when DATABASE_URL is unset, a pg pool otherwise.
 * Opened lazily, so `next build` (which imports server modules in worker processes) never opens PGlite.
 */

export type SqlRunner = {
  /** Runs one or more statements with no parameters (migrations). */
  exec(sql: string): Promise<void>;
  query<T extends Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
};

export type Database = {
  kind: "pglite" | "postgres";
  prisma: PrismaClient;
  sql: SqlRunner;
  /**
   * Runs one statement as a named prepared statement, parsed and planned once per connection instead of on every
   * call: for hot paths that run a few fixed statement texts many times (the webhook intake). On PostgreSQL these run
   * on connections of their own that keep the statement's generic plan (docs/decisions/0077).
   */
  prepared<T extends Record<string, unknown>>(sql: string, params: unknown[]): Promise<T[]>;
  /** Runs fn in one transaction on one connection with the raw driver (hot paths that Prisma would slow down). */
  transaction<T>(fn: (sql: SqlRunner) => Promise<T>): Promise<T>;
  /**
   * The executor pg-boss runs its SQL through (lib/jobs/): parameterised statements, and with no values possibly
   * several statements at once (its schema and maintenance scripts), answering the last statement's rows.
   */
  executeSql(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[]; rowCount: number }>;
  /** Runs fn holding a session-level lock so concurrent processes (e.g. two app instances migrating) take turns. */
  withExclusiveLock<T>(key: number, fn: (sql: SqlRunner) => Promise<T>): Promise<T>;
  /** PGlite only: its data directory as a tarball, which an in-memory database can start from (startInMemoryFrom). */
  dumpDataDir?(): Promise<Blob>;
  close(): Promise<void>;
};

export class DatabaseLockedError extends Error {
  constructor(dataDir: string, pid: number) {
    super(
      `The embedded database in ${dataDir} is already open in another process (pid ${pid}). ` +
        `PGlite is a single-process database: stop that process first (for example the other "npm run dev"), ` +
        `or set DATABASE_URL to a PostgreSQL server to run several processes.`,
    );
    this.name = "DatabaseLockedError";
  }
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  // A recycled pid (e.g. after a container restart) belongs to something other than node.
  try {
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8");
    return cmdline.includes("node");
  } catch {
    return true;
  }
}

/** Holds `<dataDir>.lock` with our pid; takes it over when its owner is gone (e.g. after kill -9). */
export function acquireDirectoryLock(dataDir: string): () => void {
  const lockPath = `${path.resolve(dataDir)}.lock`;
  fs.mkdirSync(path.dirname(lockPath), { recursive: true });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(lockPath, String(process.pid), { flag: "wx" });
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        try {
          if (fs.readFileSync(lockPath, "utf8").trim() === String(process.pid)) fs.unlinkSync(lockPath);
        } catch {
          // Already gone.
        }
      };
      process.once("exit", release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = Number.parseInt(fs.readFileSync(lockPath, "utf8").trim(), 10);
      if (Number.isInteger(owner) && owner !== process.pid && processIsAlive(owner)) {
        throw new DatabaseLockedError(dataDir, owner);
      }
      fs.rmSync(lockPath, { force: true });
    }
  }
  throw new Error(`Could not take the lock ${lockPath}`);
}

/**
 * Directories with an open PGlite in this process, on globalThis like the instance itself: scripts/server.ts and
 * Next.js's bundled copy of this module run in one process and must share one instance, never open a second.
 */
const openDirectories = ((globalThis as { __consolePgliteDirectories?: Set<string> }).__consolePgliteDirectories ??=
  new Set<string>());

/**
 * PGlite's own start parameters plus a smaller buffer cache. PostgreSQL's default shared_buffers (128 MB) is
 * allocated and touched inside PGlite's WebAssembly memory at start, so it is resident from the first second whether
 * or not the data needs it; the embedded database is small, and its files are read through the operating system's
 * page cache, which is not the process's memory. 16 MB is 2,048 pages, plenty for the console's working set
 * (docs/decisions/0059-memory-footprint.md). Given at every start (`-c`), never written into the data directory.
 */
export const PGLITE_START_PARAMS = [...PGlite.defaultStartParams, "-c", "shared_buffers=16MB"];

const inMemoryStart = ((
  globalThis as { __consolePgliteInMemoryStart?: { snapshot?: Blob } }
).__consolePgliteInMemoryStart ??= {});

/**
 * In-memory databases opened from now on in this process start from `snapshot` (a Database's dumpDataDir()), not
 * empty. An empty one runs initdb first, 3–5 s of CPU: the integration tests open a fresh in-memory database for
 * each test file, from one migrated snapshot (tests/integration/global-setup.ts). The console never calls this.
 */
export function startInMemoryFrom(snapshot: Blob | undefined): void {
  inMemoryStart.snapshot = snapshot;
}

function openPglite(dataDir: string): Database {
  const inMemory = dataDir.startsWith("memory://");
  const directory = path.resolve(dataDir);
  if (!inMemory && openDirectories.has(directory)) {
    throw new Error(`The embedded database in ${dataDir} is already open in this process; it must be shared.`);
  }
  const lockRelease = inMemory ? () => {} : acquireDirectoryLock(dataDir);
  if (!inMemory) openDirectories.add(directory);
  const release = () => {
    openDirectories.delete(directory);
    lockRelease();
  };
  if (!inMemory) fs.mkdirSync(dataDir, { recursive: true });
  const pglite = new PGlite(inMemory ? dataDir : path.resolve(dataDir), {
    startParams: PGLITE_START_PARAMS,
    ...(inMemory && inMemoryStart.snapshot ? { loadDataDir: inMemoryStart.snapshot } : {}),
  });
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  const sql: SqlRunner = {
    async exec(text) {
      await pglite.exec(text);
    },
    async query(text, params) {
      const result = await pglite.query(text, params);
      return result.rows as never;
    },
  };
  const prepared = preparedOnPglite(pglite);
  // PGlite serialises all work in one process, so a lock between processes is the directory lock itself.
  let queue: Promise<unknown> = Promise.resolve();
  return {
    kind: "pglite",
    prisma,
    sql,
    prepared,
    transaction(fn) {
      return pglite.transaction((tx) =>
        fn({
          async exec(text) {
            await tx.exec(text);
          },
          async query(text, params) {
            return (await tx.query(text, params)).rows as never;
          },
        }),
      );
    },
    async executeSql(text, values) {
      // PGlite's query() is the extended protocol (one statement); exec() is the simple protocol (several).
      if (values && values.length > 0) {
        const result = await pglite.query<Record<string, unknown>>(text, values);
        return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
      }
      const results = await pglite.exec(text);
      const last = results.at(-1);
      return { rows: (last?.rows ?? []) as Record<string, unknown>[], rowCount: last?.affectedRows ?? 0 };
    },
    withExclusiveLock(_key, fn) {
      const run = queue.then(() => fn(sql));
      queue = run.catch(() => undefined);
      return run;
    },
    dumpDataDir: () => pglite.dumpDataDir("none"),
    async close() {
      await prisma.$disconnect();
      if (!pglite.closed) await pglite.close();
      release();
    },
  };
}

/**
 * Named prepared statements on PGlite, which has no API for them: the extended-protocol messages its own query()
 * sends (parse, describe, bind, execute, sync), with the parse and describe done once per statement text.
 *
 * Only public API: runExclusive() holds the query lock, so nothing else reaches the database meanwhile, and
 * isInTransaction() tells whether another caller's transaction (pglite.transaction(), or the Prisma adapter's)
 * is open between two of its statements. Then this statement must not join it: it goes through query() instead,
 * which waits for that transaction to end (unprepared, and rare on the paths that use this). Wrapping every call
 * in transaction() would also be safe but adds BEGIN and COMMIT, about 60% more per statement
 * (docs/decisions/0011-pglite-prepared-statements.md).
 */
function preparedOnPglite(pglite: PGlite): Database["prepared"] {
  const statements = new Map<string, { name: string; paramTypes: number[] }>();
  let counter = 0;
  const send = (message: Uint8Array, syncToFs = false) => pglite.execProtocolStream(message, { syncToFs });
  const runPrepared = async (text: string, params: unknown[]) => {
    const messages: Awaited<ReturnType<typeof send>> = [];
    try {
      let statement = statements.get(text);
      if (!statement) {
        const name = `console_${++counter}`;
        await send(protocol.serialize.parse({ name, text }));
        const described = await send(protocol.serialize.describe({ type: "S", name }));
        statement = { name, paramTypes: parseProtocol.parseDescribeStatementResults(described) };
        statements.set(text, statement);
      }
      const types = statement.paramTypes;
      const values = params.map((value, index) => {
        if (value === null || value === undefined) return null;
        const serialize = pglite.serializers[types[index]!];
        return serialize ? serialize(value) : String(value);
      });
      messages.push(...(await send(protocol.serialize.bind({ statement: statement.name, values }))));
      messages.push(...(await send(protocol.serialize.describe({ type: "P" }))));
      messages.push(...(await send(protocol.serialize.execute({}))));
    } finally {
      messages.push(...(await send(protocol.serialize.sync(), true)));
    }
    return parseProtocol.parseResults(messages, pglite.parsers)[0]!.rows;
  };
  return async (text, params) => {
    const rows = await pglite.runExclusive(() =>
      pglite.isInTransaction() ? Promise.resolve(null) : runPrepared(text, params),
    );
    return (rows ?? (await pglite.query(text, params)).rows) as never;
  };
}

/**
 * Connections for `prepared` on PostgreSQL, beside the pool of DATABASE_POOL_SIZE: the webhook intake's statements
 * (two waves in flight at most, and the single-event path), its projector's, and forwarding's (a pass's statement
 * and the delivered attempts' batch, docs/decisions/0079).
 */
export const PREPARED_POOL_SIZE = 6;

function openPostgres(connectionString: string, max: number): Database {
  const pool = new pg.Pool({ connectionString, max, connectionTimeoutMillis: 5_000 });
  // An idle client that loses its server emits 'error'; without a listener that would crash the process.
  pool.on("error", (error) => console.error("[db] idle PostgreSQL client error:", error.message));
  // `prepared` gets a pool of its own whose sessions keep one generic plan per statement. By default PostgreSQL
  // plans a prepared statement again on every execution as long as its custom plans look cheaper than the generic
  // one, which the intake's (arrays of unknown length) always do: that planning was about half of each wave's time
  // in the server (docs/decisions/0077). Prisma's queries keep their custom plans on the main pool.
  const preparedPool = new pg.Pool({
    connectionString,
    max: PREPARED_POOL_SIZE,
    connectionTimeoutMillis: 5_000,
    // Run before the pool hands a new connection out; if it fails, so does that checkout (and the connection is
    // closed), rather than a connection serving on with plans made afresh every time.
    onConnect: (client) => client.query("SET plan_cache_mode = force_generic_plan"),
  });
  preparedPool.on("error", (error) => console.error("[db] idle PostgreSQL client error:", error.message));
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  const statementNames = new Map<string, string>();
  const sql: SqlRunner = {
    async exec(text) {
      await pool.query(text);
    },
    async query(text, params) {
      const result = await pool.query(text, params as unknown[]);
      return result.rows;
    },
  };
  return {
    kind: "postgres",
    prisma,
    sql,
    async prepared(text, params) {
      // pg keeps the statement per connection and parses it only the first time a connection sees the name.
      let name = statementNames.get(text);
      if (!name) {
        name = `console_${crypto.createHash("sha256").update(text).digest("hex").slice(0, 24)}`;
        statementNames.set(text, name);
      }
      return (await preparedPool.query({ name, text, values: params as unknown[] })).rows;
    },
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const result = await fn({
          async exec(text) {
            await client.query(text);
          },
          async query(text, params) {
            return (await client.query(text, params as unknown[])).rows;
          },
        });
        await client.query("COMMIT");
        return result;
      } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async executeSql(text, values) {
      // With no values pg sends the simple protocol, which answers one result per statement of a script.
      const result = (await pool.query(text, values && values.length > 0 ? values : undefined)) as
        pg.QueryResult | pg.QueryResult[];
      const last = Array.isArray(result) ? result.at(-1) : result;
      return { rows: last?.rows ?? [], rowCount: last?.rowCount ?? 0 };
    },
    async withExclusiveLock(key, fn) {
      const client = await pool.connect();
      const clientSql: SqlRunner = {
        async exec(text) {
          await client.query(text);
        },
        async query(text, params) {
          return (await client.query(text, params as unknown[])).rows;
        },
      };
      try {
        await client.query("SELECT pg_advisory_lock($1)", [key]);
        return await fn(clientSql);
      } finally {
        await client.query("SELECT pg_advisory_unlock($1)", [key]).catch(() => undefined);
        client.release();
      }
    },
    async close() {
      await prisma.$disconnect();
      await Promise.all([pool.end(), preparedPool.end()]);
    },
  };
}

const globalForDb = globalThis as unknown as { __consoleDatabase?: Database };

export function getDatabase(): Database {
  if (!globalForDb.__consoleDatabase) {
    const env = getEnv();
    globalForDb.__consoleDatabase = env.DATABASE_URL
      ? openPostgres(env.DATABASE_URL, env.DATABASE_POOL_SIZE)
      : openPglite(env.PGLITE_DATA_DIR);
  }
  return globalForDb.__consoleDatabase;
}

/** The Prisma client for data functions in lib/<domain>/. */
export function db(): PrismaClient {
  return getDatabase().prisma;
}

export async function closeDatabase(): Promise<void> {
  const current = globalForDb.__consoleDatabase;
  globalForDb.__consoleDatabase = undefined;
  if (current) await current.close();
}

export function databaseLabel(): string {
  const env = getEnv();
  if (env.DATABASE_URL) {
    const url = new URL(env.DATABASE_URL);
    return `PostgreSQL ${url.hostname}:${url.port || 5432}${url.pathname}`;
  }
  return `PGlite ${env.PGLITE_DATA_DIR}`;
}

/**
 * True for a unique-constraint violation from either adapter: adapter-pg maps it to Prisma's P2002, while the
 * PGlite adapter passes PostgreSQL's SQLSTATE 23505 through as a DriverAdapterError.
 */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const e = error as { code?: unknown; cause?: { code?: unknown; originalCode?: unknown } };
  return e.code === "P2002" || e.cause?.code === "23505" || e.cause?.originalCode === "23505";
}

/** True for "record to update not found" (P2025). */
export function isRecordNotFound(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2025";
}
