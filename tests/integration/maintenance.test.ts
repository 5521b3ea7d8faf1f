import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { resetEnvCache } from "@/lib/env";
import { runMaintenance } from "@/lib/maintenance/maintenance";

// The hourly maintenance job's work: sign-in attempts past the throttle window, alert incidents resolved before
// ALERT_INCIDENT_RETENTION_DAYS (90). The clock is injected: runMaintenance(now) with a fixed time, rows placed relative
// to it. The API log is trimmed by the daily retention job (tests/integration/retention.test.ts).
const DAY = 86_400_000;

describe("maintenance", () => {
  it("deletes expired sign-in attempts, and nothing newer", async () => {
    const now = new Date();
    await db().loginAttempt.createMany({
      data: [
        { email: "old@example.com", ip: "10.0.0.1", success: false, at: new Date(now.getTime() - 16 * 60_000) },
        { email: "new@example.com", ip: "10.0.0.1", success: false, at: new Date(now.getTime() - 14 * 60_000) },
      ],
    });
    expect(await runMaintenance(now)).toEqual({ loginAttempts: 1, alertIncidents: 0, expiredUsage: 0 });
    expect((await db().loginAttempt.findMany()).map((row) => row.email)).toEqual(["new@example.com"]);
    expect(await runMaintenance(now)).toEqual({ loginAttempts: 0, alertIncidents: 0, expiredUsage: 0 });
  });

  it("deletes alert incidents resolved before the retention, never open ones, in step with the setting", async () => {
    const now = new Date("2031-06-01T12:00:00Z");
    const daysAgo = (days: number) => new Date(now.getTime() - days * DAY);
    const incident = (title: string, openedDaysAgo: number, resolvedDaysAgo: number | null, acknowledged = false) =>
      db().alertIncident.create({
        data: {
          ruleKey: "booking_intent_unknown",
          scope: title,
          openScope: resolvedDaysAgo === null ? title : null,
          title,
          summary: title,
          link: "/bookings",
          openedAt: daysAgo(openedDaysAgo),
          lastSeenAt: daysAgo(resolvedDaysAgo ?? 0),
          lastNotifiedAt: daysAgo(openedDaysAgo),
          resolvedAt: resolvedDaysAgo === null ? null : daysAgo(resolvedDaysAgo),
          ...(acknowledged ? { acknowledgedAt: daysAgo(openedDaysAgo), acknowledgedByEmail: "a@console.test" } : {}),
        },
      });
    await db().alertIncident.deleteMany();
    await incident("resolved 91 days ago", 100, 91);
    await incident("resolved 89 days ago", 300, 89);
    await incident("open for 200 days", 200, null);
    await incident("acknowledged, open for 120 days", 120, null, true);

    expect(await runMaintenance(now)).toMatchObject({ alertIncidents: 1 });
    const titles = async () =>
      (await db().alertIncident.findMany({ orderBy: { title: "asc" } })).map((row) => row.title);
    expect(await titles()).toEqual(["acknowledged, open for 120 days", "open for 200 days", "resolved 89 days ago"]);
    // Two days later the second one is past 90 days too; the open ones stay.
    expect(await runMaintenance(new Date(now.getTime() + 2 * DAY))).toMatchObject({ alertIncidents: 1 });
    expect(await titles()).toEqual(["acknowledged, open for 120 days", "open for 200 days"]);

    // A shorter retention takes effect on the next run.
    await incident("resolved 8 days ago", 9, 8);
    await incident("resolved 6 days ago", 9, 6);
    process.env.ALERT_INCIDENT_RETENTION_DAYS = "7";
    resetEnvCache();
    try {
      expect(await runMaintenance(now)).toMatchObject({ alertIncidents: 1 });
      expect(await titles()).toEqual(["acknowledged, open for 120 days", "open for 200 days", "resolved 6 days ago"]);
    } finally {
      delete process.env.ALERT_INCIDENT_RETENTION_DAYS;
      resetEnvCache();
    }
  });
});
