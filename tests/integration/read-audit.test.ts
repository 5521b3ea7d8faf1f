import { afterAll, beforeAll, describe, expect, it } from "vitest";
import TravelerPage from "@/app/(console)/travelers/[externalUserId]/page";
import { GET as exportCsv } from "@/app/(console)/travelers/export.csv/route";
import { auditQuerySchema, listAuditEntries } from "@/lib/audit/queries";
import { db } from "@/lib/db";
import { resetEnvCache } from "@/lib/env";
import { resetHubbyClient } from "@/lib/hubby";
import { parseSearchParams } from "@/lib/url-params";
import { signInAs } from "../support/factories";

// Reads of a traveler's personal data leave an audit entry (who, which traveler, when) that the audit log finds
// by action and by traveler id: opening the traveler's page, and exporting travelers (every exported traveler).

async function traveler(externalUserId: string) {
  await db().traveler.create({ data: { externalUserId, firstSeenAt: new Date(), lastSeenAt: new Date() } });
}

/** The audit log as the /audit screen reads it from its URL. */
async function auditLog(query: Record<string, string>) {
  const { values } = parseSearchParams(auditQuerySchema, query);
  return (await listAuditEntries(values)).rows;
}

beforeAll(async () => {
  // Hubby unreachable (nothing listens on port 1): the page shows stored state, which is personal data too.
  Object.assign(process.env, { HUBBY_SANDBOX_PORT: "1", HUBBY_GET_RETRIES: "0" });
  resetEnvCache();
  resetHubbyClient();
  await traveler("read_audit_page");
  for (const id of ["read_audit_x1", "read_audit_x2", "read_audit_x3"]) await traveler(id);
});

afterAll(() => {
  delete process.env.HUBBY_SANDBOX_PORT;
  delete process.env.HUBBY_GET_RETRIES;
  resetEnvCache();
  resetHubbyClient();
});

describe("read auditing", () => {
  it("opening a traveler's page records who read which traveler, and when", async () => {
    const staff = await signInAs("support");
    const before = Date.now();
    await TravelerPage({
      params: Promise.resolve({ externalUserId: "read_audit_page" }),
      searchParams: Promise.resolve({ tab: "usage" }),
    });
    const entries = await db().auditEntry.findMany({
      where: { action: "travelers.view", externalUserId: "read_audit_page" },
    });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      actorId: staff.id,
      actorEmail: staff.email,
      targetType: "traveler",
      targetId: "read_audit_page",
      result: "ok",
      details: { tab: "usage" },
    });
    expect(entries[0]!.at.getTime()).toBeGreaterThanOrEqual(before - 1_000);
  });

  it("an export records every traveler it gave out, and the log finds it by any of them", async () => {
    const staff = await signInAs("campaign_manager");
    const response = await exportCsv(new Request("http://console.test/travelers/export.csv?q=read_audit_x"));
    expect(response.status).toBe(200);
    expect((await response.text()).trimEnd().split("\r\n")).toHaveLength(4);

    const found = await auditLog({ traveler: "read_audit_x2" });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ action: "travelers.export", actorEmail: staff.email, result: "ok" });
    const entryId = BigInt(found[0]!.id);
    const listed = await db().auditTraveler.findMany({ where: { auditEntryId: entryId } });
    expect(listed.map((row) => row.externalUserId).sort()).toEqual(["read_audit_x1", "read_audit_x2", "read_audit_x3"]);
    // A traveler the export did not include is not listed under it.
    expect(await auditLog({ traveler: "read_audit_page", action: "travelers.export" })).toHaveLength(0);
  });

  it("the audit log filters by action (or its start) and by traveler id", async () => {
    await signInAs("admin");
    const views = await auditLog({ action: "travelers.view", traveler: "read_audit_page" });
    expect(views.map((row) => row.action)).toEqual(["travelers.view"]);
    const travelerReads = await auditLog({ action: "travelers." });
    expect(new Set(travelerReads.map((row) => row.action))).toEqual(new Set(["travelers.view", "travelers.export"]));
    expect(await auditLog({ action: "staff.", traveler: "read_audit_x1" })).toHaveLength(0);
    expect(await auditLog({ traveler: "nobody_read_this" })).toHaveLength(0);
  });
});
