import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { SANDBOX_CREDENTIALS } from "@/lib/env";
import { hubbyFor, HubbyApiError } from "@/lib/hubby";
import { flushApiLog } from "@/lib/hubby/api-log";
import { makeStaff } from "../support/factories";
import { withConsoleSandbox } from "../support/sandbox";

// The console's configured client (lib/hubby/index.ts) writes one ApiCall row per attempt, with the staff member.
withConsoleSandbox();

describe("API call log", () => {
  it("records successful and failed calls with the staff member, never the secret", async () => {
    const staff = await makeStaff("support");
    const hubby = await hubbyFor(staff);
    await hubby.listDestinations();
    const error = await hubby.getUserDashboard("not_a_traveler").catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HubbyApiError);

    const rows = await db().apiCall.findMany({ orderBy: { id: "asc" } });
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      environment: "SANDBOX",
      method: "GET",
      endpoint: "GET /destinations",
      path: "/api/destinations",
      status: 200,
      ok: true,
      attempt: 1,
      staffId: staff.id,
      staffEmail: staff.email,
    });
    expect(rows[1]).toMatchObject({
      endpoint: "GET /native/user-dashboard",
      path: "/api/native/user-dashboard?external_user_id=not_a_traveler",
      status: 404,
      ok: false,
      errorKind: "http",
      errorCode: "404",
      externalUserId: "not_a_traveler",
    });
    expect(rows[1]!.errorMessage).toContain("User not found");
    expect(JSON.stringify(rows, (_, value) => (typeof value === "bigint" ? String(value) : value))).not.toContain(
      SANDBOX_CREDENTIALS.apiSecret,
    );
  });

  it("writes a background caller's entries after the call returns, all of them by the next flush", async () => {
    const hubby = (await hubbyFor(null)).withContext({ background: true });
    const before = await db().apiCall.count({ where: { endpoint: "GET /destinations" } });
    await Promise.all([hubby.listDestinations(), hubby.listDestinations(), hubby.listDestinations()]);
    await flushApiLog();
    const rows = await db().apiCall.findMany({ where: { endpoint: "GET /destinations" }, orderBy: { id: "asc" } });
    expect(rows).toHaveLength(before + 3);
    expect(rows.slice(-3).every((row) => row.staffId === null && row.ok)).toBe(true);
  });
});
