import { describe, expect, it } from "vitest";
import { supportSummaryText, type SummaryInput } from "./summary";

const GB = 1_073_741_824;

const input: SummaryInput = {
  externalUserId: "cust_42",
  generatedAt: "2026-07-15T14:30:00.000Z",
  generatedBy: "sam@support.test",
  link: "https://console.example/travelers/cust_42?tab=timeline",
  source: { kind: "live", at: "2026-07-15T14:29:58.000Z" },
  iccid: "8901234567890123456",
  esimStatus: "ENABLED",
  esimData: { leftBytes: GB / 2, totalBytes: GB, usedPercent: 50, at: "2026-07-15T14:29:58.000Z" },
  bookings: [{ bookingId: "bk_1", departureDate: "2026-07-20", departsAt: "2026-07-20T00:00:00.000Z" }],
  queue: [
    { id: "q_1", label: "IT · 3 GB", createdAt: "2026-07-01T10:00:00.000Z", redeemedAt: null },
    { id: "q_2", label: "GR · 1 GB", createdAt: "2026-07-01T10:00:00.000Z", redeemedAt: "2026-07-02T09:00:00.000Z" },
  ],
  packages: [
    {
      id: "pkg_1",
      destination: "GR",
      status: "ACTIVE",
      usagePercent: 50,
      usedBytes: GB / 2,
      totalBytes: GB,
      activatedAt: "2026-07-10T08:00:00.000Z",
      expiresAt: "2026-08-09T08:00:00.000Z",
    },
    {
      id: "pkg_2",
      destination: null,
      status: null,
      usagePercent: 20,
      usedBytes: null,
      totalBytes: null,
      activatedAt: null,
      expiresAt: null,
    },
  ],
  gaps: [{ at: "2026-07-12T00:00:00.000Z", message: "Package pkg_1 reached 50% without the 20% event." }],
  events: [
    { at: "2026-07-12T00:00:00.000Z", type: "package.usage.50_percent", detail: "bk_1 · pkg_1" },
    { at: "2026-07-10T08:00:00.000Z", type: "package.activated", detail: null },
  ],
  hubbyCalls: [
    { at: "2026-07-15T14:29:58.000Z", endpoint: "GET /native/user-dashboard", status: 200, requestId: "req-abc" },
    { at: "2026-07-15T14:00:00.000Z", endpoint: "POST /native/redeem-package", status: null, requestId: "req-def" },
  ],
};

describe("supportSummaryText", () => {
  it("lays out ids, state, bookings, queue, packages, gaps, events and request ids as plain text", () => {
    expect(supportSummaryText(input)).toBe(
      [
        "Hubby traveler support summary: cust_42",
        "Generated 2026-07-15 14:30 UTC by sam@support.test",
        "Console: https://console.example/travelers/cust_42?tab=timeline",
        "State: live from Hubby, fetched 2026-07-15 14:29 UTC",
        "",
        "external_user_id: cust_42",
        "ICCID: 8901234567890123456",
        "eSIM status: ENABLED",
        "Data left: 0.50 GB of 1.00 GB (50% used), as of 2026-07-15 14:29 UTC",
        "",
        "Bookings (1):",
        "  bk_1: departure 2026-07-20 (2026-07-20 00:00 UTC)",
        "",
        "Package queue (2):",
        "  q_1: IT · 3 GB, queued 2026-07-01 10:00 UTC, not redeemed",
        "  q_2: GR · 1 GB, queued 2026-07-01 10:00 UTC, redeemed 2026-07-02 09:00 UTC",
        "",
        "Packages (2):",
        "  pkg_1: GR, ACTIVE, 0.50 GB of 1.00 GB used (50%), activated 2026-07-10 08:00 UTC, expires 2026-08-09 08:00 UTC",
        "  pkg_2: ?, status unknown, 20% used, activated —, expires —",
        "",
        "Gaps (1):",
        "  2026-07-12 00:00 UTC  Package pkg_1 reached 50% without the 20% event.",
        "",
        "Last 2 events:",
        "  2026-07-12 00:00 UTC  package.usage.50_percent  bk_1 · pkg_1",
        "  2026-07-10 08:00 UTC  package.activated",
        "",
        "Recent Hubby calls (request ids):",
        "  2026-07-15 14:29 UTC  GET /native/user-dashboard  200  request req-abc",
        "  2026-07-15 14:00 UTC  POST /native/redeem-package  no response  request req-def",
      ].join("\n"),
    );
  });

  it("says when the state is stored only and the queue is unknown, and handles an empty traveler", () => {
    const text = supportSummaryText({
      ...input,
      link: null,
      source: { kind: "stored", at: null, reason: "Hubby did not answer in time" },
      iccid: null,
      esimStatus: null,
      esimData: null,
      bookings: [],
      queue: null,
      packages: [],
      gaps: [],
      events: [],
      hubbyCalls: [],
    });
    expect(text).toContain(
      "State: stored by the console, last updated — (Hubby not asked: Hubby did not answer in time)",
    );
    expect(text).not.toContain("Console:");
    expect(text).toContain("ICCID: —\neSIM status: unknown\n\nBookings");
    expect(text).toContain("Bookings (0):\n  none recorded");
    expect(text).toContain("Package queue: unknown (needs Hubby)");
    expect(text).not.toContain("Gaps");
    expect(text).toContain("Last 0 events:\n  none received");
    expect(text).toContain("Recent Hubby calls (request ids):\n  none");
  });
});
