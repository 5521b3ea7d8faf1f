import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import HubbyBookingsPage from "@/app/(console)/bookings/hubby/page";
import { sendBookingAction } from "@/app/(console)/bookings/new/actions";
import { refreshCatalogAction } from "@/app/(console)/catalog/actions";
import { listHubbyBookings } from "@/lib/bookings/at-hubby";
import { db } from "@/lib/db";
import type { HubbyClient } from "@/lib/hubby/client";
import { form, signInAs } from "../support/factories";
import { textOf } from "../support/render";
import { withConsoleSandbox } from "../support/sandbox";
import { DataTable } from "@/components/data-table";

/** The page's table is a DataTable: its rows are read in place (it has no hooks). */
const inPlace = new Set<unknown>([DataTable]);

// "All bookings at Hubby": what GET /api/bookings lists, including bookings the partner's own backend made, linked
// to the console's intents, paged as Hubby pages and read defensively.
const harness = withConsoleSandbox({
  setup: async (client) => {
    // The partner's own backend books directly at Hubby: the console has no intent for these.
    for (const traveler of ["backend_one", "backend_two", "backend_three"]) {
      await client.createBooking({
        booking_id: `backend-${traveler}`,
        departure_date: new Date(Date.now() + 3 * 86_400_000).toISOString(),
        package_specifications: [{ external_user_id: traveler, destination: "GR", size: "1GB" }],
      });
    }
  },
});

const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);

describe("bookings at Hubby", () => {
  it("lists bookings made outside the console and links the console's own to their intents", async () => {
    await signInAs("campaign_manager");
    await refreshCatalogAction();
    const sent = await sendBookingAction(
      null,
      form({
        clientKey: crypto.randomUUID(),
        kind: "issue",
        travelers: "console_booked",
        specs: JSON.stringify([{ destinations: ["GR"], packageType: "data-limited", size: "1GB" }]),
        departureDate: tomorrow,
        departureTime: "10:00",
        timeZone: "Europe/Athens",
        locale: "",
        customBranding: "",
        reason: "",
      }),
    );
    if (!sent.ok || sent.data.outcome !== "sent") throw new Error(JSON.stringify(sent));

    const staff = await signInAs("support");
    const text = textOf(await HubbyBookingsPage({ searchParams: Promise.resolve({ perPage: "10" }) }), inPlace);
    expect(text).toContain("backend_one");
    expect(text).toContain("Not from the console");
    expect(text).toContain("console_booked");
    expect(text).toContain("Issued here");
    expect(
      await db().auditEntry.count({ where: { action: "bookings.hubby_list", actorId: staff.id, result: "ok" } }),
    ).toBe(1);
  });

  it("pages as Hubby pages, and bad page values fall back to the first page", async () => {
    await signInAs("support");
    const total = harness.sandbox.world.bookings.length;
    const first = textOf(await HubbyBookingsPage({ searchParams: Promise.resolve({ page: "1", perPage: "10" }) }));
    expect(first).toContain(`Page 1 of ${Math.ceil(total / 10)}`);
    const garbage = textOf(
      await HubbyBookingsPage({ searchParams: Promise.resolve({ page: "-3", perPage: "7\u0000" }) }),
    );
    expect(garbage).toContain("Page 1");
  });

  it("reads defensively: no paging meta, an unreadable booking counted, a full page means maybe more", async () => {
    const listBookings: HubbyClient["listBookings"] = async () => ({
      bookings: [{ id: "bk_1", package_specifications: [{ external_user_id: "a", destination: ["GR", "IT"] }] }],
      unreadable: 1,
      page: undefined,
      perPage: undefined,
      total: undefined,
      totalPages: undefined,
    });
    const listing = await listHubbyBookings({ listBookings }, { page: 1, perPage: 10 });
    expect(listing).toMatchObject({ unreadable: 1, totalPages: null, hasNext: false });
    expect(listing.rows[0]).toMatchObject({ id: "bk_1", travelers: ["a"], destinations: ["GR", "IT"], intentId: null });
    // Two items (one unreadable) fill a page of two: there may be another page.
    expect((await listHubbyBookings({ listBookings }, { page: 1, perPage: 2 })).hasNext).toBe(true);
  });

  it("shows Hubby's refusal as a banner, not an error page", async () => {
    await signInAs("admin");
    harness.sandbox.faults.add({ kind: "status", status: 503, method: "GET", path: "/bookings" });
    try {
      const text = textOf(await HubbyBookingsPage({ searchParams: Promise.resolve({}) }));
      expect(text).toContain("Hubby could not list its bookings");
    } finally {
      harness.sandbox.faults.clear();
    }
  });
});
