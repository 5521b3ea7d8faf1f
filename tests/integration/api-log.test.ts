import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import {
  API_LOG_PAGE_SIZE,
  apiCallSummary,
  apiLogQuerySchema,
  listApiCalls,
  listApiEndpoints,
} from "@/lib/hubby/api-log-queries";
import ApiLogLayout from "@/app/(console)/api-log/layout";
import ApiLogPage from "@/app/(console)/api-log/page";
import { makeStaff, signInAs } from "../support/factories";
import { setSession } from "../support/session";

const query = (params: Record<string, string | string[]> = {}) => apiLogQuerySchema.parse(params);
const requestIds = async (params: Record<string, string | string[]>) =>
  (await listApiCalls(query(params))).rows.map((row) => row.requestId);

const base = {
  environment: "sandbox",
  attempt: 1,
  errorKind: null,
  errorCode: null,
  errorMessage: null,
  staffId: null,
  staffEmail: null,
  externalUserId: null,
};

/** Six calls over four UTC days, one per outcome; request ids say which. */
const calls = [
  {
    ...base,
    at: new Date("2026-03-10T08:00:00Z"),
    method: "GET",
    endpoint: "GET /native/user-dashboard",
    path: "/native/user-dashboard?external_user_id=trav-1",
    status: 200,
    ok: true,
    durationMs: 120,
    requestId: "req-dashboard-ok",
    staffEmail: "ada.admin@example.test",
    externalUserId: "trav-1",
  },
  {
    ...base,
    at: new Date("2026-03-11T09:00:00Z"),
    method: "GET",
    endpoint: "GET /native/user-dashboard",
    path: "/native/user-dashboard?external_user_id=trav-3",
    status: 503,
    ok: false,
    durationMs: 900,
    errorKind: "http",
    errorMessage: "Service unavailable",
    requestId: "req-retried",
    externalUserId: "trav-3",
  },
  {
    ...base,
    at: new Date("2026-03-11T09:00:01Z"),
    method: "GET",
    endpoint: "GET /native/user-dashboard",
    path: "/native/user-dashboard?external_user_id=trav-3",
    status: 200,
    ok: true,
    durationMs: 150,
    attempt: 2,
    requestId: "req-retried",
    externalUserId: "trav-3",
  },
  {
    ...base,
    at: new Date("2026-03-12T10:00:00Z"),
    method: "POST",
    endpoint: "POST /native/redeem-package",
    path: "/native/redeem-package",
    status: 422,
    ok: false,
    durationMs: 80,
    errorKind: "http",
    errorCode: "INVALID_CODE",
    errorMessage: "The code is not valid",
    requestId: "req-redeem-422",
    staffEmail: "sam.support@example.test",
    externalUserId: "trav-2",
  },
  {
    ...base,
    // The last millisecond of 12 March: inside `to=2026-03-12`.
    at: new Date("2026-03-12T23:59:59.999Z"),
    method: "GET",
    endpoint: "GET /destinations",
    path: "/destinations",
    status: null,
    ok: false,
    durationMs: 10_000,
    errorKind: "timeout",
    errorMessage: "Hubby did not answer within 10 s",
    requestId: "req-timeout",
  },
  {
    ...base,
    // Midnight of 13 March: outside `to=2026-03-12`, inside `from=2026-03-13`.
    at: new Date("2026-03-13T00:00:00Z"),
    method: "POST",
    endpoint: "POST /bookings",
    path: "/bookings",
    status: 201,
    ok: true,
    durationMs: 300,
    requestId: "req-booking",
    staffEmail: "ada.admin@example.test",
  },
];

/** 120 lookups of one destination, a minute apart in 2026-04, with durations 1…120 ms. */
const PAGED_ENDPOINT = "GET /destinations/{id}";
const paged = Array.from({ length: 120 }, (_, i) => ({
  ...base,
  at: new Date(Date.UTC(2026, 3, 1, 0, i)),
  method: "GET",
  endpoint: PAGED_ENDPOINT,
  path: `/destinations/dest-${i + 1}`,
  status: 200,
  ok: true,
  durationMs: i + 1,
  requestId: `req-paged-${i + 1}`,
}));

beforeAll(async () => {
  await db().apiCall.createMany({ data: [...calls, ...paged] });
});

describe("apiLogQuerySchema", () => {
  it("falls back to defaults for every bad or missing parameter", () => {
    const defaults = { q: "", endpoint: "all", method: "all", outcome: "all", from: undefined, to: undefined, page: 1 };
    expect(query()).toEqual(defaults);
    expect(
      query({
        q: ["a", "b"],
        endpoint: "DROP TABLE",
        method: "DELETE",
        outcome: "weird",
        from: "2026-02-31",
        to: "yesterday",
        page: "-3",
      }),
    ).toEqual(defaults);
    expect(query({ page: "abc" }).page).toBe(1);
    expect(query({ q: " x".repeat(200) }).q).toBe("");
  });

  it("keeps good values", () => {
    expect(
      query({
        q: "  trav-1 ",
        endpoint: "GET /destinations/{id}",
        method: "POST",
        outcome: "no_response",
        from: "2026-02-28",
        to: "2026-03-01",
        page: "3",
      }),
    ).toEqual({
      q: "trav-1",
      endpoint: "GET /destinations/{id}",
      method: "POST",
      outcome: "no_response",
      from: "2026-02-28",
      to: "2026-03-01",
      page: 3,
    });
  });
});

describe("listApiCalls filters", () => {
  const small = { to: "2026-03-31" };

  it("lists newest first, with only the screen's fields and a string id", async () => {
    const { rows, total, pageSize } = await listApiCalls(query(small));
    expect(total).toBe(6);
    expect(pageSize).toBe(API_LOG_PAGE_SIZE);
    expect(rows.map((row) => row.requestId)).toEqual([
      "req-booking",
      "req-timeout",
      "req-redeem-422",
      "req-retried",
      "req-retried",
      "req-dashboard-ok",
    ]);
    expect(rows[3]).toMatchObject({ attempt: 2, status: 200 });
    expect(typeof rows[0]?.id).toBe("string");
    expect(Object.keys(rows[0] ?? {}).sort()).toEqual(
      [
        "id",
        "at",
        "method",
        "endpoint",
        "path",
        "status",
        "ok",
        "durationMs",
        "attempt",
        "errorKind",
        "errorCode",
        "errorMessage",
        "requestId",
        "staffEmail",
        "externalUserId",
      ].sort(),
    );
  });

  it("filters by outcome", async () => {
    expect(await requestIds({ ...small, outcome: "ok" })).toEqual(["req-booking", "req-retried", "req-dashboard-ok"]);
    expect(await requestIds({ ...small, outcome: "client_error" })).toEqual(["req-redeem-422"]);
    expect(await requestIds({ ...small, outcome: "server_error" })).toEqual(["req-retried"]);
    expect(await requestIds({ ...small, outcome: "no_response" })).toEqual(["req-timeout"]);
    expect(await requestIds({ ...small, outcome: "failed" })).toEqual(["req-timeout", "req-redeem-422", "req-retried"]);
  });

  it("filters by endpoint and method", async () => {
    expect(await requestIds({ ...small, endpoint: "GET /native/user-dashboard" })).toEqual([
      "req-retried",
      "req-retried",
      "req-dashboard-ok",
    ]);
    expect(await requestIds({ ...small, method: "POST" })).toEqual(["req-booking", "req-redeem-422"]);
    expect(await requestIds({ ...small, method: "POST", outcome: "ok" })).toEqual(["req-booking"]);
    expect(await requestIds({ endpoint: "GET /never-called" })).toEqual([]);
  });

  it("searches path (contains, any case), traveler and request id (exact), staff email (prefix)", async () => {
    expect(await requestIds({ q: "redeem" })).toEqual(["req-redeem-422"]);
    expect(await requestIds({ q: "REDEEM-PACK" })).toEqual(["req-redeem-422"]);
    expect(await requestIds({ q: "trav-2" })).toEqual(["req-redeem-422"]);
    expect(await requestIds({ q: "req-retried" })).toEqual(["req-retried", "req-retried"]);
    expect(await requestIds({ q: "req-retr" })).toEqual([]);
    expect(await requestIds({ q: "Ada.Admin@" })).toEqual(["req-booking", "req-dashboard-ok"]);
    expect(await requestIds({ q: "admin@example.test" })).toEqual([]);
    // The traveler id is in the dashboard path, so a partial id finds it through the path.
    expect(await requestIds({ q: "trav-3" })).toEqual(["req-retried", "req-retried"]);
    // LIKE wildcards are literal.
    expect(await requestIds({ q: "%" })).toEqual([]);
    expect(await requestIds({ q: "_" })).toEqual(["req-retried", "req-retried", "req-dashboard-ok"]);
    expect(await requestIds({ q: "\\" })).toEqual([]);
    expect(await requestIds({ q: "ada%" })).toEqual([]);
  });

  it("filters by UTC day, both ends inclusive", async () => {
    expect(await requestIds({ from: "2026-03-12", to: "2026-03-12" })).toEqual(["req-timeout", "req-redeem-422"]);
    expect(await requestIds({ from: "2026-03-13", to: "2026-03-13" })).toEqual(["req-booking"]);
    expect(await requestIds({ to: "2026-03-10" })).toEqual(["req-dashboard-ok"]);
    expect(await requestIds({ from: "2026-03-14", to: "2026-03-31" })).toEqual([]);
    // A bad date is ignored, not an error.
    expect((await listApiCalls(query({ from: "2026-13-01", to: "2026-03-31" }))).total).toBe(6);
  });

  it("pages by 50, newest first, with no row twice", async () => {
    const pages = await Promise.all(
      [1, 2, 3, 4].map((page) => listApiCalls(query({ endpoint: PAGED_ENDPOINT, page: String(page) }))),
    );
    expect(pages.map((p) => p.rows.length)).toEqual([50, 50, 20, 0]);
    expect(pages.every((p) => p.total === 120)).toBe(true);
    const all = pages.flatMap((p) => p.rows.map((row) => row.requestId));
    expect(all).toEqual(Array.from({ length: 120 }, (_, i) => `req-paged-${120 - i}`));
  });
});

describe("apiCallSummary", () => {
  it("counts calls and failures and gives nearest-rank p50/p95 durations for the filter", async () => {
    expect(await apiCallSummary(query({ endpoint: PAGED_ENDPOINT }))).toEqual({
      count: 120,
      failures: 0,
      p50Ms: 60,
      p95Ms: 114,
    });
    // 120, 150, 900 ms.
    expect(await apiCallSummary(query({ endpoint: "GET /native/user-dashboard" }))).toEqual({
      count: 3,
      failures: 1,
      p50Ms: 150,
      p95Ms: 900,
    });
    // 80, 120, 150, 300, 900, 10 000 ms.
    expect(await apiCallSummary(query({ to: "2026-03-31" }))).toEqual({
      count: 6,
      failures: 3,
      p50Ms: 150,
      p95Ms: 10_000,
    });
    expect(await apiCallSummary(query({ outcome: "no_response" }))).toEqual({
      count: 1,
      failures: 1,
      p50Ms: 10_000,
      p95Ms: 10_000,
    });
    expect(await apiCallSummary(query({ q: "nothing-matches" }))).toEqual({
      count: 0,
      failures: 0,
      p50Ms: null,
      p95Ms: null,
    });
  });

  it("agrees with the list's total for every filter", async () => {
    const filters: Record<string, string>[] = [
      {},
      { outcome: "failed" },
      { method: "GET", outcome: "ok" },
      { q: "trav-3", from: "2026-03-11" },
      { endpoint: PAGED_ENDPOINT, to: "2026-04-01" },
    ];
    for (const params of filters) {
      const [list, summary] = await Promise.all([listApiCalls(query(params)), apiCallSummary(query(params))]);
      expect(summary.count, JSON.stringify(params)).toBe(list.total);
    }
  });
});

describe("listApiEndpoints", () => {
  it("lists each endpoint once, sorted", async () => {
    expect(await listApiEndpoints()).toEqual([
      "GET /destinations",
      "GET /destinations/{id}",
      "GET /native/user-dashboard",
      "POST /bookings",
      "POST /native/redeem-package",
    ]);
  });
});

describe("/api-log authorization", () => {
  const searchParams = Promise.resolve({ outcome: "failed" });

  it("an admin gets the screen", async () => {
    await signInAs("admin");
    await expect(ApiLogLayout({ children: null })).resolves.toBeNull();
    await expect(ApiLogPage({ searchParams })).resolves.toBeTruthy();
  });

  for (const role of ["support", "campaign_manager"] as const) {
    it(`${role} is refused with 403, by the layout and by the page`, async () => {
      await signInAs(role);
      await expect(ApiLogLayout({ children: null })).rejects.toMatchObject({ digest: "NEXT_HTTP_ERROR_FALLBACK;403" });
      await expect(ApiLogPage({ searchParams })).rejects.toMatchObject({ digest: "NEXT_HTTP_ERROR_FALLBACK;403" });
    });
  }

  it("a signed-out or disabled caller is sent to /login", async () => {
    setSession(null);
    await expect(ApiLogPage({ searchParams })).rejects.toMatchObject({
      digest: expect.stringMatching(/^NEXT_REDIRECT;.*\/login/),
    });
    setSession(await makeStaff("admin", { disabled: true }));
    await expect(ApiLogLayout({ children: null })).rejects.toMatchObject({
      digest: expect.stringMatching(/^NEXT_REDIRECT;.*\/login/),
    });
  });
});
