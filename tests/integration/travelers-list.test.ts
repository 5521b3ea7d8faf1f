import { beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import { parseTravelerQuery } from "@/lib/travelers/filters";
import { countTravelers, listTravelers, searchTravelers } from "@/lib/travelers/queries";
import { listTeamViews } from "@/lib/travelers/views";
import { deleteViewAction, saveViewAction } from "@/app/(console)/travelers/actions";
import { GET as exportCsv } from "@/app/(console)/travelers/export.csv/route";
import { form, signInAs } from "../support/factories";
import { setSession } from "../support/session";

// A small export cap, so the refusal is testable: the "bulk_" travelers (more than one export batch) fit under it,
// every traveler together does not.
const BULK = 1_050;
vi.mock("@/lib/travelers/queries", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/travelers/queries")>()),
  TRAVELER_EXPORT_MAX_ROWS: 1_055,
}));

const NOW = new Date("2026-06-15T12:00:00.000Z");
const hours = (n: number) => new Date(NOW.getTime() + n * 3_600_000);
const days = (n: number) => hours(n * 24);

async function traveler(
  externalUserId: string,
  fields: { iccid?: string; esimState?: string; esimStateAt?: Date; lastEventAt?: Date; lastEventType?: string } = {},
) {
  await db().traveler.create({
    data: { externalUserId, firstSeenAt: days(-60), lastSeenAt: fields.lastEventAt ?? days(-60), ...fields },
  });
}
async function booking(
  bookingId: string,
  externalUserId: string,
  departureDate: string,
  departsAt: Date,
  withinCutoffEsimInstalled?: boolean,
) {
  await db().travelerBooking.create({
    data: {
      bookingId,
      externalUserId,
      departureDate,
      departsAt,
      withinCutoffEsimInstalled,
      firstSeenAt: days(-60),
      lastSeenAt: days(-60),
    },
  });
}
async function pkg(
  packageId: string,
  externalUserId: string,
  fields: { usagePercent: number; activatedAt?: Date; expiresAt?: Date | null },
) {
  await db().travelerPackage.create({
    data: { packageId, externalUserId, firstSeenAt: days(-60), lastSeenAt: days(-60), ...fields },
  });
}
async function sample(packageId: string, externalUserId: string, percent: number, at: Date) {
  await db().usageSample.create({ data: { packageId, externalUserId, percent, at } });
}

beforeAll(async () => {
  // Installed, 85% on a current package (an expired one at 100% does not count), departing in 30 h, busy.
  await traveler("cust_inst", {
    iccid: "8944000000000000001",
    esimState: "installed",
    esimStateAt: days(-2),
    lastEventAt: hours(-1),
    lastEventType: "package.usage.80_percent",
  });
  await booking("bk_inst", "cust_inst", "2026-06-16T18:00:00Z", hours(30));
  await pkg("pkg_inst_a", "cust_inst", { usagePercent: 85, activatedAt: days(-5), expiresAt: days(10) });
  await pkg("pkg_inst_old", "cust_inst", { usagePercent: 100, activatedAt: days(-40), expiresAt: days(-1) });
  await sample("pkg_inst_a", "cust_inst", 50, days(-4));
  await sample("pkg_inst_a", "cust_inst", 80, days(-2));

  // Removed, quiet for 40 days, crossed 80% ten days ago.
  await traveler("cust_rem", {
    iccid: "8944000000000000002",
    esimState: "removed",
    esimStateAt: days(-40),
    lastEventAt: days(-40),
    lastEventType: "esim.removed",
  });
  await pkg("pkg%50", "cust_rem", { usagePercent: 0, expiresAt: null });
  await sample("pkg%50", "cust_rem", 80, days(-10));

  // Never heard of an eSIM, departs today (a date without a time), crossed 20% yesterday, no event ever.
  await traveler("cust_new");
  await booking("bk_new", "cust_new", "2026-06-15", new Date("2026-06-15T00:00:00Z"));
  await booking("bk_new_past", "cust_new", "2026-06-10", new Date("2026-06-10T00:00:00Z"));
  await pkg("pkg_new", "cust_new", { usagePercent: 20, activatedAt: days(-1), expiresAt: days(20) });
  await pkg("pkg050", "cust_new", { usagePercent: 0, expiresAt: days(20) });
  await sample("pkg_new", "cust_new", 20, days(-1));

  // Hubby said at the cutoff that the eSIM is not installed; departs in 72 h.
  await traveler("cust_late", { lastEventAt: days(-3), lastEventType: "booking.within_cutoff" });
  await booking("bk_late", "cust_late", "2026-06-18T12:00:00Z", hours(72), false);

  // A used-up package beside a fresh one: the list reads the fresh one (a top-up activated later, or one redeemed
  // and not activated yet); with nothing fresh, the used-up one.
  await traveler("usage_topup", { lastEventAt: days(-1) });
  await pkg("usage_topup_old", "usage_topup", { usagePercent: 100, activatedAt: days(-20), expiresAt: days(345) });
  await pkg("usage_topup_new", "usage_topup", { usagePercent: 50, activatedAt: days(-2), expiresAt: days(363) });
  await traveler("usage_fresh", { lastEventAt: days(-1) });
  await pkg("usage_fresh_old", "usage_fresh", { usagePercent: 100, activatedAt: days(-3), expiresAt: days(362) });
  await pkg("usage_fresh_new", "usage_fresh", { usagePercent: 0, expiresAt: days(365) });
  await traveler("usage_out", { lastEventAt: days(-1) });
  await pkg("usage_out_1", "usage_out", { usagePercent: 100, activatedAt: days(-4), expiresAt: days(361) });

  // Wildcards in ids, on every key.
  await traveler("ab_c", { lastEventAt: days(-1) });
  await traveler("abxc", { lastEventAt: days(-1) });
  await traveler("ic_one", { iccid: "89_5" });
  await traveler("ic_two", { iccid: "8905" });
  await booking("bk_%1", "ab_c", "2026-07-01", new Date("2026-07-01T00:00:00Z"));
  await booking("bk_x1", "abxc", "2026-07-01", new Date("2026-07-01T00:00:00Z"));

  // For the CSV: quotes and commas, and more travelers than one export batch.
  await traveler('csv"1,2', { lastEventAt: days(-1), lastEventType: "a,b" });
  await db().traveler.createMany({
    data: Array.from({ length: BULK }, (_, i) => ({
      externalUserId: `bulk_${String(i).padStart(5, "0")}`,
      firstSeenAt: days(-1),
      lastSeenAt: days(-1),
    })),
  });
});

const list = async (params: Record<string, string>) =>
  (await searchTravelers(parseTravelerQuery(params), NOW)).rows.map((row) => row.externalUserId);
const ids = async (params: Record<string, string>) => (await list(params)).sort();

describe("search: a UNION of prefix lookups", () => {
  it("finds by exact or prefix external_user_id", async () => {
    expect(await ids({ q: "cust_" })).toEqual(["cust_inst", "cust_late", "cust_new", "cust_rem"]);
    expect(await ids({ q: "cust_rem" })).toEqual(["cust_rem"]);
  });

  it("finds by ICCID, booking id and package id prefix", async () => {
    expect(await ids({ q: "89440000000000000" })).toEqual(["cust_inst", "cust_rem"]);
    expect(await ids({ q: "8944000000000000002" })).toEqual(["cust_rem"]);
    expect(await ids({ q: "bk_in" })).toEqual(["cust_inst"]);
    expect(await ids({ q: "pkg_ne" })).toEqual(["cust_new"]);
  });

  it("takes % and _ literally on every key", async () => {
    expect(await ids({ q: "ab_" })).toEqual(["ab_c"]);
    expect(await ids({ q: "a%" })).toEqual([]);
    expect(await ids({ q: "89_" })).toEqual(["ic_one"]);
    expect(await ids({ q: "bk_%" })).toEqual(["ab_c"]);
    expect(await ids({ q: "pkg%" })).toEqual(["cust_rem"]);
    expect(await ids({ q: "pkg_" })).toEqual(["cust_inst", "cust_new"]);
  });

  it("counts all matches, not only the page", async () => {
    const result = await searchTravelers(parseTravelerQuery({ q: "bulk_" }), NOW);
    expect(result.total).toBe(BULK);
    expect(result.rows).toHaveLength(result.pageSize);
  });
});

describe("filters, combined with the search", () => {
  it("eSIM state", async () => {
    expect(await ids({ q: "cust_", esim: "installed" })).toEqual(["cust_inst"]);
    expect(await ids({ q: "cust_", esim: "removed" })).toEqual(["cust_rem"]);
    expect(await ids({ q: "cust_", esim: "not_installed" })).toEqual(["cust_late", "cust_new"]);
  });

  it("departing within N hours (a date-only departure counts for the whole day)", async () => {
    expect(await ids({ q: "cust_", departing: "48" })).toEqual(["cust_inst", "cust_new"]);
    expect(await ids({ q: "cust_", departing: "96" })).toEqual(["cust_inst", "cust_late", "cust_new"]);
    expect(await ids({ q: "cust_", departing: "48", esim: "not_installed" })).toEqual(["cust_new"]);
  });

  it("crossed N% within the last D days", async () => {
    expect(await ids({ q: "cust_", crossed: "80", crossedDays: "7" })).toEqual(["cust_inst"]);
    expect(await ids({ q: "cust_", crossed: "80", crossedDays: "14" })).toEqual(["cust_inst", "cust_rem"]);
    expect(await ids({ q: "cust_", crossed: "20", crossedDays: "7" })).toEqual(["cust_new"]);
    expect(await ids({ q: "cust_", crossed: "50", crossedDays: "3" })).toEqual([]);
  });

  it("no activity for D days, or never", async () => {
    expect(await ids({ q: "cust_", idle: "30" })).toEqual(["cust_new", "cust_rem"]);
    expect(await ids({ q: "cust_", idle: "2" })).toEqual(["cust_late", "cust_new", "cust_rem"]);
  });

  it("ignores malformed filter values instead of failing", async () => {
    expect(await ids({ q: "cust_", esim: "maybe", departing: "-3", crossed: "33", idle: "x" })).toHaveLength(4);
  });
});

describe("rows and sorting", () => {
  it("shows eSIM status, installed, packages, usage, next departure and last event", async () => {
    const { rows } = await searchTravelers(parseTravelerQuery({ q: "cust_" }), NOW);
    const byId = Object.fromEntries(rows.map((row) => [row.externalUserId, row]));
    expect(byId.cust_inst).toMatchObject({
      esimStatus: "installed",
      esimStateAt: days(-2).toISOString(),
      activePackages: 1,
      usagePercent: 85,
      nextDepartureAt: hours(30).toISOString(),
      nextDepartureDateOnly: false,
      lastEventType: "package.usage.80_percent",
      lastEventAt: hours(-1).toISOString(),
    });
    expect(byId.cust_rem).toMatchObject({ esimStatus: "removed", usagePercent: 0, nextDepartureAt: null });
    expect(byId.cust_new).toMatchObject({
      esimStatus: "unknown",
      usagePercent: 20,
      nextDepartureAt: "2026-06-15T00:00:00.000Z",
      nextDepartureDateOnly: true,
      lastEventAt: null,
    });
    expect(byId.cust_late).toMatchObject({ esimStatus: "not installed", activePackages: 0, usagePercent: null });
  });

  it("sorts by id, usage, next departure and last event", async () => {
    expect(await list({ q: "cust_", sort: "externalUserId" })).toEqual([
      "cust_inst",
      "cust_late",
      "cust_new",
      "cust_rem",
    ]);
    expect(await list({ q: "cust_", sort: "-externalUserId" })).toEqual([
      "cust_rem",
      "cust_new",
      "cust_late",
      "cust_inst",
    ]);
    expect(await list({ q: "cust_", sort: "-usage" })).toEqual(["cust_inst", "cust_new", "cust_rem", "cust_late"]);
    expect(await list({ q: "cust_", sort: "departure" })).toEqual(["cust_new", "cust_inst", "cust_late", "cust_rem"]);
    expect(await list({ q: "cust_", sort: "-departure" })).toEqual(["cust_late", "cust_inst", "cust_new", "cust_rem"]);
    expect(await list({ q: "cust_", sort: "lastEvent" })).toEqual(["cust_new", "cust_rem", "cust_late", "cust_inst"]);
    expect(await list({ q: "cust_", sort: "-lastEvent" })).toEqual(["cust_inst", "cust_late", "cust_rem", "cust_new"]);
  });

  it("reads usage from the current package, so a used-up package never hides a fresh one", async () => {
    const { rows } = await searchTravelers(parseTravelerQuery({ q: "usage_" }), NOW);
    const usage = Object.fromEntries(rows.map((row) => [row.externalUserId, [row.usagePercent, row.activePackages]]));
    expect(usage).toEqual({ usage_topup: [50, 1], usage_fresh: [0, 0], usage_out: [100, 0] });
    expect(await list({ q: "usage_", sort: "-usage" })).toEqual(["usage_out", "usage_topup", "usage_fresh"]);
    expect(await list({ q: "usage_", sort: "usage" })).toEqual(["usage_fresh", "usage_topup", "usage_out"]);
  });

  it("sorts the whole list the same way (aggregated rather than looked up per traveler)", async () => {
    expect((await list({ sort: "-usage" })).slice(0, 5)).toEqual([
      "usage_out",
      "cust_inst",
      "usage_topup",
      "cust_new",
      "cust_rem",
    ]);
    expect((await list({ sort: "departure" })).slice(0, 5)).toEqual([
      "cust_new",
      "cust_inst",
      "cust_late",
      "ab_c",
      "abxc",
    ]);
    expect((await list({ sort: "-departure" })).slice(0, 3)).toEqual(["ab_c", "abxc", "cust_late"]);
  });

  it("pages through the same order without gaps", async () => {
    const first = await searchTravelers(parseTravelerQuery({ q: "bulk_", sort: "-usage" }), NOW);
    const second = await searchTravelers(parseTravelerQuery({ q: "bulk_", sort: "-usage", page: "2" }), NOW);
    expect(first.rows.at(-1)?.externalUserId).toBe("bulk_00049");
    expect(second.rows[0]?.externalUserId).toBe("bulk_00050");
  });
});

describe("the list's window: the first 1 000 matches (decision 0067)", () => {
  it("counts up to 1 000, says there are more, and shows the page an exact count shows, in every indexed order", async () => {
    for (const sort of ["-lastEvent", "lastEvent", "externalUserId", "-externalUserId", "-usage", "departure"]) {
      for (const page of ["1", "2", "20"]) {
        const query = parseTravelerQuery({ q: "bulk_", sort, page });
        const windowed = await listTravelers(query, NOW);
        const exact = await searchTravelers(query, NOW);
        expect(windowed, `${sort} page ${page}`).toMatchObject({ total: 1_000, totalIsMore: true });
        expect(exact).toMatchObject({ total: BULK, totalIsMore: false });
        expect(windowed.rows, `${sort} page ${page}`).toEqual(exact.rows);
      }
    }
  });

  it("counts exactly within the window, also matches on the other keys of a broad search", async () => {
    expect(await listTravelers(parseTravelerQuery({ q: "bulk_001" }), NOW)).toMatchObject({
      total: 100,
      totalIsMore: false,
    });
    // A booking id that starts like the bulk travelers' ids: its traveler is among the matches, wherever it sorts.
    await booking("bulk_booking", "cust_inst", "2026-06-16T18:00:00Z", hours(30));
    try {
      const first = await listTravelers(parseTravelerQuery({ q: "bulk_", sort: "-lastEvent" }), NOW);
      expect(first.rows[0]?.externalUserId).toBe("cust_inst");
      const last = await listTravelers(parseTravelerQuery({ q: "bulk_", sort: "-externalUserId" }), NOW);
      expect(last.rows[0]?.externalUserId).toBe("cust_inst");
      expect(last.totalIsMore).toBe(true);
    } finally {
      await db().travelerBooking.delete({
        where: { bookingId_externalUserId: { bookingId: "bulk_booking", externalUserId: "cust_inst" } },
      });
    }
  });

  it("pages no deeper than the window: a deeper page shows the last one", async () => {
    const deep = await listTravelers(parseTravelerQuery({ page: "500" }), NOW);
    const last = await searchTravelers(parseTravelerQuery({ page: "20" }), NOW);
    expect(deep.rows.map((row) => row.externalUserId)).toEqual(last.rows.map((row) => row.externalUserId));
    expect(deep.rows).toHaveLength(50);
  });
});

describe("saved views", () => {
  it("saves the current filter for the team, canonical and audited", async () => {
    const author = await signInAs("support");
    const result = await saveViewAction(
      null,
      form({ name: "Leaving soon", query: "departing=48&esim=not_installed&page=3&hide=usage&bogus=1" }),
    );
    expect(result).toMatchObject({
      ok: true,
      data: { name: "Leaving soon", query: "esim=not_installed&departing=48" },
    });
    expect((await listTeamViews()).map((view) => view.name)).toContain("Leaving soon");
    const entry = await db().auditEntry.findFirst({ where: { action: "travelers.view_save", actorId: author.id } });
    expect(entry).toMatchObject({ result: "ok", targetType: "saved_view" });
  });

  it("refuses a duplicate name (also a built-in one) with a field error", async () => {
    await signInAs("campaign_manager");
    const again = await saveViewAction(null, form({ name: "leaving SOON", query: "esim=removed" }));
    expect(again).toMatchObject({ ok: false, fieldErrors: { name: ["A view with this name already exists."] } });
    const builtIn = await saveViewAction(null, form({ name: "eSIM removed", query: "esim=removed" }));
    expect(builtIn).toMatchObject({ ok: false, fieldErrors: { name: expect.any(Array) } });
    const empty = await saveViewAction(null, form({ name: "", query: "esim=removed" }));
    expect(empty).toMatchObject({ ok: false, fieldErrors: { name: expect.any(Array) } });
  });

  it("refuses a view without a filter", async () => {
    await signInAs("support");
    const result = await saveViewAction(null, form({ name: "Everyone", query: "page=2&sort=usage" }));
    expect(result).toMatchObject({ ok: false, message: expect.stringContaining("filter") });
  });

  it("lets only its creator or an admin delete a view", async () => {
    const owner = await signInAs("support");
    const saved = await saveViewAction(null, form({ name: "Mine", query: "idle=10" }));
    if (!saved.ok) throw new Error(saved.message);

    const other = await signInAs("support");
    const refused = await deleteViewAction(null, form({ id: saved.data.id }));
    expect(refused).toMatchObject({ ok: false, message: expect.stringContaining("Only the staff member") });
    expect(await db().savedView.count({ where: { id: saved.data.id } })).toBe(1);
    expect(
      await db().auditEntry.findFirst({ where: { action: "travelers.view_delete", actorId: other.id } }),
    ).toMatchObject({ result: "refused" });

    setSession(owner);
    expect(await deleteViewAction(null, form({ id: saved.data.id }))).toMatchObject({ ok: true });
    expect(await db().savedView.count({ where: { id: saved.data.id } })).toBe(0);

    await signInAs("support");
    const another = await saveViewAction(null, form({ name: "Theirs", query: "idle=11" }));
    if (!another.ok) throw new Error(another.message);
    const admin = await signInAs("admin");
    expect(await deleteViewAction(null, form({ id: another.data.id }))).toMatchObject({ ok: true });
    expect(
      await db().auditEntry.findFirst({
        where: { action: "travelers.view_delete", actorId: admin.id, targetId: another.data.id },
      }),
    ).toMatchObject({ result: "ok" });
  });

  it("sends a signed-out caller to sign in", async () => {
    setSession(null);
    await expect(saveViewAction(null, form({ name: "Nope", query: "idle=3" }))).rejects.toMatchObject({
      digest: expect.stringMatching(/^NEXT_REDIRECT/),
    });
  });
});

describe("CSV export", () => {
  const request = (query: string) => new Request(`http://console.test/travelers/export.csv?${query}`);

  it("exports every matching traveler with proper quoting, and audits it", async () => {
    const staff = await signInAs("support");
    const response = await exportCsv(request("q=csv"));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/csv");
    expect(response.headers.get("content-disposition")).toMatch(/attachment; filename="travelers-.*\.csv"/);
    const lines = (await response.text()).split("\r\n");
    expect(lines[0]).toBe(
      "external_user_id,iccid,esim_status,esim_status_at,active_packages,usage_percent,next_departure," +
        "next_departure_date_only,last_event_type,last_event_at",
    );
    expect(lines[1]).toMatch(/^"csv""1,2",,unknown,,0,,,false,"a,b",\d{4}-/);
    expect(lines).toHaveLength(3);
    const entry = await db().auditEntry.findFirst({ where: { action: "travelers.export", actorId: staff.id } });
    expect(entry).toMatchObject({ result: "ok", details: { filter: "q=csv", rows: 1 } });
  });

  it("exports all rows of a filter, not only one page, across batches", async () => {
    await signInAs("campaign_manager");
    const text = await (await exportCsv(request("q=bulk_&page=4"))).text();
    const lines = text.trimEnd().split("\r\n");
    expect(lines).toHaveLength(BULK + 1);
    expect(lines[1]).toMatch(/^bulk_00000,/);
    expect(lines.at(-1)).toMatch(/^bulk_01049,/);
    expect(await countTravelers(parseTravelerQuery("q=bulk_"))).toBe(BULK);
  });

  it("refuses more rows than the cap with a clear message", async () => {
    const staff = await signInAs("support");
    const response = await exportCsv(request(""));
    expect(response.status).toBe(413);
    expect(await response.text()).toMatch(/at most 1,055\. Narrow the filter/);
    const entry = await db().auditEntry.findFirst({ where: { action: "travelers.export", actorId: staff.id } });
    expect(entry).toMatchObject({ result: "refused" });
  });

  it("refuses a signed-out caller", async () => {
    setSession(null);
    await expect(exportCsv(request("q=csv"))).rejects.toMatchObject({
      digest: expect.stringMatching(/^NEXT_REDIRECT/),
    });
  });
});
