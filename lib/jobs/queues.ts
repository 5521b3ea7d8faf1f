import { z } from "zod";

/**
 * Every queue of the console's one job system, declared here and nowhere else: its payload (checked when a job is
 * sent and again when it is worked), how often and how late a failed job is tried again, how long a job may stay
 * active before it counts as abandoned (its worker died; another instance takes it after this), how many run at
 * once per instance, and an optional schedule (cron, UTC) that fires once per period across all instances.
 *
 * Handlers live with their domain and are registered at start (lib/jobs/registry.ts); this file knows no domain.
 */
export type QueueDeclaration = {
  label: string;
  payload: z.ZodType<Record<string, unknown>>;
  /** Further attempts after the first one fails. */
  retryLimit: number;
  retryDelaySeconds: number;
  /** Doubles the delay on every further attempt (with jitter). */
  retryBackoff: boolean;
  expireInSeconds: number;
  /** Jobs of this queue worked at once by one instance. */
  concurrency: number;
  /**
   * `stately`: at most one job waiting and one running, so a second request while one waits is dropped (a refresh
   * asked twice is one refresh); `standard`: every job sent runs.
   */
  policy: "standard" | "stately";
  /**
   * A payload field whose value is the job's key: a `stately` queue then holds at most one waiting and one running
   * job per key (one campaign's run is worked by one instance at a time, while other campaigns run beside it).
   */
  keyedBy?: string;
  schedule?: { cron: string; payload: Record<string, unknown> };
};

/**
 * A sweep run every minute, one at a time across instances: the next run does whatever a failed one left, so it is
 * not retried.
 */
const EVERY_MINUTE_SWEEP = {
  retryLimit: 0,
  retryDelaySeconds: 60,
  retryBackoff: false,
  expireInSeconds: 15 * 60,
  concurrency: 1,
  policy: "stately",
  schedule: { cron: "* * * * *", payload: { trigger: "schedule" } },
} as const;

/** Fired by its schedule, or started by staff from the jobs screen. */
const SCHEDULE_OR_STAFF = z.object({ trigger: z.enum(["schedule", "staff"]) });

/**
 * A daily run at `cron` (UTC), one at a time across instances. Tomorrow's run does the same work, so a failed run
 * gets one retry ten minutes later at most: a retry that overlapped the next run would be worth nothing.
 */
function dailyRun(cron: string) {
  return {
    payload: SCHEDULE_OR_STAFF,
    retryLimit: 1,
    retryDelaySeconds: 600,
    retryBackoff: false,
    expireInSeconds: 60 * 60,
    concurrency: 1,
    policy: "stately",
    schedule: { cron, payload: { trigger: "schedule" } },
  } as const;
}

export const queues = {
  "catalog-refresh": {
    label: "Catalog refresh from Hubby",
    payload: z.object({ trigger: z.enum(["schedule", "start"]) }),
    retryLimit: 3,
    retryDelaySeconds: 60,
    retryBackoff: true,
    expireInSeconds: 15 * 60,
    concurrency: 1,
    policy: "stately",
    schedule: { cron: "0 */6 * * *", payload: { trigger: "schedule" } },
  },
  maintenance: {
    label: "Maintenance (expired sign-in attempts, resolved alert incidents)",
    payload: SCHEDULE_OR_STAFF,
    retryLimit: 2,
    retryDelaySeconds: 300,
    retryBackoff: false,
    expireInSeconds: 30 * 60,
    concurrency: 1,
    policy: "stately",
    schedule: { cron: "17 * * * *", payload: { trigger: "schedule" } },
  },
  "traveler-refresh-run": {
    label: "Refresh travelers from Hubby",
    payload: z.object({ runId: z.string().regex(/^\d+$/) }),
    retryLimit: 5,
    retryDelaySeconds: 30,
    retryBackoff: true,
    // A run of thousands of travelers takes long; the run resumes where it stopped, so an expiry only re-reads
    // the travelers not yet done.
    expireInSeconds: 60 * 60,
    concurrency: 1,
    policy: "standard",
  },
  "campaign-run": {
    label: "Campaign run",
    payload: z.object({ campaignId: z.string().uuid(), noReplyRun: z.number().int().min(0).optional() }),
    // A run is worked in slices (lib/campaigns/run-job.ts): each job sends rows for at most a slice, then queues
    // the next one. A slice whose instance died expires after this and is taken by another instance; its rows in
    // flight are reconciled, never sent twice (the intent ledger).
    retryLimit: 10,
    retryDelaySeconds: 2,
    retryBackoff: true,
    expireInSeconds: 90,
    concurrency: 4,
    policy: "stately",
    keyedBy: "campaignId",
  },
  "campaign-check": {
    label: "Campaign dry-run check",
    payload: z.object({ campaignId: z.string().uuid(), requestId: z.string().max(100).optional() }),
    retryLimit: 3,
    retryDelaySeconds: 5,
    retryBackoff: true,
    // The longest check (100 000 rows) takes well under a minute; a check whose instance died starts again from
    // the stored file after this.
    expireInSeconds: 10 * 60,
    concurrency: 2,
    policy: "stately",
    keyedBy: "campaignId",
  },
  "alerts-evaluate": {
    label: "Alerts: evaluate the rules",
    payload: SCHEDULE_OR_STAFF,
    // The next minute evaluates again: a failed run is not worth a retry that would overlap it.
    retryLimit: 0,
    retryDelaySeconds: 30,
    retryBackoff: false,
    expireInSeconds: 5 * 60,
    concurrency: 1,
    // Stately: one evaluation waiting and one running at most, whatever the number of instances.
    policy: "stately",
    schedule: { cron: "* * * * *", payload: { trigger: "schedule" } },
  },
  "forward-sweep": {
    label: "Forward webhooks to partner endpoints (retries, recovery)",
    payload: SCHEDULE_OR_STAFF,
    // The next minute's sweep does the same work: a failed sweep needs no retry of its own.
    ...EVERY_MINUTE_SWEEP,
  },
  privacy: {
    label: "Personal data: trip-tied retention and erased travelers seen again",
    ...dailyRun("41 3 * * *"),
  },
  "privacy-late-events": {
    label: "Personal data: erased travelers a late webhook brought back (the last 15 minutes)",
    payload: SCHEDULE_OR_STAFF,
    // Each run looks back over three runs' worth, and the daily run over a week: a failed run needs no retry.
    retryLimit: 0,
    retryDelaySeconds: 60,
    retryBackoff: false,
    expireInSeconds: 15 * 60,
    concurrency: 1,
    policy: "stately",
    schedule: { cron: "*/5 * * * *", payload: { trigger: "schedule" } },
  },
  "retention-webhooks": {
    label: "Retention: archive expired webhook months, then drop them",
    payload: SCHEDULE_OR_STAFF,
    // A month is dropped only after its archive was verified; a failed run leaves it for tomorrow's, or one retry
    // later today (the store was down, say).
    retryLimit: 1,
    retryDelaySeconds: 1_800,
    retryBackoff: false,
    // Archiving a large partner's month (tens of millions of events) takes long; a run whose instance died is taken
    // over after this and finishes from the archive's recorded step (lib/retention/webhooks.ts).
    expireInSeconds: 6 * 3_600,
    concurrency: 1,
    policy: "stately",
    schedule: { cron: "23 2 * * *", payload: { trigger: "schedule" } },
  },
  "retention-api-log": {
    label: "Retention: delete Hubby API log rows past their days",
    ...dailyRun("29 2 * * *"),
  },
  "retention-audit-log": {
    label: "Retention: delete audit entries past their years",
    ...dailyRun("35 2 * * *"),
  },
  "webhook-partitions": {
    label: "Webhooks: create the coming months' partitions",
    payload: SCHEDULE_OR_STAFF,
    // Months are created three ahead: a failed run has weeks of retries (tomorrow's) before a month is missing.
    retryLimit: 2,
    retryDelaySeconds: 600,
    retryBackoff: false,
    expireInSeconds: 15 * 60,
    concurrency: 1,
    policy: "stately",
    schedule: { cron: "23 2 * * *", payload: { trigger: "schedule" } },
  },
  "webhook-rollup": {
    label: "Webhooks: hourly rollup for the health panel and inbox totals",
    payload: SCHEDULE_OR_STAFF,
    // The next run (every minute) rolls up whatever this one left; a failed run needs no retry of its own.
    ...EVERY_MINUTE_SWEEP,
  },
  "webhook-projection-sweep": {
    label: "Webhooks: projections an instance left pending (a crash, a stop)",
    payload: z.object({ trigger: z.enum(["schedule", "start"]) }),
    // The next run (every minute) takes whatever this one left.
    ...EVERY_MINUTE_SWEEP,
  },
} as const satisfies Record<string, QueueDeclaration>;

export type QueueName = keyof typeof queues;
export type QueuePayload<Q extends QueueName> = z.infer<(typeof queues)[Q]["payload"]>;

export const queueNames = Object.keys(queues) as QueueName[];

export function isQueueName(value: unknown): value is QueueName {
  return typeof value === "string" && Object.hasOwn(queues, value);
}
