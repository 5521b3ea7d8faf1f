import { describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import { GET } from "@/app/api/health/route";

describe("GET /api/health", () => {
  it("answers 200 with database reachability and the app version", async () => {
    const response = await GET();
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "ok", version: "0.1.0", database: { reachable: true } });
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
