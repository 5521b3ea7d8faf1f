import "server-only";
import { audit } from "../audit/audit";
import { db, getDatabase } from "../db";
import { registerJobHandler, sendJob } from "../jobs/jobs";
import type { Prisma } from "../generated/prisma/client";
import { deleteApiCallsBefore, deleteAuditEntriesBefore } from "./logs";
import { apiLogCutoff, auditCutoff } from "./periods";
import { retentionSettings } from "./settings";
import { runWebhookRetention } from "./webhooks";
import type { ArchiveStore } from "./archive-store";

/**
 * The three daily retention jobs (queues in lib/jobs/queues.ts): webhook months archived then dropped, the Hubby API
 * log and the audit log trimmed to their settings. Each run is audited as the system with its counts, and its last
 * entry is what /retention shows as the job's last run.
 */
export const retentionJobs = {
  webhooks: { queue: "retention-webhooks", action: "retention.webhooks", label: "Webhook months: archive, then drop" },
  apiLog: { queue: "retention-api-log", action: "retention.api_log", label: "Hubby API log" },
  auditLog: { queue: "retention-audit-log", action: "retention.audit_log", label: "Audit log" },
} as const;
export type RetentionJob = keyof typeof retentionJobs;
export const retentionJobNames = Object.keys(retentionJobs) as RetentionJob[];

type Trigger = "schedule" | "staff";

/** Two instances never archive or drop at once (the queue is stately too; this also covers a job that expired). */
const WEBHOOK_RETENTION_LOCK = 72_410_064;

export type RetentionRunOutcome = { ok: boolean; details: Record<string, unknown> };

/** Runs one retention job now and audits it as the system; `store` and `now` are for tests. */
export async function runRetentionJob(
  job: RetentionJob,
  trigger: Trigger,
  options: { now?: Date; store?: ArchiveStore } = {},
): Promise<RetentionRunOutcome> {
  const now = options.now ?? new Date();
  const settings = await retentionSettings();
  let outcome: RetentionRunOutcome;
  try {
    if (job === "webhooks") {
      const result = await getDatabase().withExclusiveLock(WEBHOOK_RETENTION_LOCK, () =>
        runWebhookRetention(settings.webhookMonths, now, options.store),
      );
      outcome = {
        ok: result.failure === null,
        details: {
          keepMonths: result.keepMonths,
          store: result.store,
          months: result.months,
          rowsDropped: result.months.reduce((sum, month) => sum + month.rows, 0),
          failure: result.failure,
        },
      };
    } else if (job === "apiLog") {
      const cutoff = apiLogCutoff(now, settings.apiLogDays);
      outcome = {
        ok: true,
        details: { keepDays: settings.apiLogDays, cutoff, deleted: await deleteApiCallsBefore(cutoff) },
      };
    } else {
      const cutoff = auditCutoff(now, settings.auditYears);
      outcome = {
        ok: true,
        details: { keepYears: settings.auditYears, cutoff, deleted: await deleteAuditEntriesBefore(cutoff) },
      };
    }
  } catch (error) {
    outcome = { ok: false, details: { failure: { message: error instanceof Error ? error.message : String(error) } } };
  }
  await audit({
    action: retentionJobs[job].action,
    targetType: "retention",
    targetId: job,
    result: outcome.ok ? "ok" : "error",
    details: { ...outcome.details, trigger } as Prisma.InputJsonValue,
  });
  return outcome;
}

/** Queues a job to run now; answers false when one already waits (the queue is stately). */
export async function queueRetentionJob(job: RetentionJob): Promise<boolean> {
  return (await sendJob(retentionJobs[job].queue, { trigger: "staff" })) !== null;
}

export type RetentionLastRun = { at: Date; ok: boolean; details: Record<string, unknown> | null };

/** Each job's last run, from its audit entries (the newest per action). */
export async function lastRetentionRuns(): Promise<Record<RetentionJob, RetentionLastRun | null>> {
  const entries = await Promise.all(
    retentionJobNames.map((job) =>
      db().auditEntry.findFirst({
        where: { action: retentionJobs[job].action },
        orderBy: { at: "desc" },
        select: { at: true, result: true, details: true },
      }),
    ),
  );
  return Object.fromEntries(
    retentionJobNames.map((job, index) => {
      const entry = entries[index];
      return [
        job,
        entry
          ? {
              at: entry.at,
              ok: entry.result === "ok",
              details: (entry.details ?? null) as Record<string, unknown> | null,
            }
          : null,
      ];
    }),
  ) as Record<RetentionJob, RetentionLastRun | null>;
}

/** Registers the retention jobs' handlers (instrumentation.ts). A failed run is audited, then fails its job. */
export function registerRetentionJobs(): void {
  for (const job of retentionJobNames) {
    registerJobHandler(retentionJobs[job].queue, async ({ trigger }) => {
      const outcome = await runRetentionJob(job, trigger);
      if (!outcome.ok) {
        const failure = outcome.details.failure as { message?: string } | undefined;
        throw new Error(failure?.message ?? "The retention run failed.");
      }
    });
  }
}
