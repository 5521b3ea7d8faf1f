import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cancelJobAction, retryJobAction } from "@/app/(console)/jobs/actions";
import { db, getDatabase } from "@/lib/db";
import { failedJobs, openJobs, queueOverview } from "@/lib/jobs/admin";
import { sendJob, startJobs, stopJobs } from "@/lib/jobs/jobs";
import { form, signInAs } from "../support/factories";
import { testJobSchema } from "../support/jobs";

// The admin "Jobs" screen's data and its two audited actions. No handler is registered here, so jobs stay queued.
const schema = testJobSchema();

beforeAll(() => startJobs({ schema, schedules: false }));
afterAll(() => stopJobs(1_000));

/** A job that used up its attempts, as the job system leaves it. */
async function failedJob(message: string) {
  const id = (await sendJob("traveler-refresh-run", { runId: "1" }))!;
  await getDatabase().sql.query(
    `UPDATE ${schema}.job SET state = 'failed', started_on = now(), completed_on = now(), retry_count = retry_limit,
       output = $2::jsonb WHERE id = $1`,
    [id, JSON.stringify({ name: "Error", message })],
  );
  return id;
}

describe("the Jobs screen", () => {
  it("counts per queue and lists a failed job with its error and attempts; admins retry it, audited", async () => {
    const id = await failedJob("Hubby answered 503");
    const overview = await queueOverview();
    expect(overview.find((queue) => queue.queue === "traveler-refresh-run")).toMatchObject({ failed: 1, queued: 0 });
    expect(await failedJobs()).toEqual([
      expect.objectContaining({
        id,
        queue: "traveler-refresh-run",
        error: "Hubby answered 503",
        attempts: 6,
        maxAttempts: 6,
      }),
    ]);

    const admin = await signInAs("admin");
    expect(await retryJobAction(null, form({ queue: "traveler-refresh-run", id }))).toMatchObject({ ok: true });
    expect(await failedJobs()).toEqual([]);
    expect((await openJobs()).map((job) => [job.id, job.state])).toEqual([[id, "retry"]]);
    expect(await db().auditEntry.findFirstOrThrow({ where: { action: "jobs.retry", result: "ok" } })).toMatchObject({
      actorId: admin.id,
      targetId: id,
      details: { queue: "traveler-refresh-run" },
    });
    // Retrying it again is refused with a message (it is no longer failed), and audited as refused.
    expect(await retryJobAction(null, form({ queue: "traveler-refresh-run", id }))).toMatchObject({
      ok: false,
      message: expect.stringContaining("no longer failed"),
    });

    expect(await cancelJobAction(null, form({ queue: "traveler-refresh-run", id }))).toMatchObject({ ok: true });
    expect(await openJobs()).toEqual([]);
    expect(await db().auditEntry.count({ where: { action: "jobs.cancel", result: "ok", targetId: id } })).toBe(1);
  });

  it("refuses bad input with a message and other roles with the forbidden message", async () => {
    await signInAs("admin");
    expect(await retryJobAction(null, form({ queue: "traveler-refresh-run", id: "not-a-uuid" }))).toMatchObject({
      ok: false,
      fieldErrors: { id: expect.any(Array) },
    });
    expect(await cancelJobAction(null, form({ queue: "no-such-queue", id: crypto.randomUUID() }))).toMatchObject({
      ok: false,
      fieldErrors: { queue: expect.any(Array) },
    });
    const id = await failedJob("boom");
    await signInAs("support");
    const refusedBefore = await db().auditEntry.count({ where: { action: "jobs.retry", result: "refused" } });
    expect(await retryJobAction(null, form({ queue: "traveler-refresh-run", id }))).toMatchObject({
      ok: false,
      message: "Your role does not allow this action.",
    });
    expect(await db().auditEntry.count({ where: { action: "jobs.retry", result: "refused" } })).toBe(refusedBefore + 1);
    expect((await failedJobs()).map((job) => job.id)).toContain(id);
  });
});
