import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { runMaintenance } from "@/lib/maintenance/maintenance";

// The hourly maintenance job's work: sign-in attempts past the throttle window, API log rows past
// API_LOG_RETENTION_DAYS (30 by default).
const DAY = 86_400_000;

function apiCall(at: Date) {
  return {
    at,
    environment: "SANDBOX",
    method: "GET",
    endpoint: "GET /destinations",
    path: "/api/destinations",
    status: 200,
    ok: true,
    durationMs: 12,
    requestId: "req-test",
  };
}

describe("maintenance", () => {
  it("deletes expired sign-in attempts and API log rows past the retention, and nothing newer", async () => {
    const now = new Date();
    await db().loginAttempt.createMany({
      data: [
        { email: "old@example.com", ip: "10.0.0.1", success: false, at: new Date(now.getTime() - 16 * 60_000) },
        { email: "new@example.com", ip: "10.0.0.1", success: false, at: new Date(now.getTime() - 14 * 60_000) },
      ],
    });
    await db().apiCall.createMany({
      data: [apiCall(new Date(now.getTime() - 31 * DAY)), apiCall(new Date(now.getTime() - 29 * DAY)), apiCall(now)],
    });
    expect(await runMaintenance(now)).toEqual({ loginAttempts: 1, apiCalls: 1 });
    expect((await db().loginAttempt.findMany()).map((row) => row.email)).toEqual(["new@example.com"]);
    expect(await db().apiCall.count()).toBe(2);
    expect(await runMaintenance(now)).toEqual({ loginAttempts: 0, apiCalls: 0 });
  });
});
