import { describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import { GET } from "@/app/api/health/route";
import { startJobs, stopJobs } from "@/lib/jobs/jobs";
import { testJobSchema } from "../support/jobs";

describe("GET /api/health", () => {
  it("answers 200 with database reachability, whether the job system runs, and the app version", async () => {
    const withoutJobs = await GET();
    expect(withoutJobs.status).toBe(200);
    expect(await withoutJobs.json()).toMatchObject({ status: "degraded", jobs: { running: false } });
    await startJobs({ schema: testJobSchema(), schedules: false });
    try {
      const response = await GET();
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({
        status: "ok",
        version: "0.1.0",
        database: { reachable: true },
        jobs: { running: true },
      });
    } finally {
      await stopJobs(1_000);
    }
  });

  it("answers 503 when the database is unreachable, without leaking the error", async () => {
    const spy = vi.spyOn(db(), "$queryRaw").mockRejectedValueOnce(new Error("connect ECONNREFUSED 10.1.2.3:5432"));
    const quiet = vi.spyOn(console, "error").mockImplementation(() => {});
    const response = await GET();
    expect(response.status).toBe(503);
    const body = await response.json();
    expect(body).toMatchObject({ status: "unavailable", database: { reachable: false } });
    expect(JSON.stringify(body)).not.toContain("10.1.2.3");
    spy.mockRestore();
    quiet.mockRestore();
  });
});
