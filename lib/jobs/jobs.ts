import "server-only";
import PgBoss from "pg-boss";
import { getDatabase, type Database, type SqlRunner } from "../db";
import { errorFields, log } from "../log";
import { recordJobRun } from "../metrics";
import { flushBatchers } from "./batcher";
import { queueNames, queues, type QueueDeclaration, type QueueName, type QueuePayload } from "./queues";

/**
 * The console's one background-job system: pg-boss on the app's own database connection (the PostgreSQL pool, or
 * the process's one PGlite through pg-boss's `db` executor; docs/decisions/0020). One boss per process, started by
 * instrumentation.ts and stopped on SIGTERM (scripts/server.ts). Several instances on one PostgreSQL share the
 * queues: a job is fetched by one of them (FOR UPDATE SKIP LOCKED), a job whose instance died is handed to another
 * once it expires, and a schedule fires once per period whatever the number of instances.
 *
 * Handlers are registered by their domains (registerJobHandler) before or after the start; this module imports
 * no domain.
 */

export type JobContext = {
  id: string;
  queue: QueueName;
  /** 1 for the first try. */
  attempt: number;
  /** No further attempt follows if this one fails: the handler records the failure where staff will see it. */
  lastAttempt: boolean;
};
export type JobHandler<Q extends QueueName> = (payload: QueuePayload<Q>, job: JobContext) => Promise<void>;

export type StartJobsOptions = {
  database?: Database;
  /** The PostgreSQL schema of pg-boss's tables; tests give each file its own. */
  schema?: string;
  /** How often an idle worker asks for a job. */
  pollingIntervalSeconds?: number;
  /** How often abandoned (expired) jobs are handed back and old ones archived; once across all instances. */
  maintenanceIntervalSeconds?: number;
  /** Whether this instance fires the declared schedules (the one that fires first in a period wins). */
  schedules?: boolean;
  /** How often the schedules are checked (once across all instances) and fired schedules turned into jobs. */
  scheduleCheckSeconds?: number;
};

type JobSystemState = {
  handlers: Map<QueueName, JobHandler<QueueName>>;
  boss: PgBoss | null;
  schema: string;
  database: Database | null;
  starting: Promise<void> | null;
  pollingIntervalSeconds: number;
  lastError: { at: Date; message: string } | null;
  /** This process's workers per queue, woken when this process sends them a job (no wait for their next poll). */
  workers: Map<QueueName, string[]>;
};

// On globalThis: instrumentation.ts, the pages and scripts/server.ts load separate copies of this module in one
// process, and all of them must see the one boss.
const globalForJobs = globalThis as typeof globalThis & { __consoleJobs?: JobSystemState };

function state(): JobSystemState {
  globalForJobs.__consoleJobs ??= {
    handlers: new Map(),
    boss: null,
    schema: "pgboss",
    database: null,
    starting: null,
    pollingIntervalSeconds: 2,
    lastError: null,
    workers: new Map(),
  };
  return globalForJobs.__consoleJobs;
}

/** Sets the handler of a queue; called by each domain at start. Replaces an earlier one (dev hot reload). */
export function registerJobHandler<Q extends QueueName>(queue: Q, handler: JobHandler<Q>): void {
  const current = state();
  const replaced = current.handlers.has(queue);
  current.handlers.set(queue, handler as unknown as JobHandler<QueueName>);
  // Workers call through the map, so a replaced handler is used by the workers already running.
  if (current.boss && !replaced) void startWorkers(current.boss, queue).catch(recordError);
}

function recordError(error: unknown) {
  const message = error instanceof Error ? error.message : String(error);
  state().lastError = { at: new Date(), message };
  log("jobs").error({ error: message }, "job system error");
}

async function startWorkers(boss: PgBoss, queue: QueueName) {
  const declaration = queues[queue];
  const ids: string[] = [];
  state().workers.set(queue, ids);
  for (let worker = 0; worker < declaration.concurrency; worker++) {
    const id = await boss.work<Record<string, unknown>>(
      queue,
      { batchSize: 1, includeMetadata: true, pollingIntervalSeconds: state().pollingIntervalSeconds },
      async ([job]) => {
        if (!job) return;
        const handler = state().handlers.get(queue);
        if (!handler) throw new Error(`No handler is registered for the queue "${queue}".`);
        const payload = declaration.payload.parse(job.data) as QueuePayload<QueueName>;
        const lastAttempt = job.retryCount >= job.retryLimit;
        const attempt = job.retryCount + 1;
        const started = performance.now();
        try {
          await handler(payload, { id: job.id, queue, attempt, lastAttempt });
        } catch (error) {
          const durationMs = Math.round(performance.now() - started);
          recordJobRun(queue, "failed", durationMs);
          log("jobs").warn(
            { queue, jobId: job.id, attempt, lastAttempt, durationMs, ...errorFields(error) },
            "job failed",
          );
          throw error;
        }
        const durationMs = Math.round(performance.now() - started);
        recordJobRun(queue, "completed", durationMs);
        log("jobs").info({ queue, jobId: job.id, attempt, durationMs }, "job completed");
      },
    );
    ids.push(id);
  }
}

function queueOptions(queue: QueueName): PgBoss.Queue {
  const declaration = queues[queue];
  return {
    name: queue,
    policy: declaration.policy,
    retryLimit: declaration.retryLimit,
    retryDelay: declaration.retryDelaySeconds,
    retryBackoff: declaration.retryBackoff,
    expireInSeconds: declaration.expireInSeconds,
  };
}

/**
 * A pg-boss instance on the app's database (not started). One per process in the app; tests make several to act
 * as several instances.
 */
export function createBoss(database: Database, options: Omit<StartJobsOptions, "database"> = {}): PgBoss {
  return new PgBoss({
    db: { executeSql: (text, values) => database.executeSql(text, values) },
    schema: options.schema ?? "pgboss",
    schedule: options.schedules ?? true,
    cronMonitorIntervalSeconds: options.scheduleCheckSeconds ?? 30,
    cronWorkerIntervalSeconds: Math.min(options.scheduleCheckSeconds ?? 5, 5),
    supervise: true,
    maintenanceIntervalSeconds: options.maintenanceIntervalSeconds ?? 60,
    // Failed jobs stay on the Jobs screen for a week (retry works only before they are archived).
    archiveFailedAfterSeconds: 7 * 24 * 3_600,
    archiveCompletedAfterSeconds: 24 * 3_600,
    deleteAfterDays: 7,
  });
}

const JOB_SETUP_LOCK_KEY = 72_410_003;

async function declareQueues(boss: PgBoss) {
  for (const queue of queueNames) {
    await boss.createQueue(queue, queueOptions(queue));
    // createQueue leaves an existing queue as it is: bring it to what queues.ts declares now.
    await boss.updateQueue(queue, queueOptions(queue));
    const schedule = (queues[queue] as QueueDeclaration).schedule;
    if (schedule) await boss.schedule(queue, schedule.cron, schedule.payload, { tz: "UTC" });
    else await boss.unschedule(queue);
  }
}

/** Starts this process's boss: its schema, the declared queues and schedules, and workers for registered handlers. */
export async function startJobs(options: StartJobsOptions = {}): Promise<void> {
  const current = state();
  if (current.boss) return;
  if (current.starting) return current.starting;
  current.starting = (async () => {
    const database = options.database ?? getDatabase();
    const schema = options.schema ?? "pgboss";
    const boss = createBoss(database, { ...options, schema });
    boss.on("error", recordError);
    // Instances starting together take turns: with two fresh instances setting up the same schema, queues and
    // schedules at once, one of them was seen never to get its job system running (issue 25, decisions/0035).
    await database.withExclusiveLock(JOB_SETUP_LOCK_KEY, async () => {
      await boss.start();
      try {
        await declareQueues(boss);
      } catch (error) {
        // Not kept half-started: the next startJobs() begins again with a new boss.
        await boss.stop({ graceful: false, close: false }).catch(() => undefined);
        throw error;
      }
    });
    if (database.kind === "pglite") await handBackOrphanedJobs(boss, database, schema);
    current.pollingIntervalSeconds = options.pollingIntervalSeconds ?? 2;
    current.schema = schema;
    current.database = database;
    current.boss = boss;
    current.lastError = null;
    for (const queue of current.handlers.keys()) await startWorkers(boss, queue);
  })().finally(() => {
    current.starting = null;
  });
  return current.starting;
}

/**
 * PGlite is one process's database (its directory is locked): a job still `active` when the process starts was
 * held by a process that is gone (killed, or stopped past its grace period). It is failed now, so it is tried again
 * after its retry delay rather than after its expiry. On PostgreSQL another instance may be working on it: expiry
 * decides there.
 */
async function handBackOrphanedJobs(boss: PgBoss, database: Database, schema: string) {
  const orphans = await database.executeSql(`SELECT name, id FROM ${schema}.job WHERE state = 'active'`, []);
  for (const orphan of orphans.rows as { name: string; id: string }[]) {
    await boss.fail(orphan.name, orphan.id, { message: "The process working on this job stopped before it ended." });
  }
}

/**
 * Stops taking jobs, lets the running ones finish for up to `timeoutMs`, then hands the rest back as failed
 * attempts (they are tried again, here or on another instance, after their retry delay).
 */
export async function stopJobs(timeoutMs = 20_000): Promise<void> {
  const current = state();
  if (current.starting) await current.starting.catch(() => undefined);
  const boss = current.boss;
  if (!boss) return;
  current.boss = null;
  current.workers.clear();
  await boss.stop({ graceful: true, wait: true, close: false, timeout: timeoutMs });
  // What the stopped jobs queued for a batched write (the API log of their last calls) is stored before the
  // database closes.
  await flushBatchers();
}

/** The boss, once the start under way (instrumentation.ts does not wait for it) has finished. */
async function startedBoss(): Promise<PgBoss> {
  const starting = state().starting;
  if (starting) await starting.catch(() => undefined);
  return runningBoss();
}

function runningBoss(): PgBoss {
  const boss = state().boss;
  if (!boss) throw new Error("The job system is not running in this process.");
  return boss;
}

/**
 * Queues a job after checking its payload. Answers the job's id, or null when the queue dropped it because the
 * same work already waits (a `stately` queue). With `transaction` (lib/db.ts's raw transaction) the job is written
 * in it: it exists exactly when the rows it works on were committed.
 */
export async function sendJob<Q extends QueueName>(
  queue: Q,
  payload: QueuePayload<Q>,
  options: { startAfterSeconds?: number; transaction?: SqlRunner } = {},
): Promise<string | null> {
  const declaration: QueueDeclaration = queues[queue];
  const data = declaration.payload.parse(payload);
  const transaction = options.transaction;
  const boss = await startedBoss();
  const id = await boss.send(queue, data, {
    ...(options.startAfterSeconds ? { startAfter: options.startAfterSeconds } : {}),
    ...(declaration.keyedBy ? { singletonKey: String(data[declaration.keyedBy]) } : {}),
    ...(transaction
      ? {
          db: {
            executeSql: async (text: string, values: unknown[]) => ({ rows: await transaction.query(text, values) }),
          },
        }
      : {}),
  });
  // A job due now is taken by this process's idle worker at once (committed: a job sent in a transaction waits for
  // the worker's next poll, as it may not be visible yet).
  if (id && !options.startAfterSeconds && !transaction) {
    for (const worker of state().workers.get(queue) ?? []) boss.notifyWorker(worker);
  }
  return id;
}

export type JobSystemStatus = { running: boolean; lastError: { at: Date; message: string } | null };

export function jobSystemStatus(): JobSystemStatus {
  const current = state();
  return { running: current.boss !== null, lastError: current.lastError };
}

/** For lib/jobs/admin.ts: the running boss, its schema and database. */
export function jobSystem(): { boss: PgBoss; schema: string; database: Database } {
  const boss = runningBoss();
  const current = state();
  return { boss, schema: current.schema, database: current.database! };
}
