import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { reconcileBookingAction, retryBookingAction } from "@/app/(console)/bookings/[id]/actions";
import { setTopUpLimitAction } from "@/app/(console)/bookings/actions";
import { previewBookingAction, sendBookingAction } from "@/app/(console)/bookings/new/actions";
import { refreshCatalogAction } from "@/app/(console)/catalog/actions";
import { topUpDefaults } from "@/lib/bookings/top-up";
import { wallClock } from "@/lib/bookings/request";
import { loadCatalog } from "@/lib/catalog/catalog";
import { db } from "@/lib/db";
import { hubbyFor } from "@/lib/hubby";
import { parseTravelerQuery } from "@/lib/travelers/filters";
import { searchTravelers } from "@/lib/travelers/queries";
import { form, signInAs } from "../support/factories";
import { setSession } from "../support/session";
import { withConsoleSandbox } from "../support/sandbox";

// The booking screens' actions against the sandbox: preview, send, the role rules, the limit, retry, the catalog.
const harness = withConsoleSandbox({
  setup: async (client) => {
    await client.createBooking({
      departure_date: new Date(Date.now() + 3 * 86_400_000).toISOString(),
      package_specifications: [{ external_user_id: "existing_traveler", destination: "IT", size: "3GB" }],
    });
    // On the eSIM: the dashboard's current package is in Italy (destination_iso3 ITA).
    const dashboard = await client.getUserDashboard("existing_traveler");
    await client.redeemPackage({
      external_user_id: "existing_traveler",
      package_queue_id: dashboard.package_queues[0]!.id,
    });
  },
});

const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);

function bookingForm(values: Record<string, string> = {}) {
  return form({
    clientKey: crypto.randomUUID(),
    kind: "issue",
    travelers: "campaign_a\ncampaign_b",
    specs: JSON.stringify([
      { destinations: ["GR"], packageType: "data-limited", size: "1GB" },
      { destinations: ["US", "CA", "MX"], packageType: "data-limited", size: "3GB" },
    ]),
    departureDate: tomorrow,
    departureTime: "14:30",
    timeZone: "Europe/Amsterdam",
    locale: "nl-NL",
    customBranding: "",
    reason: "",
    ...values,
  });
}

const postCount = () => harness.sandbox.world.bookings.length;
/** The bundles the sandbox queued for a traveler, in order. */
const queuedBundles = (traveler: string) =>
  harness.sandbox.world.travelers[traveler]?.package_queues.map((queue) => queue.bundle_id) ?? [];

describe("booking actions", () => {
  it("refreshes the catalog, audited", async () => {
    await signInAs("support");
    const result = await refreshCatalogAction();
    expect(result).toMatchObject({ ok: true, data: { destinations: 44 } });
    const greece = await db().catalogDestination.findUniqueOrThrow({ where: { id: "GR" }, include: { bundles: true } });
    expect(greece).toMatchObject({ kind: "country", name: "Greece" });
    expect(greece.bundles.find((bundle) => bundle.id === "pkg_gr_1gb_dl")).toMatchObject({
      b2bCents: 250,
      b2cCents: 499,
    });
    const europe = await db().catalogDestination.findUniqueOrThrow({ where: { id: "EU" } });
    expect(europe.kind).toBe("region");
    expect(europe.countries).toEqual(expect.arrayContaining(["GR", "FR", "DE"]));
    expect(await db().auditEntry.count({ where: { action: "catalog.refresh", result: "ok" } })).toBe(1);
  });

  it("a campaign manager previews (nothing sent), then sends one multi-destination booking", async () => {
    await signInAs("campaign_manager");
    const values = bookingForm();
    const before = postCount();
    const preview = await previewBookingAction(null, values);
    if (!preview.ok || preview.data.outcome !== "preview") throw new Error(JSON.stringify(preview));
    expect(preview.data.request).toMatchObject({
      departure_date: expect.stringMatching(new RegExp(`^${tomorrow}T14:30:00\\+0[12]:00$`)),
      locale: "nl-NL",
      booking_id: `hpc-${values.get("clientKey")}`,
    });
    expect(preview.data.request.package_specifications).toHaveLength(4);
    expect(preview.data.quote.specs[1]).toMatchObject({
      ok: true,
      bundles: [expect.objectContaining({ destinationId: "NA" })],
    });
    expect(preview.data.quote.total.costCents).toBe(preview.data.quote.perTraveler.costCents * 2);
    expect(postCount()).toBe(before);

    const sent = await sendBookingAction(null, values);
    expect(sent).toMatchObject({ ok: true, data: { outcome: "sent" } });
    expect(postCount()).toBe(before + 1);
    // The same form again (double click, second tab): the existing intent, nothing sent.
    const again = await sendBookingAction(null, values);
    expect(again).toMatchObject({ ok: true, data: { outcome: "existing" } });
    expect(postCount()).toBe(before + 1);
    const audits = await db().auditEntry.findMany({ where: { action: "bookings.issue", result: "ok" } });
    expect(audits).toHaveLength(1);

    // The same travelers and destination within 24 hours: the next preview warns.
    const next = await previewBookingAction(null, bookingForm());
    if (!next.ok || next.data.outcome !== "preview") throw new Error("no preview");
    expect(next.data.warnings.join(" ")).toMatch(/campaign_a already got GR in the last 24 hours/);
  });

  it("shows Hubby's validation error next to the field and gives the form a fresh key", async () => {
    await signInAs("campaign_manager");
    // A bundle the cached catalog still lists but Hubby no longer sells: Hubby refuses the package_id.
    await db().catalogBundle.create({
      data: {
        destinationId: "GR",
        id: "pkg_gr_withdrawn",
        type: "data-limited",
        label: "2GB",
        sizeBytes: 2n * 1024n ** 3n,
      },
    });
    const before = postCount();
    const sent = await sendBookingAction(
      null,
      bookingForm({
        specs: JSON.stringify([{ destinations: ["GR"], packageType: "data-limited", packageId: "pkg_gr_withdrawn" }]),
      }),
    );
    await db().catalogBundle.delete({ where: { destinationId_id: { destinationId: "GR", id: "pkg_gr_withdrawn" } } });
    expect(sent).toMatchObject({
      ok: true,
      data: { outcome: "failed", fieldErrors: { "specs.0.packageId": [expect.stringMatching(/unknown package/)] } },
    });
    if (sent.ok && sent.data.outcome === "failed") expect(sent.data.nextClientKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(postCount()).toBe(before);
  });

  it("refuses a departure in the past before the preview, on the chosen time zone's clock", async () => {
    await signInAs("campaign_manager");
    const before = postCount();
    // Samoa's Pago Pago (UTC−11) and Kiritimati (UTC+14) are 25 hours apart: today in Pago Pago has ended there.
    const today = wallClock("Pacific/Pago_Pago", Date.now()).date;
    const dateOnly = (timeZone: string) => bookingForm({ departureDate: today, departureTime: "", timeZone });
    expect(await previewBookingAction(null, dateOnly("Pacific/Pago_Pago"))).toMatchObject({
      ok: true,
      data: { outcome: "preview" },
    });
    expect(await previewBookingAction(null, dateOnly("Pacific/Kiritimati"))).toMatchObject({
      ok: false,
      fieldErrors: {
        departureDate: [expect.stringMatching(/^This day has passed: it is .* in Pacific\/Kiritimati\.$/)],
      },
    });
    // An hour ago on today's date somewhere: in the zone's first hour after midnight that hour is yesterday (a
    // refused day, not a refused time), so take a zone where it is later than 01:00 now.
    const timeZone = ["Asia/Tokyo", "Europe/London", "America/New_York"].find(
      (zone) => wallClock(zone, Date.now() - 3_600_000).date === wallClock(zone, Date.now()).date,
    )!;
    const anHourAgo = wallClock(timeZone, Date.now() - 3_600_000);
    const sent = await sendBookingAction(
      null,
      bookingForm({ departureDate: anHourAgo.date, departureTime: anHourAgo.time, timeZone }),
    );
    expect(sent).toMatchObject({
      ok: false,
      fieldErrors: { departureTime: [expect.stringContaining(`in ${timeZone}`)] },
    });
    expect(postCount()).toBe(before);
  });

  it("sends a bundle picked from the catalog as package_id, priced as that bundle, and Hubby issues exactly it", async () => {
    await signInAs("campaign_manager");
    // The browser claims a data-limited 1GB bundle; the catalog says what pkg_gr_5gb_tl_7d really is.
    const values = bookingForm({
      travelers: "bundle_a\nbundle_b",
      specs: JSON.stringify([
        { destinations: ["GR"], packageType: "data-limited", size: "1GB", packageId: "pkg_gr_5gb_tl_7d" },
      ]),
      locale: "es",
    });
    const preview = await previewBookingAction(null, values);
    if (!preview.ok || preview.data.outcome !== "preview") throw new Error(JSON.stringify(preview));
    expect(preview.data.request).toMatchObject({
      locale: "es",
      package_specifications: [
        { external_user_id: "bundle_a", package_id: "pkg_gr_5gb_tl_7d" },
        { external_user_id: "bundle_b", package_id: "pkg_gr_5gb_tl_7d" },
      ],
    });
    expect(preview.data.request.package_specifications[0]).toEqual({
      external_user_id: "bundle_a",
      package_id: "pkg_gr_5gb_tl_7d",
    });
    const greece = await db().catalogBundle.findUniqueOrThrow({
      where: { destinationId_id: { destinationId: "GR", id: "pkg_gr_5gb_tl_7d" } },
    });
    expect(preview.data.quote).toMatchObject({
      specs: [{ ok: true, bundles: [{ bundleId: "pkg_gr_5gb_tl_7d", type: "time-limited", durationDays: 7 }] }],
      total: { costCents: 2 * greece.b2bCents! },
    });

    expect(await sendBookingAction(null, values)).toMatchObject({ ok: true, data: { outcome: "sent" } });
    expect(queuedBundles("bundle_a")).toEqual(["pkg_gr_5gb_tl_7d"]);
    expect(harness.sandbox.world.bookings.at(-1)).toMatchObject({ locale: "es" });
    const intent = await db().bookingIntent.findUniqueOrThrow({
      where: { clientKey: values.get("clientKey") as string },
    });
    expect(intent).toMatchObject({ destinations: ["GR"], costCents: 2 * greece.b2bCents! });
  });

  it("sends destination + size + type + duration from the catalog; the preview costs what Hubby issues", async () => {
    await signInAs("campaign_manager");
    const values = bookingForm({
      travelers: "duration_traveler",
      specs: JSON.stringify([
        { destinations: ["IT"], packageType: "time-limited", size: "5GB", durationDays: 15 },
        { destinations: ["US", "CA", "MX", "GL"], packageType: "data-limited", size: "3GB", durationDays: 365 },
      ]),
    });
    const preview = await previewBookingAction(null, values);
    if (!preview.ok || preview.data.outcome !== "preview") throw new Error(JSON.stringify(preview));
    expect(preview.data.request.package_specifications).toEqual([
      {
        external_user_id: "duration_traveler",
        destination: "IT",
        package_type: "time-limited",
        size: "5GB",
        package_duration: 15,
      },
      {
        external_user_id: "duration_traveler",
        destination: ["US", "CA", "MX", "GL"],
        package_type: "data-limited",
        size: "3GB",
        package_duration: 365,
      },
    ]);
    expect(await sendBookingAction(null, values)).toMatchObject({ ok: true, data: { outcome: "sent" } });
    const queues = harness.sandbox.world.travelers.duration_traveler!.package_queues;
    const quoted = preview.data.quote.specs.flatMap((spec) => (spec.ok ? spec.bundles.map((b) => b.bundleId) : []));
    expect(queues.map((queue) => queue.bundle_id).sort()).toEqual(quoted.sort());
    expect(Math.round(queues.reduce((sum, queue) => sum + queue.b2b_price * 100, 0))).toBe(
      preview.data.quote.total.costCents,
    );

    const notSold = await previewBookingAction(
      null,
      bookingForm({
        specs: JSON.stringify([{ destinations: ["IT"], packageType: "data-limited", size: "1GB", durationDays: 30 }]),
      }),
    );
    expect(notSold).toMatchObject({
      ok: false,
      fieldErrors: { "specs.0.size": ["Italy has no 1GB data-limited, 30 days bundle."] },
    });
  });

  it("preselects a top-up's destination from Hubby's dashboard, else the stored state, with its time zone", async () => {
    const catalog = await loadCatalog();
    const hubby = await hubbyFor(null);
    expect(await topUpDefaults("existing_traveler", catalog, hubby)).toMatchObject({
      destinationId: "IT",
      timeZone: "Europe/Rome",
      source: "hubby",
    });
    // Unknown to Hubby, but the console's webhooks reported a package in Greece (ISO2) and an older one in Japan.
    const now = new Date();
    for (const [packageId, destination, activatedAt] of [
      ["pkg_stored_jp", "JPN", new Date(now.getTime() - 10 * 86_400_000)],
      ["pkg_stored_gr", "GR", new Date(now.getTime() - 86_400_000)],
    ] as const) {
      await db().travelerPackage.create({
        data: {
          packageId,
          externalUserId: "stored_traveler",
          destination,
          activatedAt,
          firstSeenAt: now,
          lastSeenAt: now,
        },
      });
    }
    expect(await topUpDefaults("stored_traveler", catalog, hubby)).toMatchObject({
      destinationId: "GR",
      timeZone: "Europe/Athens",
      source: "stored",
    });
    // A region has no one time zone; nothing known gives nothing.
    await db().travelerPackage.create({
      data: {
        packageId: "pkg_stored_eu",
        externalUserId: "region_traveler",
        destination: "EU",
        firstSeenAt: now,
        lastSeenAt: now,
      },
    });
    expect(await topUpDefaults("region_traveler", catalog, hubby)).toMatchObject({
      destinationId: "EU",
      timeZone: null,
    });
    expect(await topUpDefaults("nobody_at_all", catalog, hubby)).toMatchObject({ destinationId: null, source: null });
  });

  it("a top-up may not pick a bundle that is not data-limited, whatever the browser says", async () => {
    await signInAs("campaign_manager");
    const before = postCount();
    const result = await previewBookingAction(
      null,
      bookingForm({
        kind: "top_up",
        travelers: "existing_traveler",
        reason: "Ticket #9: needs unlimited",
        specs: JSON.stringify([
          { destinations: ["IT"], packageType: "data-limited", size: "1GB", packageId: "pkg_it_unlimited_7d" },
        ]),
      }),
    );
    expect(result).toMatchObject({
      ok: false,
      fieldErrors: { "specs.0.packageId": ["Top-ups are always data-limited."] },
    });
    const wrongDestination = await previewBookingAction(
      null,
      bookingForm({
        specs: JSON.stringify([{ destinations: ["FR"], packageType: "data-limited", packageId: "pkg_it_1gb_dl" }]),
      }),
    );
    expect(wrongDestination).toMatchObject({
      ok: false,
      fieldErrors: { "specs.0.packageId": [expect.stringMatching(/not in the catalog/)] },
    });
    expect(postCount()).toBe(before);
  });

  it("refuses support an ordinary issue, audited", async () => {
    await signInAs("support");
    const before = postCount();
    const result = await sendBookingAction(null, bookingForm());
    expect(result).toMatchObject({ ok: false, message: expect.stringMatching(/only top up/) });
    expect(postCount()).toBe(before);
    expect(await db().auditEntry.count({ where: { action: "bookings.issue", result: "refused" } })).toBe(1);
  });

  it("lets support top up an existing traveler with a reason within the limit; refuses the rest", async () => {
    const agent = await signInAs("support");
    const topUp = (values: Record<string, string>) =>
      bookingForm({
        kind: "top_up",
        travelers: "existing_traveler",
        specs: JSON.stringify([{ destinations: ["IT"], packageType: "data-limited", size: "3GB" }]),
        reason: "Ticket #4711: ran out of data",
        ...values,
      });
    const before = postCount();

    const noReason = await sendBookingAction(null, topUp({ reason: "" }));
    expect(noReason).toMatchObject({
      ok: false,
      fieldErrors: { reason: [expect.any(String)] },
    });
    const unknown = await sendBookingAction(null, topUp({ travelers: "nobody_here" }));
    expect(unknown).toMatchObject({ ok: false, message: expect.stringMatching(/existing traveler/) });
    const tooBig = await sendBookingAction(
      null,
      topUp({ specs: JSON.stringify([{ destinations: ["IT"], packageType: "data-limited", size: "10GB" }]) }),
    );
    expect(tooBig).toMatchObject({ ok: false, message: expect.stringMatching(/at most 5GB/) });
    expect(postCount()).toBe(before);

    const ok = await sendBookingAction(null, topUp({}));
    expect(ok).toMatchObject({ ok: true, data: { outcome: "sent" } });
    expect(postCount()).toBe(before + 1);
    const intent = await db().bookingIntent.findFirstOrThrow({ where: { kind: "top_up" } });
    expect(intent).toMatchObject({ actorId: agent.id, reason: "Ticket #4711: ran out of data", status: "SENT" });
    const audits = await db().auditEntry.findMany({ where: { action: "bookings.top_up" }, orderBy: { id: "asc" } });
    expect(audits.map((entry) => entry.result)).toEqual(["refused", "refused", "ok"]);
  });

  it("an admin raises the limit (audited); support may not change it", async () => {
    await signInAs("support");
    expect(await setTopUpLimitAction(null, form({ size: "20GB", windowHours: "24" }))).toMatchObject({ ok: false });
    await signInAs("admin");
    expect(await setTopUpLimitAction(null, form({ size: "10GB", windowHours: "5" }))).toMatchObject({
      ok: false,
      fieldErrors: { windowHours: [expect.any(String)] },
    });
    expect(await setTopUpLimitAction(null, form({ size: "10GB", windowHours: "48" }))).toEqual({
      ok: true,
      data: { size: "10GB", window: "2 days" },
    });
    const entry = await db().auditEntry.findFirstOrThrow({
      where: { action: "settings.support_top_up_limit", result: "ok" },
    });
    expect(entry.details).toEqual({
      before: { size: "5GB", windowHours: 24 },
      after: { size: "10GB", windowHours: 48 },
    });
    await setTopUpLimitAction(null, form({ size: "5GB", windowHours: "24" }));
  });

  it("holds the support limit per traveler over the rolling window, also for top-ups sent at once", async () => {
    await signInAs("support");
    const topUp = (size: string) =>
      bookingForm({
        kind: "top_up",
        travelers: "window_traveler",
        specs: JSON.stringify([{ destinations: ["IT"], packageType: "data-limited", size }]),
        reason: "Ticket #5150: roaming all week",
      });
    // Known to the console, so the check does not ask Hubby.
    await db().traveler.upsert({
      where: { externalUserId: "window_traveler" },
      create: { externalUserId: "window_traveler", firstSeenAt: new Date(), lastSeenAt: new Date() },
      update: {},
    });
    const before = postCount();
    expect(await sendBookingAction(null, topUp("3GB"))).toMatchObject({ ok: true, data: { outcome: "sent" } });
    const over = await sendBookingAction(null, topUp("3GB"));
    expect(over).toMatchObject({ ok: false, message: expect.stringMatching(/3GB already topped up/) });
    expect(await previewBookingAction(null, topUp("3GB"))).toMatchObject({ ok: false });
    // Three 1GB top-ups from three tabs at once: the first two fill the window (3 + 1 + 1 = 5GB), the third is refused.
    const raced = await Promise.all([topUp("1GB"), topUp("1GB"), topUp("1GB")].map((f) => sendBookingAction(null, f)));
    expect(raced.filter((result) => result.ok).length).toBe(2);
    expect(postCount()).toBe(before + 3);
    // An older top-up leaves the window: the traveler may be topped up again.
    await db().bookingIntent.updateMany({
      where: { externalUserIds: { has: "window_traveler" } },
      data: { createdAt: new Date(Date.now() - 25 * 3_600_000) },
    });
    expect(await sendBookingAction(null, topUp("5GB"))).toMatchObject({ ok: true, data: { outcome: "sent" } });
  });

  it("a traveler booked from the console is in the travelers list at once, pending until Hubby's webhooks", async () => {
    await signInAs("campaign_manager");
    const sent = await sendBookingAction(null, bookingForm({ travelers: "booked_now_a\nbooked_now_b" }));
    expect(sent).toMatchObject({ ok: true, data: { outcome: "sent" } });
    const page = await searchTravelers(parseTravelerQuery({ q: "booked_now" }));
    expect(page.rows.map((row) => [row.externalUserId, row.esimStatus]).sort()).toEqual([
      ["booked_now_a", "pending"],
      ["booked_now_b", "pending"],
    ]);
    const intent = await db().bookingIntent.findFirstOrThrow({ where: { externalUserIds: { has: "booked_now_a" } } });
    expect(
      await db().travelerBooking.findMany({
        where: { bookingId: intent.hubbyBookingId! },
        orderBy: { externalUserId: "asc" },
      }),
    ).toMatchObject([
      {
        externalUserId: "booked_now_a",
        departureDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T14:30:00[+-]\d{2}:\d{2}$/),
      },
      { externalUserId: "booked_now_b" },
    ]);
  });

  it("retry needs confirmation, re-checks Hubby and is audited; reconcile settles an UNKNOWN intent", async () => {
    await signInAs("campaign_manager");
    harness.sandbox.faults.add({ kind: "drop_after_commit", method: "POST", path: "/bookings", times: 1 });
    const sent = await sendBookingAction(null, bookingForm({ travelers: "retry_traveler" }));
    if (!sent.ok || sent.data.outcome !== "unknown") throw new Error(JSON.stringify(sent));
    const intentId = sent.data.intentId;
    const before = postCount();

    expect(await retryBookingAction(null, form({ intentId }))).toMatchObject({ ok: false });
    const reconciled = await reconcileBookingAction(null, form({ intentId }));
    expect(reconciled).toMatchObject({ ok: true, data: { status: "SENT" } });
    const retried = await retryBookingAction(null, form({ intentId, confirm: "yes" }));
    expect(retried).toMatchObject({ ok: true, data: { status: "SENT" } });
    expect(postCount()).toBe(before);
    expect(await db().auditEntry.count({ where: { action: "bookings.reconcile" } })).toBe(1);
    expect(await db().auditEntry.count({ where: { action: "bookings.retry" } })).toBe(1);
  });

  it("lets support act on a top-up but refuses it an ordinary booking's actions, audited and unchanged", async () => {
    const manager = await signInAs("campaign_manager");
    harness.sandbox.faults.add({ kind: "drop_after_commit", method: "POST", path: "/bookings", times: 1 });
    const issued = await sendBookingAction(null, bookingForm({ travelers: "not_for_support" }));
    if (!issued.ok || issued.data.outcome !== "unknown") throw new Error(JSON.stringify(issued));
    const intentId = issued.data.intentId;
    const before = postCount();

    const agent = await signInAs("support");
    for (const attempt of [
      () => reconcileBookingAction(null, form({ intentId })),
      () => retryBookingAction(null, form({ intentId, confirm: "yes" })),
    ]) {
      expect(await attempt()).toMatchObject({ ok: false, message: expect.stringMatching(/may only top up/) });
    }
    expect(postCount()).toBe(before);
    expect(await db().bookingIntent.findUniqueOrThrow({ where: { id: intentId } })).toMatchObject({
      status: "UNKNOWN",
    });
    const refusals = await db().auditEntry.findMany({
      where: { actorId: agent.id, targetId: intentId, result: "refused" },
      orderBy: { id: "asc" },
    });
    expect(refusals.map((entry) => entry.action)).toEqual(["bookings.reconcile", "bookings.retry"]);
    expect(refusals[0]).toMatchObject({ targetType: "booking_intent", externalUserId: "not_for_support" });

    // A top-up (here one a manager sent, whose reply was lost) is support's to act on: reconcile runs, audited.
    setSession(manager);
    harness.sandbox.faults.add({ kind: "drop_after_commit", method: "POST", path: "/bookings", times: 1 });
    const toppedUp = await sendBookingAction(
      null,
      bookingForm({
        kind: "top_up",
        travelers: "existing_traveler",
        reason: "Ticket #5150: reply lost",
        specs: JSON.stringify([{ destinations: ["IT"], packageType: "data-limited", size: "1GB" }]),
      }),
    );
    if (!toppedUp.ok || toppedUp.data.outcome !== "unknown") throw new Error(JSON.stringify(toppedUp));
    setSession(agent);
    const reconciled = await reconcileBookingAction(null, form({ intentId: toppedUp.data.intentId }));
    expect(reconciled).toMatchObject({ ok: true, data: { status: "SENT" } });
    expect(
      await db().auditEntry.count({
        where: { action: "bookings.reconcile", actorId: agent.id, targetId: toppedUp.data.intentId, result: "ok" },
      }),
    ).toBe(1);

    // Those who issue act on every booking: the manager settles the one support could not.
    setSession(manager);
    expect(await reconcileBookingAction(null, form({ intentId }))).toMatchObject({
      ok: true,
      data: { status: "SENT" },
    });
  });
});
