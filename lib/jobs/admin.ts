import "server-only";
import { jobSystem, jobSystemStatus } from "./jobs";
import { isQueueName, queueNames, queues, type QueueName } from "./queues";

/**
 * What the admin "Jobs" screen shows and does, read straight from pg-boss's job table (pg-boss has no listing
 * API): counts per queue, the failed jobs with their error and attempts, the waiting ones; retry and cancel.
 */

export type QueueCounts = {
  queue: QueueName;
  label: string;
  /** Waiting to start, including failed attempts waiting for their retry. */
  queued: number;
  active: number;
  /** Completed in the last 24 hours (older ones are archived). */
  completed: number;
  failed: number;
};

type CountRow = { name: string; state: string; count: number };

export async function queueOverview(): Promise<QueueCounts[]> {
  const { schema, database } = jobSystem();
  const rows = await database.sql.query<CountRow>(
    `SELECT name, state::text AS state, count(*)::int AS count FROM ${schema}.job
     WHERE name = ANY($1::text[]) AND (state <> 'completed' OR completed_on > now() - interval '24 hours')
     GROUP BY name, state`,
    [queueNames],
  );
  return queueNames.map((queue) => {
    const count = (...states: string[]) =>
      rows.filter((row) => row.name === queue && states.includes(row.state)).reduce((sum, row) => sum + row.count, 0);
    return {
      queue,
      label: queues[queue].label,
      queued: count("created", "retry"),
      active: count("active"),
      completed: count("completed"),
      failed: count("failed"),
    };
  });
}

/** Whether a job of this queue waits or runs now; false when the job system does not run in this process. */
export async function queueIsBusy(queue: QueueName): Promise<boolean> {
  if (!jobSystemStatus().running) return false;
  const { schema, database } = jobSystem();
  const rows = await database.sql.query(
    `SELECT 1 FROM ${schema}.job WHERE name = $1 AND state IN ('created', 'retry', 'active') LIMIT 1`,
    [queue],
  );
  return rows.length > 0;
}

export type JobSummary = {
  id: string;
  queue: QueueName;
  label: string;
  state: string;
  /** Attempts made so far, and how many are allowed in all. */
  attempts: number;
  maxAttempts: number;
  error: string | null;
  data: unknown;
  createdAt: Date;
  /** When it failed, or when it may start next. */
  at: Date | null;
};

type JobRow = {
  id: string;
  name: string;
  state: string;
  retry_count: number;
  retry_limit: number;
  started_on: Date | null;
  output: unknown;
  data: unknown;
  created_on: Date;
  completed_on: Date | null;
  start_after: Date;
};

function errorOf(output: unknown): string | null {
  if (!output || typeof output !== "object") return null;
  const value = output as { message?: unknown; value?: { message?: unknown } | unknown };
  if (typeof value.message === "string") return value.message;
  const inner = value.value;
  if (inner && typeof inner === "object" && typeof (inner as { message?: unknown }).message === "string") {
    return (inner as { message: string }).message;
  }
  return typeof inner === "string" ? inner : null;
}

function summary(row: JobRow): JobSummary {
  const queue = row.name as QueueName;
  return {
    id: row.id,
    queue,
    label: queues[queue].label,
    state: row.state,
    // retry_count counts the attempts after the first; a job never started has made none.
    attempts: row.started_on ? row.retry_count + 1 : row.retry_count,
    maxAttempts: row.retry_limit + 1,
    error: errorOf(row.output),
    data: row.data,
    createdAt: new Date(row.created_on),
    at: row.state === "failed" ? row.completed_on && new Date(row.completed_on) : new Date(row.start_after),
  };
}

const jobColumns = `id::text AS id, name, state::text AS state, retry_count, retry_limit, started_on, output, data,
  created_on, completed_on, start_after`;

/** The latest failed jobs (kept a week), newest first. */
export async function failedJobs(limit = 50): Promise<JobSummary[]> {
  const { schema, database } = jobSystem();
  const rows = await database.sql.query<JobRow>(
    `SELECT ${jobColumns} FROM ${schema}.job WHERE name = ANY($1::text[]) AND state = 'failed'
     ORDER BY completed_on DESC NULLS LAST LIMIT $2`,
    [queueNames, limit],
  );
  return rows.map(summary);
}

/** Jobs waiting, waiting for a retry, or running, oldest first. */
export async function openJobs(limit = 50): Promise<JobSummary[]> {
  const { schema, database } = jobSystem();
  const rows = await database.sql.query<JobRow>(
    `SELECT ${jobColumns} FROM ${schema}.job WHERE name = ANY($1::text[]) AND state IN ('created', 'retry', 'active')
     ORDER BY created_on LIMIT $2`,
    [queueNames, limit],
  );
  return rows.map(summary);
}

export type JobCommandResult = { changed: boolean };

/** Gives a failed job one more attempt. Answers changed: false when it is not (or no longer) failed. */
export async function retryJob(queue: string, id: string): Promise<JobCommandResult> {
  if (!isQueueName(queue)) return { changed: false };
  const result = (await jobSystem().boss.retry(queue, id)) as unknown as { affected: number };
  return { changed: result.affected > 0 };
}

/** Cancels a job that waits or runs (a running handler is not interrupted; its result is no longer recorded). */
export async function cancelJob(queue: string, id: string): Promise<JobCommandResult> {
  if (!isQueueName(queue)) return { changed: false };
  const result = (await jobSystem().boss.cancel(queue, id)) as unknown as { affected: number };
  return { changed: result.affected > 0 };
}
