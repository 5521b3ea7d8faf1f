import { beforeAll, describe, expect, it } from "vitest";
import { POST } from "@/app/api/webhooks/hubby/route";
import { resetEnvCache } from "@/lib/env";
import { exactTravelerMatch, searchTravelers, travelerQuerySchema } from "@/lib/travelers/queries";
import { travelerTimeline } from "@/lib/travelers/traveler";
import { sampleEvent } from "@/lib/webhooks/samples";
import { WEBHOOK_KEY, webhookRequest } from "../support/webhooks";

// Search over the projected travelers by id, ICCID, booking and package, with wildcards taken literally.
beforeAll(async () => {
  process.env.HUBBY_WEBHOOK_API_KEY = WEBHOOK_KEY;
  resetEnvCache();
  const send = (event: Parameters<typeof sampleEvent>[0], ids: Parameters<typeof sampleEvent>[1]) =>
    POST(webhookRequest(JSON.stringify(sampleEvent(event, ids))));
  await send("esim.installed", { externalUserId: "cust_100001", bookingId: "booking_a1", packageId: "pkg_a1" });
  await send("package.activated", { externalUserId: "cust_100001", bookingId: "booking_a1", packageId: "pkg_a1" });
  await send("package.usage.50_percent", {
    externalUserId: "cust_100001",
    bookingId: "booking_a1",
    packageId: "pkg_a1",
  });
  await send("booking.within_cutoff", { externalUserId: "cust_100002", bookingId: "booking_b2", packageId: "pkg_b2" });
  await send("booking.within_cutoff", { externalUserId: "cust_1%", bookingId: "booking_c3", packageId: "pkg_c3" });
});

const search = (params: Record<string, string>) => searchTravelers(travelerQuerySchema.parse(params));

describe("traveler search", () => {
  it("finds by prefix of external_user_id, booking id or package id", async () => {
    expect((await search({ q: "cust_10000" })).rows.map((row) => row.externalUserId).sort()).toEqual([
      "cust_100001",
      "cust_100002",
    ]);
    expect((await search({ q: "booking_b" })).rows.map((row) => row.externalUserId)).toEqual(["cust_100002"]);
    expect((await search({ q: "pkg_a" })).rows.map((row) => row.externalUserId)).toEqual(["cust_100001"]);
    expect((await search({ q: "8901234567890123456" })).rows.map((row) => row.externalUserId)).toEqual(["cust_100001"]);
  });

  it("takes % and _ literally", async () => {
    expect((await search({ q: "cust_1%" })).rows.map((row) => row.externalUserId)).toEqual(["cust_1%"]);
  });

  it("shows eSIM state, active packages and usage, sortable", async () => {
    const rows = (await search({ sort: "-usage" })).rows;
    expect(rows[0]).toMatchObject({
      externalUserId: "cust_100001",
      esimStatus: "installed",
      activePackages: 1,
      usagePercent: 50,
    });
    expect((await search({})).total).toBe(3);
  });

  it("resolves an exact id to one traveler", async () => {
    expect(await exactTravelerMatch("booking_b2")).toBe("cust_100002");
    expect(await exactTravelerMatch("pkg_a1")).toBe("cust_100001");
    expect(await exactTravelerMatch("cust_1000")).toBeNull();
  });

  it("builds the timeline newest first", async () => {
    const timeline = (await travelerTimeline("cust_100001")).entries;
    expect(timeline.map((entry) => entry.kind)).toEqual(["webhook", "webhook", "webhook"]);
  });
});
