import { beforeAll, describe, expect, it } from "vitest";
import ApiCallPage from "@/app/(console)/api-log/[id]/page";
import AuditEntryPage from "@/app/(console)/audit/[id]/page";
import AuditPage from "@/app/(console)/audit/page";
import { auditNames, findAuditEntry } from "@/lib/audit/queries";
import { db } from "@/lib/db";
import { findApiCall } from "@/lib/hubby/api-log-queries";
import { DataTable } from "@/components/data-table";
import { Fact, FactList } from "@/components/ui/fact-list";
import { Panel } from "@/components/ui/panel";
import { makeStaff, signInAs } from "../support/factories";
import { textOf } from "../support/render";

// The detail pages of the API log and the audit log: the whole record, with staff and campaigns named, not ids.

const shown = new Set<unknown>([Fact, FactList, Panel]);
const params = (id: string) => ({ params: Promise.resolve({ id }) });

let staff: Awaited<ReturnType<typeof makeStaff>>;
let campaignId: string;
let firstAttemptId: string;
let retryId: string;
let auditId: string;

beforeAll(async () => {
  staff = await makeStaff("support");
  await db().staffUser.update({ where: { id: staff.id }, data: { name: "Sam Detail" } });
  const campaign = await db().campaign.create({
    data: {
      name: "Spring detail promo",
      fileName: "spring.csv",
      checksum: "c".repeat(64),
      rowCount: 3,
      validCount: 3,
      errorCount: 0,
      travelers: 3,
      packages: 3,
      costCents: 1200,
      priceCents: 2400,
      currency: "EUR",
      perDestination: [],
      mapping: {},
      actorEmail: staff.email,
    },
  });
  campaignId = campaign.id;
  const base = {
    environment: "sandbox",
    method: "GET",
    endpoint: "GET /native/user-dashboard",
    path: "/native/user-dashboard?external_user_id=detail-traveler&locale=en",
    requestId: "req-detail",
    staffId: staff.id,
    staffEmail: staff.email,
    externalUserId: "detail-traveler",
  };
  const first = await db().apiCall.create({
    data: {
      ...base,
      at: new Date("2026-04-01T10:00:00Z"),
      status: 503,
      ok: false,
      durationMs: 812,
      errorKind: "http",
      errorCode: "UPSTREAM_DOWN",
      errorMessage: "Service unavailable: the upstream carrier did not answer in time",
    },
  });
  const retry = await db().apiCall.create({
    data: { ...base, at: new Date("2026-04-01T10:00:01Z"), status: 200, ok: true, durationMs: 95, attempt: 2 },
  });
  firstAttemptId = first.id.toString();
  retryId = retry.id.toString();
  const entry = await db().auditEntry.create({
    data: {
      actorId: staff.id,
      actorEmail: staff.email,
      action: "campaigns.start",
      targetType: "campaign",
      targetId: campaignId,
      result: "ok",
      details: { startedById: staff.id, rows: 3, change: { from: "draft", to: "running" } },
      requestId: "req-audit-detail",
      travelers: { create: [{ externalUserId: "detail-traveler" }, { externalUserId: "detail-traveler-2" }] },
    },
  });
  auditId = entry.id.toString();
});

describe("findApiCall", () => {
  it("gives the whole attempt, the staff member's name and every attempt of the request, oldest first", async () => {
    const call = await findApiCall(firstAttemptId);
    expect(call).toMatchObject({
      id: firstAttemptId,
      path: "/native/user-dashboard?external_user_id=detail-traveler&locale=en",
      errorMessage: "Service unavailable: the upstream carrier did not answer in time",
      staffName: "Sam Detail",
    });
    expect(call!.attempts.map((attempt) => attempt.id)).toEqual([firstAttemptId, retryId]);
  });

  it("answers null for an unknown or malformed id", async () => {
    expect(await findApiCall("999999999")).toBeNull();
    expect(await findApiCall("12abc")).toBeNull();
    expect(await findApiCall("9".repeat(30))).toBeNull();
  });
});

describe("findAuditEntry and auditNames", () => {
  it("resolves the actor, the target campaign and ids inside the details to names", async () => {
    const entry = await findAuditEntry(auditId);
    expect(entry!.names.get(staff.id)).toBe("Sam Detail");
    expect(entry!.names.get(campaignId)).toBe("Spring detail promo");
    expect(entry!.travelers.map((traveler) => traveler.externalUserId)).toEqual([
      "detail-traveler",
      "detail-traveler-2",
    ]);
    expect(entry!._count.travelers).toBe(2);
    expect((await auditNames([{ targetId: null, details: { count: 1 } }])).size).toBe(0);
    expect(await findAuditEntry("nope")).toBeNull();
  });
});

describe("the detail pages", () => {
  it("show an API call's full request and response with the staff member named", async () => {
    await signInAs("admin");
    const text = textOf(await ApiCallPage(params(firstAttemptId)), shown);
    expect(text).toContain("/native/user-dashboard?external_user_id=detail-traveler&locale=en");
    expect(text).toContain("Sam Detail");
    expect(text).toContain("Service unavailable: the upstream carrier did not answer in time");
    expect(text).toContain("UPSTREAM_DOWN");
    expect(text).toContain("812 ms");
  });

  it("show an audit entry's details in words, with names instead of ids", async () => {
    await signInAs("admin");
    const text = textOf(await AuditEntryPage(params(auditId)), shown);
    expect(text).toContain("Started by id");
    expect(text).toContain(`Sam Detail (${staff.id.slice(0, 8)}…)`);
    expect(text).toContain("campaign Spring detail promo");
    expect(text).toContain("Change › To");
    expect(text).toContain("Travelers this read gave out (2)");
  });

  it("the audit list names the actor and the target and puts details on one line", async () => {
    await signInAs("admin");
    const page = await AuditPage({ searchParams: Promise.resolve({ q: "req-audit-detail" }) });
    const text = textOf(page, new Set([DataTable]));
    expect(text).toContain("Sam Detail");
    expect(text).toContain("campaign Spring detail promo");
    // jsonb keeps its own key order; every detail is there, in words, on the one line.
    for (const part of ["Rows: 3", "Change › From: draft", "Change › To: running", "Started by id: Sam Detail ("]) {
      expect(text).toContain(part);
    }
    expect(text).not.toContain(campaignId);
  });

  it.each(["campaign_manager", "support"] as const)("%s is refused with 403", async (role) => {
    await signInAs(role);
    await expect(ApiCallPage(params(firstAttemptId))).rejects.toMatchObject({
      digest: "NEXT_HTTP_ERROR_FALLBACK;403",
    });
    await expect(AuditEntryPage(params(auditId))).rejects.toMatchObject({
      digest: "NEXT_HTTP_ERROR_FALLBACK;403",
    });
  });

  it("an unknown id is a 404", async () => {
    await signInAs("admin");
    await expect(ApiCallPage(params("999999999"))).rejects.toMatchObject({ digest: "NEXT_HTTP_ERROR_FALLBACK;404" });
    await expect(AuditEntryPage(params("x1"))).rejects.toMatchObject({ digest: "NEXT_HTTP_ERROR_FALLBACK;404" });
  });
});
