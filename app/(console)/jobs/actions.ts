"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { ActionError, formToObject, runAction, type ActionResult } from "@/lib/actions";
import { audit } from "@/lib/audit/audit";
import { rolesFor } from "@/lib/auth/roles";
import { cancelJob, retryJob } from "@/lib/jobs/admin";
import { queueNames } from "@/lib/jobs/queues";

const jobsRoles = rolesFor("jobs.manage");
const jobSchema = z.object({
  queue: z.enum(queueNames as [string, ...string[]], { message: "Unknown queue." }),
  id: z.uuid({ message: "Not a job id." }),
});

type JobCommand = { queue: string; id: string };

/** Gives a failed job one more attempt. */
export async function retryJobAction(_prev: unknown, form: FormData): Promise<ActionResult<JobCommand>> {
  return runAction(
    { action: "jobs.retry", roles: jobsRoles, schema: jobSchema, input: formToObject(form) },
    async ({ queue, id }, { staff, requestId }) => {
      const { changed } = await retryJob(queue, id);
      if (!changed) throw new ActionError("This job is no longer failed: there is nothing to retry.");
      await audit({
        actor: staff,
        action: "jobs.retry",
        targetType: "job",
        targetId: id,
        result: "ok",
        details: { queue },
        requestId,
      });
      revalidatePath("/jobs");
      return { queue, id };
    },
  );
}

/** Cancels a job that waits, waits for a retry, or runs. */
export async function cancelJobAction(_prev: unknown, form: FormData): Promise<ActionResult<JobCommand>> {
  return runAction(
    { action: "jobs.cancel", roles: jobsRoles, schema: jobSchema, input: formToObject(form) },
    async ({ queue, id }, { staff, requestId }) => {
      const { changed } = await cancelJob(queue, id);
      if (!changed) throw new ActionError("This job has already finished: there is nothing to cancel.");
      await audit({
        actor: staff,
        action: "jobs.cancel",
        targetType: "job",
        targetId: id,
        result: "ok",
        details: { queue },
        requestId,
      });
      revalidatePath("/jobs");
      return { queue, id };
    },
  );
}
