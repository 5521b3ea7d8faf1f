import { afterEach, describe, expect, it } from "vitest";
import type PgBoss from "pg-boss";
import { getDatabase } from "@/lib/db";
import { createBoss, jobSystemStatus, registerJobHandler, sendJob, startJobs, stopJobs } from "@/lib/jobs/jobs";
import { eventually, testJobSchema } from "../support/jobs";

// The job system on the test database (in-memory PGlite, or PostgreSQL with TEST_DATABASE_URL). Several bosses
// on one database stand for several app instances; on PGlite they share the process's one instance, as the app
// itself can only run as one process there.
const schema = testJobSchema();
const started: PgBoss[] = [];

async function instance(options: Parameters<typeof createBoss>[1] = {}) {
  const boss = createBoss(getDatabase(), { schema, pollingIntervalSeconds: 0.5, ...options });
  boss.on("error", (error) => console.error("[test boss]", error));
  await boss.start();
  started.push(boss);
  return boss;
}

async function jobRow(queue: string, id: string) {
  const rows = await getDatabase().sql.query<{ state: string; retry_count: number; output: unknown }>(
    `SELECT state::text AS state, retry_count, output FROM ${schema}.job WHERE name = $1 AND id = $2`,
    [queue, id],
  );
  return rows[0];
}

afterEach(async () => {
  for (const boss of started.splice(0)) await boss.stop({ graceful: false, close: false });
});

describe("the job system", () => {
  it("tries a failed job again after its delay, and it then succeeds", async () => {
    const boss = await instance();
    await boss.createQueue("test-retry", { name: "test-retry", retryLimit: 2, retryDelay: 1 });
    const attempts: number[] = [];
    await boss.work<{ n: number }>(
      "test-retry",
      { batchSize: 1, includeMetadata: true, pollingIntervalSeconds: 0.5 },
      async ([job]) => {
        attempts.push(job!.retryCount);
        if (attempts.length === 1) throw new Error("Hubby answered 503");
      },
    );
    const id = (await boss.send("test-retry", { n: 1 }))!;
    const done = await eventually("the retried job to complete", async () => {
      const row = await jobRow("test-retry", id);
      return row?.state === "completed" ? row : undefined;
    });
    expect(attempts).toEqual([0, 1]);
    expect(done.retry_count).toBe(1);
  });

  it("gives a job whose worker died to another instance once it expires", async () => {
    const dead = await instance({ maintenanceIntervalSeconds: 1 });
    await dead.createQueue("test-expiry", { name: "test-expiry", expireInSeconds: 1, retryLimit: 2, retryDelay: 0 });
    const id = (await dead.send("test-expiry", { traveler: "t-1" }))!;
    // Fetched and never completed: the instance "dies" holding it (no worker of its own knows the job, so even its
    // stop cannot hand it back).
    expect((await dead.fetch("test-expiry")).map((job) => job.id)).toEqual([id]);
    await dead.stop({ graceful: false, close: false });
    expect((await jobRow("test-expiry", id))?.state).toBe("active");

    const survivor = await instance({ maintenanceIntervalSeconds: 1 });
    const worked: string[] = [];
    await survivor.work("test-expiry", { pollingIntervalSeconds: 0.5 }, async ([job]) => {
      worked.push(job!.id);
    });
    const row = await eventually("the abandoned job to be completed by the other instance", async () => {
      const current = await jobRow("test-expiry", id);
      return current?.state === "completed" ? current : undefined;
    });
    expect(worked).toEqual([id]);
    expect(row.retry_count).toBe(1);
  });

  it("fires a schedule once per period with two instances", async () => {
    // The cron below fires every minute; stay inside one minute so one firing is the right answer.
    const secondsIntoMinute = new Date().getUTCSeconds();
    if (secondsIntoMinute > 40) await new Promise((resolve) => setTimeout(resolve, (61 - secondsIntoMinute) * 1000));
    const options = { scheduleCheckSeconds: 1 };
    const first = await instance(options);
    const second = await instance(options);
    await first.createQueue("test-schedule", { name: "test-schedule" });
    const fired: string[] = [];
    for (const boss of [first, second]) {
      await boss.schedule("test-schedule", "* * * * *", { what: "tick" }, { tz: "UTC" });
      await boss.work("test-schedule", { pollingIntervalSeconds: 0.5 }, async ([job]) => {
        fired.push(job!.id);
      });
    }
    await eventually("the schedule to fire", async () => (fired.length > 0 ? true : undefined));
    // Both instances keep checking the schedule every second; give them several chances to fire it again.
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    const [scheduled] = await getDatabase().sql.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM ${schema}.job WHERE name = 'test-schedule'`,
    );
    expect(scheduled?.count).toBe(1);
    expect(fired).toHaveLength(1);
  }, 60_000);

  it("on a graceful stop hands back a job that outlasts the timeout, to be tried again", async () => {
    const boss = await instance();
    await boss.createQueue("test-stop", { name: "test-stop", retryLimit: 3, retryDelay: 0 });
    let release: () => void = () => {};
    const blocked = new Promise<void>((resolve) => (release = resolve));
    const startedJobs: string[] = [];
    await boss.work("test-stop", { pollingIntervalSeconds: 0.5 }, async ([job]) => {
      startedJobs.push(job!.id);
      await blocked;
    });
    const id = (await boss.send("test-stop", {}))!;
    await eventually("the job to start", async () => (startedJobs.length ? true : undefined));
    await boss.stop({ graceful: true, wait: true, close: false, timeout: 1_000 });
    release();
    // Handed back: failed once, waiting to be tried again by any instance.
    const row = await jobRow("test-stop", id);
    expect(row).toMatchObject({ state: "retry" });
    expect(JSON.stringify(row!.output)).toContain("shut down");
  });

  it("runs the console's declared queues: payloads are checked, a waiting refresh is not queued twice", async () => {
    expect(jobSystemStatus().running).toBe(false);
    await expect(sendJob("maintenance", { trigger: "staff" })).rejects.toThrow(/not running/);
    await startJobs({ schema, pollingIntervalSeconds: 0.5, schedules: false });
    expect(jobSystemStatus().running).toBe(true);
    await expect(sendJob("maintenance", { trigger: "nonsense" } as never)).rejects.toThrow();
    // No handler yet, so the first job waits; the queue is `stately`, so a second one is dropped.
    const first = await sendJob("maintenance", { trigger: "staff" });
    expect(first).toEqual(expect.any(String));
    expect(await sendJob("maintenance", { trigger: "staff" })).toBeNull();
    const seen: Array<{ trigger: string; attempt: number }> = [];
    registerJobHandler("maintenance", async (payload, job) => {
      seen.push({ trigger: payload.trigger, attempt: job.attempt });
    });
    await eventually("the maintenance job to run", async () => (seen.length ? true : undefined));
    expect(seen).toEqual([{ trigger: "staff", attempt: 1 }]);
    await stopJobs(1_000);
    expect(jobSystemStatus().running).toBe(false);
  });

  it.runIf(getDatabase().kind === "pglite")(
    "on PGlite, a job left active by a process that is gone is handed back at start, not after its expiry",
    async () => {
      // PGlite's directory is locked to one process: whatever is active when the job system starts was held by a
      // process that died (the campaign crash bench kills the console this way).
      const gone = await instance();
      await gone.createQueue("test-orphan", {
        name: "test-orphan",
        retryLimit: 2,
        retryDelay: 0,
        expireInSeconds: 3_600,
      });
      const id = (await gone.send("test-orphan", { n: 1 }))!;
      expect((await gone.fetch("test-orphan")).map((job) => job.id)).toEqual([id]);
      await gone.stop({ graceful: false, close: false });
      started.splice(started.indexOf(gone), 1);
      expect((await jobRow("test-orphan", id))?.state).toBe("active");

      await startJobs({ schema, pollingIntervalSeconds: 0.5, schedules: false });
      try {
        const row = await jobRow("test-orphan", id);
        expect(row?.state).toBe("retry");
        expect(JSON.stringify(row?.output)).toContain("stopped before it ended");
      } finally {
        await stopJobs(1_000);
      }
    },
  );
});
