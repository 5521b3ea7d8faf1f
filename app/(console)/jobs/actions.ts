"use server";
import { z } from "zod";
import { runAction, type ActionResult } from "@/lib/actions";
import { ActionError } from "@/lib/errors";
import { cancelJob, retryJob, type JobCommandResult } from "@/lib/jobs/admin";
import { queueNames } from "@/lib/jobs/queues";

const jobSchema = z.object({
  queue: z.enum(queueNames as [string, ...string[]], { message: "Unknown queue." }),
  id: z.uuid({ message: "Not a job id." }),
});

type JobCommand = { queue: string; id: string };

/** One audited command on one job; `unchanged` is the message when the job was not in a state it applies to. */
function jobCommand(
  action: "jobs.retry" | "jobs.cancel",
  command: (queue: string, id: string) => Promise<JobCommandResult>,
  unchanged: string,
  form: FormData,
): Promise<ActionResult<JobCommand>> {
  return runAction(
    {
      action,
      permission: "jobs.manage",
      schema: jobSchema,
      subject: ({ id }) => ({ targetType: "job", targetId: id }),
      run: async ({ queue, id }) => {
        const { changed } = await command(queue, id);
        if (!changed) throw new ActionError(unchanged);
        return { queue, id };
      },
      audit: ({ queue }) => ({ details: { queue } }),
      revalidate: ["/jobs"],
    },
    form,
  );
}

/** Gives a failed job one more attempt. */
export async function retryJobAction(_prev: unknown, form: FormData): Promise<ActionResult<JobCommand>> {
  return jobCommand("jobs.retry", retryJob, "This job is no longer failed: there is nothing to retry.", form);
}

/** Cancels a job that waits, waits for a retry, or runs. */
export async function cancelJobAction(_prev: unknown, form: FormData): Promise<ActionResult<JobCommand>> {
  return jobCommand("jobs.cancel", cancelJob, "This job has already finished: there is nothing to cancel.", form);
}
