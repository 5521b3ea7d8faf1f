"use server";
import { z } from "zod";
import { runAction, type ActionResult } from "@/lib/actions";
import { ActionError } from "@/lib/errors";
import { queueRetentionJob, retentionJobNames, retentionJobs, type RetentionJob } from "@/lib/retention/jobs";
import { retentionSettingsSchema, saveRetentionSettings, type RetentionSettings } from "@/lib/retention/settings";

/** Saves how long webhooks, the API log and the audit log are kept (admin only, audited with before and after). */
export async function saveRetentionSettingsAction(
  _prev: unknown,
  form: FormData,
): Promise<ActionResult<RetentionSettings>> {
  return runAction(
    {
      action: "settings.retention",
      permission: "retention.manage",
      schema: retentionSettingsSchema,
      run: (input, { staff }) => saveRetentionSettings(input, staff),
      audit: (change) => ({ targetType: "setting", targetId: "retention.settings", details: change }),
      revalidate: ["/retention"],
      reply: (change) => change.after,
    },
    form,
  );
}

const runNowSchema = z.object({
  job: z.enum(retentionJobNames as [RetentionJob, ...RetentionJob[]], { message: "Unknown retention job." }),
});

/** Queues a retention job to run now (admin only, audited). */
export async function runRetentionNowAction(_prev: unknown, form: FormData): Promise<ActionResult<{ job: string }>> {
  return runAction(
    {
      action: "retention.run_now",
      permission: "retention.manage",
      schema: runNowSchema,
      subject: ({ job }) => ({ targetType: "retention", targetId: job }),
      run: async ({ job }) => {
        if (!(await queueRetentionJob(job))) {
          throw new ActionError(`${retentionJobs[job].label}: a run is already waiting; it starts shortly.`);
        }
        return { job };
      },
      audit: ({ job }) => ({ details: { queue: retentionJobs[job as RetentionJob].queue } }),
      revalidate: ["/retention"],
      explain: (error) =>
        error instanceof Error && /job system is not running/.test(error.message)
          ? new ActionError("The job system is not running in this instance, so nothing can be queued: see Jobs.")
          : null,
    },
    form,
  );
}
