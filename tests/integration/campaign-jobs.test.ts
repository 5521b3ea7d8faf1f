import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type PgBoss from "pg-boss";
import type { BookingsHubby } from "@/lib/bookings/intents";
import { refreshCatalog } from "@/lib/catalog/catalog";
import { pauseCampaign, resumeCampaign, startCampaign } from "@/lib/campaigns/control";
import { dryRunCampaign } from "@/lib/campaigns/dry-run";
import { registerCampaignJobs } from "@/lib/campaigns/jobs";
import { runCampaign } from "@/lib/campaigns/worker";
import { db, getDatabase } from "@/lib/db";
import { createBoss, startJobs, stopJobs } from "@/lib/jobs/jobs";
import { makeStaff } from "../support/factories";
import { eventually, testJobSchema } from "../support/jobs";
import { clientFor, sandboxPerFile } from "../support/sandbox";

// Campaign runs as jobs of the job system, on the test database (in-memory PGlite, or PostgreSQL with
// TEST_DATABASE_URL). The process's job system stands for one app instance; a second pg-boss on the same database
// and schema stands for another. Slices are short here (300 ms) so that a small campaign spans several jobs.
const harness = sandboxPerFile({ clearFaults: true });
const schema = testJobSchema();
const SLICE_MS = 300;
let hubby: ReturnType<typeof clientFor>["client"];
let staff: { id: string; email: string };
const others: PgBoss[] = [];

beforeAll(async () => {
  hubby = clientFor(harness.sandbox, { timeoutMs: 2_000 }).client;
  await refreshCatalog(hubby);
  staff = await makeStaff("campaign_manager");
  // No campaign handler yet: the first test decides which instance takes the first job.
  await startJobs({ schema, pollingIntervalSeconds: 0.5, maintenanceIntervalSeconds: 1, schedules: false });
});

afterAll(async () => {
  for (const boss of others.splice(0)) await boss.stop({ graceful: false, close: false });
  await stopJobs(5_000);
});

const inTwoDays = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);

async function draft(prefix: string, count: number) {
  let text = "external_user_id,destination,size,departure_date\n";
  for (let i = 0; i < count; i++) text += `${prefix}_${i},GR,1GB,${inTwoDays}\n`;
  const result = await dryRunCampaign({ name: prefix, fileName: `${prefix}.csv`, source: [text], actor: staff });
  if (result.outcome !== "stored") throw new Error(JSON.stringify(result));
  return db().campaign.findUniqueOrThrow({ where: { id: result.campaignId } });
}

const bookingsOf = (campaignId: string) => {
  const prefix = `hpc-campaign-${campaignId}-`;
  const counts = new Map<string, number>();
  for (const booking of harness.sandbox.world.bookings) {
    if (booking.booking_id?.startsWith(prefix))
      counts.set(booking.booking_id, (counts.get(booking.booking_id) ?? 0) + 1);
  }
  return counts;
};

const statusOf = async (campaignId: string) =>
  (await db().campaign.findUniqueOrThrow({ where: { id: campaignId }, select: { status: true } })).status;

async function runJobs(campaignId: string) {
  return getDatabase().sql.query<{ state: string; retry_count: number }>(
    `SELECT state::text AS state, retry_count FROM ${schema}.job WHERE name = 'campaign-run' AND singleton_key = $1`,
    [campaignId],
  );
}

/** Every valid row issued exactly once at the sandbox, and recorded as sent. */
async function expectIssuedOnce(campaignId: string, rows: number) {
  const counts = bookingsOf(campaignId);
  expect(counts.size).toBe(rows);
  expect([...counts.values()].filter((count) => count !== 1)).toEqual([]);
  expect(await db().campaignRow.count({ where: { campaignId, state: "sent" } })).toBe(rows);
}

describe("campaign runs on the job system", () => {
  it("two instances: the one working a campaign dies mid-slice, the other takes its job over and every row is issued once", async () => {
    const campaign = await draft("twin_jobs", 60);
    harness.sandbox.faults.add({ kind: "latency", method: "POST", path: "/bookings", ms: 10 });

    // Instance A: after 12 POSTs its process "dies": the next POSTs reach Hubby (booked there) and their replies
    // never come back; its job is never completed.
    let posts = 0;
    const dying: BookingsHubby = {
      createBooking: async (input) => {
        const call = ++posts;
        const booking = await hubby.createBooking(input);
        if (call > 12) await new Promise(() => undefined);
        return booking;
      },
      listBookings: (...args) => hubby.listBookings(...args),
      getUserDashboard: (...args) => hubby.getUserDashboard(...args),
    };
    const instanceA = createBoss(getDatabase(), { schema, pollingIntervalSeconds: 0.5, schedules: false });
    await instanceA.start();
    others.push(instanceA);
    await instanceA.work<{ campaignId: string }>("campaign-run", { pollingIntervalSeconds: 0.5 }, async ([job]) => {
      await runCampaign(job!.data.campaignId, { hubby: dying, quietMs: 0, concurrency: 3 });
    });

    await startCampaign(campaign.id, campaign.checksum, staff);
    await eventually("instance A to be stuck with rows in flight", async () => (posts >= 15 ? true : undefined));
    const [held] = await runJobs(campaign.id);
    expect(held?.state).toBe("active");
    await instanceA.stop({ graceful: false, close: false });

    // Instance B (this process's job system) starts working campaigns. Time passes: A's job outlives its expiry
    // and its rows' leases run out (moved back here rather than waited for).
    registerCampaignJobs({ hubby, quietMs: 0, sliceMs: SLICE_MS });
    await getDatabase().sql.query(
      `UPDATE ${schema}.job SET started_on = now() - interval '1 hour' WHERE name = 'campaign-run' AND state = 'active'`,
    );
    await db().campaignRow.updateMany({
      where: { campaignId: campaign.id, state: "sending" },
      data: { leaseUntil: new Date(Date.now() - 1_000) },
    });

    await eventually(
      "the campaign to be done",
      async () => ((await statusOf(campaign.id)) === "done" ? true : undefined),
      60_000,
    );
    await expectIssuedOnce(campaign.id, 60);
    // A's job failed by timeout and was taken over (retried) by B; B went on in further slices.
    const jobs = await runJobs(campaign.id);
    expect(jobs.some((job) => job.retry_count >= 1)).toBe(true);
    expect(jobs.every((job) => job.state === "completed")).toBe(true);
    // The rows A left in flight were reconciled (found at Hubby), not sent again.
    const reconciled = await db().bookingIntentEvent.count({
      where: {
        note: { startsWith: "Reconciled: booking" },
        intent: { clientKey: { startsWith: `campaign-${campaign.id}` } },
      },
    });
    expect(reconciled).toBeGreaterThanOrEqual(3);
  }, 90_000);

  it("Run queues the campaign and its slices hand it on, job after job, until every row is issued once", async () => {
    const campaign = await draft("sliced", 80);
    harness.sandbox.faults.add({ kind: "latency", method: "POST", path: "/bookings", ms: 20 });
    await startCampaign(campaign.id, campaign.checksum, staff);
    await eventually(
      "the campaign to be done",
      async () => ((await statusOf(campaign.id)) === "done" ? true : undefined),
      60_000,
    );
    await expectIssuedOnce(campaign.id, 80);
    const jobs = await runJobs(campaign.id);
    expect(jobs.length).toBeGreaterThanOrEqual(2);
    expect(jobs.every((job) => job.state === "completed")).toBe(true);
  }, 90_000);

  it("pausing ends the slice with rows left; resuming queues the campaign again and it finishes", async () => {
    const campaign = await draft("paused_jobs", 60);
    harness.sandbox.faults.add({ kind: "latency", method: "POST", path: "/bookings", ms: 60 });
    await startCampaign(campaign.id, campaign.checksum, staff);
    await eventually("a few rows to be sent", async () =>
      (await db().campaignRow.count({ where: { campaignId: campaign.id, state: "sent" } })) >= 5 ? true : undefined,
    );
    await pauseCampaign(campaign.id);
    await eventually("the campaign's job to end", async () => {
      const jobs = await runJobs(campaign.id);
      return jobs.every((job) => job.state === "completed") ? true : undefined;
    });
    expect(await statusOf(campaign.id)).toBe("paused");
    const pending = await db().campaignRow.count({ where: { campaignId: campaign.id, state: "pending" } });
    expect(pending).toBeGreaterThan(0);
    // Paused means paused: no job is left to send more.
    const sentWhilePaused = bookingsOf(campaign.id).size;
    expect(await db().campaignRow.count({ where: { campaignId: campaign.id, state: "sending" } })).toBe(0);

    await resumeCampaign(campaign.id);
    await eventually(
      "the campaign to be done",
      async () => ((await statusOf(campaign.id)) === "done" ? true : undefined),
      60_000,
    );
    expect(sentWhilePaused).toBeLessThan(60);
    await expectIssuedOnce(campaign.id, 60);
  }, 90_000);
});
