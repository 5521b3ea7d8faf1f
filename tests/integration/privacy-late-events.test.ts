import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import { sendJob, startJobs, stopJobs } from "@/lib/jobs/jobs";
import { queues } from "@/lib/jobs/queues";
import { eraseTraveler } from "@/lib/privacy/erasure";
import { pseudonymFor } from "@/lib/privacy/pseudonym";
import { eraseLateArrivals, LATE_EVENT_RECENT_MS, registerPrivacyJobs, runPrivacyJob } from "@/lib/privacy/retention";
import { settleProjections } from "@/lib/webhooks/projector";
import { sampleEvent } from "@/lib/webhooks/samples";
import { eventually, testJobSchema } from "../support/jobs";
import { nodeReceiverPerFile } from "../support/webhooks";

// An erased traveler whose id a late webhook brings back (a retry of Hubby's, an event sent before the erasure):
// the "privacy-late-events" job erases it again within minutes, where the daily job alone left it up to a day
// (docs/decisions/0062). Delivered through the production receiver and projected as any event.

const harness = nodeReceiverPerFile();
const schema = testJobSchema();

beforeAll(async () => {
  registerPrivacyJobs();
  await startJobs({ schema, pollingIntervalSeconds: 0.5, schedules: false });
});
afterAll(() => stopJobs(1_000));

async function deliver(event: "esim.installed" | "package.usage.50_percent", externalUserId: string) {
  const body = JSON.stringify(
    sampleEvent(event, { externalUserId, bookingId: `bk-${externalUserId}`, packageId: `pkg-${externalUserId}` }),
  );
  const answer = await harness.receiver.deliver(body);
  expect(answer.status).toBe(200);
  await settleProjections();
}

const travelerRows = (externalUserId: string) => db().traveler.count({ where: { externalUserId } });

describe("erased travelers seen again", () => {
  it("runs every five minutes and looks back over three of its runs", () => {
    expect(queues["privacy-late-events"].schedule.cron).toBe("*/5 * * * *");
    expect(LATE_EVENT_RECENT_MS).toBe(15 * 60_000);
  });

  it("a late webhook for an erased traveler is erased again by the five-minute job", async () => {
    const id = "late.traveler-3";
    await deliver("esim.installed", id);
    expect(await travelerRows(id)).toBe(1);
    await eraseTraveler(id, { trigger: "staff" });
    expect(await travelerRows(id)).toBe(0);

    await deliver("package.usage.50_percent", id);
    expect(await travelerRows(id)).toBe(1);
    expect(await db().webhookEvent.count({ where: { externalUserId: id } })).toBe(1);

    await sendJob("privacy-late-events", { trigger: "staff" });
    // The job commits the erasure and then audits it: waiting for the audit entry, its last write, waits for both
    // (waiting for the traveler rows to go raced the audit entry on PostgreSQL).
    const entry = await eventually("the late arrival's erasure to be audited", () =>
      db()
        .auditEntry.findFirst({ where: { action: "privacy.late_event_erase" } })
        .then((row) => row ?? undefined),
    );
    expect(await travelerRows(id)).toBe(0);
    expect(await db().webhookEvent.count({ where: { externalUserId: id } })).toBe(0);
    expect(await db().traveler.count({ where: { externalUserId: pseudonymFor(id) } })).toBe(1);
    expect(entry).toMatchObject({ actorId: null, externalUserId: pseudonymFor(id), result: "ok" });
    // Each erasure is audited; the five-minute run leaves no entry of its own.
    expect(await db().auditEntry.count({ where: { action: "privacy.run" } })).toBe(0);
  });

  it("leaves an id seen again longer ago than its window to the daily run, and ids never erased alone", async () => {
    const id = "late.traveler-4";
    await deliver("esim.installed", id);
    await eraseTraveler(id, { trigger: "staff" });
    // Erased half an hour ago, seen again twenty minutes ago.
    await db().erasedTraveler.update({
      where: { pseudonym: pseudonymFor(id) },
      data: { erasedAt: new Date(Date.now() - 30 * 60_000) },
    });
    const twentyMinutesAgo = new Date(Date.now() - 20 * 60_000);
    await db().traveler.create({
      data: { externalUserId: id, firstSeenAt: twentyMinutesAgo, lastSeenAt: twentyMinutesAgo },
    });
    await deliver("esim.installed", "late.never-erased-5");

    expect(await eraseLateArrivals()).toEqual({ lateEvents: 0, skipped: 0 });
    expect(await travelerRows(id)).toBe(1);
    expect(await runPrivacyJob()).toMatchObject({ lateEvents: 1, skipped: 0 });
    expect(await travelerRows(id)).toBe(0);
    expect(await travelerRows("late.never-erased-5")).toBe(1);
  });

  it("leaves an id under a legal hold as it is, without a log line each run, and the daily run counts it", async () => {
    const id = "late.held-6";
    await deliver("esim.installed", id);
    await eraseTraveler(id, { trigger: "staff" });
    // The id came back, and an admin put it under a legal hold (a dispute about the returned traveler, say).
    await deliver("package.usage.50_percent", id);
    await db().travelerLegalHold.create({ data: { externalUserId: id, reason: "Case 77" } });
    const logged = vi.spyOn(console, "error");
    try {
      expect(await eraseLateArrivals()).toEqual({ lateEvents: 0, skipped: 1 });
      expect(await eraseLateArrivals()).toEqual({ lateEvents: 0, skipped: 1 });
      expect(logged).not.toHaveBeenCalled();
    } finally {
      logged.mockRestore();
    }
    expect(await travelerRows(id)).toBe(1);
    expect(await runPrivacyJob()).toMatchObject({ lateEvents: 0, skipped: 1 });

    await db().travelerLegalHold.delete({ where: { externalUserId: id } });
    expect(await eraseLateArrivals()).toEqual({ lateEvents: 1, skipped: 0 });
    expect(await travelerRows(id)).toBe(0);
  });
});
