import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import TravelerPage from "@/app/(console)/travelers/[externalUserId]/page";
import { copySupportSummaryAction, redeemPackageAction } from "@/app/(console)/travelers/[externalUserId]/actions";
import { DataLeftMeter, PackageMeter, UsageMeter } from "@/app/(console)/travelers/[externalUserId]/meters";
import { OverviewTab } from "@/app/(console)/travelers/[externalUserId]/overview-tab";
import { UsageTab } from "@/app/(console)/travelers/[externalUserId]/usage-tab";
import {
  HubbyDownBanner,
  LiveIccid,
  LivePanel,
  LiveStatus,
  TravelerFromHubby,
  TravelerNotFound,
  TravelerPageView,
} from "@/app/(console)/travelers/[externalUserId]/traveler-view";
import { POST } from "@/app/api/webhooks/hubby/route";
import { db } from "@/lib/db";
import { SANDBOX_CREDENTIALS, resetEnvCache } from "@/lib/env";
import { resetHubbyClient } from "@/lib/hubby";
import { HubbyClient } from "@/lib/hubby/client";
import type { Sandbox } from "@/lib/hubby-sandbox/sandbox";
import { travelerGaps, travelerTimeline, usageSamples } from "@/lib/travelers/traveler";
import { refreshTraveler } from "@/lib/webhooks/reconcile";
import { sampleEvent, type handledEvents } from "@/lib/webhooks/samples";
import { form, signInAs } from "../support/factories";
import { textOfStreamed } from "../support/render";
import { startReceiver, startTestSandbox } from "../support/sandbox";
import { setSession } from "../support/session";
import { WEBHOOK_KEY, webhookRequest } from "../support/webhooks";

// The traveler page's data (journey timeline, milestones, gaps), its support summary action and its fallback
// to stored state, against webhook events sent through the real route and the in-memory sandbox.
let sandbox: Sandbox;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
const DAY = 86_400_000;
const now = Date.now();
const departure = new Date(now - 3 * DAY).toISOString().replace(/\.\d{3}Z$/, "Z");

async function send(
  event: (typeof handledEvents)[number],
  at: number,
  data: Record<string, unknown> = {},
  ids = { externalUserId: "journey_gaps", bookingId: "bk_gaps", packageId: "pkg_gaps" },
) {
  const body = sampleEvent(event, ids, new Date(at));
  const response = await POST(webhookRequest(JSON.stringify({ ...body, data: { ...body.data, ...data } })));
  expect(response.status).toBe(200);
}

/**
 * The page's own server components (no hooks), rendered in place, its streamed parts awaited; every other component
 * gives its children.
 */
const renderedInPlace = new Set<unknown>([
  OverviewTab,
  UsageTab,
  DataLeftMeter,
  PackageMeter,
  UsageMeter,
  TravelerPageView,
  TravelerFromHubby,
  TravelerNotFound,
  LiveIccid,
  LiveStatus,
  HubbyDownBanner,
  LivePanel,
]);

const renderPage = async (externalUserId: string, searchParams: Record<string, string> = {}) =>
  textOfStreamed(
    await TravelerPage({
      params: Promise.resolve({ externalUserId: encodeURIComponent(externalUserId) }),
      searchParams: Promise.resolve(searchParams),
    }),
    renderedInPlace,
  );

function useHubby(settings: Record<string, string>) {
  Object.assign(process.env, settings);
  resetEnvCache();
  resetHubbyClient();
}

beforeAll(async () => {
  process.env.HUBBY_WEBHOOK_API_KEY = WEBHOOK_KEY;
  receiver = await startReceiver();
  sandbox = await startTestSandbox({
    webhookUrl: receiver.url,
    credentials: { apiKey: SANDBOX_CREDENTIALS.apiKey, apiSecret: SANDBOX_CREDENTIALS.apiSecret },
  });
  useHubby({ HUBBY_SANDBOX_PORT: new URL(sandbox.url).port });
  const client = new HubbyClient({ baseUrl: `${sandbox.url}/api`, ...SANDBOX_CREDENTIALS });
  await client.createBooking({
    departure_date: new Date(now + 3 * DAY).toISOString(),
    package_specifications: [{ external_user_id: "live_only", destination: "IT", size: "3GB" }],
  });

  // A journey with every kind of gap: reminders that found no eSIM, a departure without an install, an
  // activation without an install event, and an 80% event without the 20% and 50% ones.
  await send("booking.within_cutoff", now - 10 * DAY, { departure_date: departure, esim_installed: false });
  await send("booking.about_to_depart", now - 3 * DAY - 2 * 3_600_000, {
    departure_date: departure,
    esim_installed: false,
  });
  await send("package.activated", now - 3 * DAY + 3_600_000);
  await send("package.usage.80_percent", now - DAY);
});

afterEach(() => {
  sandbox.faults.clear();
  useHubby({ HUBBY_TIMEOUT_MS: "15000", HUBBY_GET_RETRIES: "2", HUBBY_PAGE_BUDGET_MS: "5000" });
});

afterAll(async () => {
  await sandbox.close();
  await receiver.close();
  delete process.env.HUBBY_SANDBOX_PORT;
  resetEnvCache();
  resetHubbyClient();
});

describe("journey timeline", () => {
  it("merges webhooks with booking milestones newest first, linking each webhook to its detail", async () => {
    const timeline = (await travelerTimeline("journey_gaps")).entries;
    const milestones = timeline.filter((entry) => entry.kind === "milestone");
    expect(milestones.map((entry) => entry.title)).toEqual(["Departure", "About to depart", "Within cutoff"]);
    expect(milestones[0]).toMatchObject({
      at: new Date(departure).toISOString(),
      href: "/webhooks?booking=bk_gaps",
    });
    expect(milestones[1]!.detail).toBe("bk_gaps · eSIM not installed");
    const times = timeline.map((entry) => Date.parse(entry.at));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const webhooks = timeline.filter((entry) => entry.kind === "webhook");
    expect(webhooks).toHaveLength(4);
    for (const entry of webhooks) expect(entry.href).toMatch(/^\/webhooks\/\d+$/);
  });

  it("reads only the kinds asked for", async () => {
    const onlyMilestones = (await travelerTimeline("journey_gaps", { kinds: ["milestone"] })).entries;
    expect(new Set(onlyMilestones.map((entry) => entry.kind))).toEqual(new Set(["milestone"]));
  });

  it("flags every gap of the journey", async () => {
    const gaps = await travelerGaps("journey_gaps", new Date(now));
    expect(gaps.map((gap) => gap.kind).sort()).toEqual([
      "about_to_depart_not_installed",
      "activated_without_install_event",
      "departed_without_install",
      "usage_threshold_skipped",
      "within_cutoff_not_installed",
    ]);
    expect(gaps.find((gap) => gap.kind === "usage_threshold_skipped")!.message).toBe(
      "Package pkg_gaps reached 80% without the 20% and 50% events.",
    );
  });

  it("an install event closes the reminder gaps and the departure gap as resolved later", async () => {
    const ids = { externalUserId: "journey_late", bookingId: "bk_late", packageId: "pkg_late" };
    await send("booking.within_cutoff", now - 10 * DAY, { departure_date: departure, esim_installed: false }, ids);
    await send("esim.installed", now - 2 * DAY, {}, ids);
    const gaps = await travelerGaps("journey_late", new Date(now));
    expect(gaps.map((gap) => [gap.kind, gap.resolvedAt !== null])).toEqual([
      ["departed_without_install", true],
      ["within_cutoff_not_installed", true],
    ]);
  });

  it("links Hubby calls and staff actions to the admin logs only when asked to", async () => {
    await signInAs("support");
    await copySupportSummaryAction(null, form({ externalUserId: "journey_gaps" }));
    const plain = (await travelerTimeline("journey_gaps", { kinds: ["hubby", "staff"] })).entries;
    expect(plain.length).toBeGreaterThan(0);
    expect(plain.every((entry) => entry.href === null)).toBe(true);
    const { entries: admin } = await travelerTimeline("journey_gaps", {
      kinds: ["hubby", "staff"],
      links: { apiLog: true, audit: true },
    });
    const call = admin.find((entry) => entry.kind === "hubby")!;
    expect(call.href).toMatch(/^\/api-log\?q=[\w-]+$/);
    expect(admin.find((entry) => entry.kind === "staff")!.href).toMatch(/^\/audit\?q=[\w-]+$/);
  });
});

describe("copy support summary", () => {
  it("summarises the live state with the request id of the dashboard call, and audits it", async () => {
    const staff = await signInAs("support");
    const result = await copySupportSummaryAction(
      null,
      form({ externalUserId: "live_only", link: "http://console.test/travelers/live_only?tab=timeline" }),
    );
    if (!result.ok) throw new Error(result.message);
    const call = await db().apiCall.findFirstOrThrow({
      where: { externalUserId: "live_only", endpoint: "GET /native/user-dashboard" },
      orderBy: { at: "desc" },
    });
    expect(result.data.text).toContain("Hubby traveler support summary: live_only");
    expect(result.data.text).toContain("Console: http://console.test/travelers/live_only?tab=timeline");
    expect(result.data.text).toContain("State: live from Hubby");
    expect(result.data.text).toContain(`ICCID: ${sandbox.world.travelers.live_only!.esim!.iccid}`);
    // Hubby documents a queue entry's destination only as its ISO3 code; the sandbox also sends the one booked.
    const destination = sandbox.options.shapes === "documented" ? "ITA" : "IT";
    expect(result.data.text).toMatch(
      new RegExp(`Package queue \\(1\\):\\n {2}\\S+: ${destination} · 3 GB, queued .*, not redeemed`),
    );
    expect(result.data.text).toContain(`request ${call.requestId}`);
    expect(
      await db().auditEntry.findFirst({
        where: { action: "travelers.copy_summary", externalUserId: "live_only", actorId: staff.id, result: "ok" },
      }),
    ).not.toBeNull();
  });

  it("falls back to stored state with the gaps and the last events when Hubby does not know the traveler", async () => {
    await signInAs("campaign_manager");
    const result = await copySupportSummaryAction(null, form({ externalUserId: "journey_gaps" }));
    if (!result.ok) throw new Error(result.message);
    expect(result.data.text).toContain("Hubby not asked: Hubby does not know this traveler");
    expect(result.data.text).toContain("Package queue: unknown (needs Hubby)");
    expect(result.data.text).toContain("Gaps (5):");
    expect(result.data.text).toContain("Last 4 events:");
    expect(result.data.text).toContain("package.usage.80_percent  bk_gaps · pkg_gaps");
  });

  it("refuses an unknown traveler and a link that is not http(s)", async () => {
    await signInAs("support");
    expect(await copySupportSummaryAction(null, form({ externalUserId: "nobody_anywhere" }))).toEqual({
      ok: false,
      message: "Neither the console nor Hubby knows a traveler “nobody_anywhere”.",
      fieldErrors: undefined,
    });
    expect(
      await copySupportSummaryAction(null, form({ externalUserId: "journey_gaps", link: "javascript:alert(1)" })),
    ).toMatchObject({ ok: false, fieldErrors: { link: expect.any(Array) } });
  });

  it("refuses a signed-out caller and counts the refusal, without an audit entry per call", async () => {
    setSession(null);
    for (let call = 0; call < 3; call++) {
      await expect(copySupportSummaryAction(null, form({ externalUserId: "journey_gaps" }))).rejects.toMatchObject({
        digest: expect.stringMatching(/^NEXT_REDIRECT;.*\/login/),
      });
    }
    expect(await db().auditEntry.count({ where: { action: "travelers.copy_summary", actorId: null } })).toBe(0);
    const buckets = await db().refusalCount.findMany({
      where: { kind: "action", reason: "signed_out travelers.copy_summary" },
    });
    expect(buckets.reduce((sum, bucket) => sum + bucket.count, 0)).toBe(3);
    expect(buckets.length).toBeLessThanOrEqual(2);
  });
});

describe("redeem without a session", () => {
  it("is refused before Hubby is called, and counted", async () => {
    // Every role may redeem (lib/auth/roles.ts), so the caller without rights is one without a session.
    const queueId = sandbox.world.travelers.live_only!.package_queues[0]!.id;
    setSession(null);
    await expect(
      redeemPackageAction(null, form({ externalUserId: "live_only", packageQueueId: queueId })),
    ).rejects.toMatchObject({ digest: expect.stringMatching(/^NEXT_REDIRECT;.*\/login/) });
    expect(sandbox.world.travelers.live_only!.package_queues[0]!.redeemed_at ?? null).toBeNull();
    expect(
      await db().apiCall.count({ where: { externalUserId: "live_only", endpoint: "POST /native/redeem-package" } }),
    ).toBe(0);
    expect(
      await db().refusalCount.findFirst({ where: { kind: "action", reason: "signed_out travelers.redeem" } }),
    ).toMatchObject({ count: 1 });
  });
});

describe("the page", () => {
  it("shows and stores a traveler only Hubby knows", async () => {
    await signInAs("support");
    await db().traveler.deleteMany({ where: { externalUserId: "live_only" } });
    const text = await renderPage("live_only");
    expect(text).toContain("live_only");
    expect(text).toContain("Live from Hubby, fetched");
    expect(await db().traveler.findUnique({ where: { externalUserId: "live_only" } })).not.toBeNull();
  });

  it("names what was searched when neither the console nor Hubby knows the traveler", async () => {
    await signInAs("support");
    const text = await renderPage("nobody_at_all");
    expect(text).toContain("Traveler not found");
    expect(text).toContain("You looked for the external_user_id “nobody_at_all”");
    expect(text).toContain("Neither the console nor Hubby knows a traveler with that id.");
  });

  it("gives a Hubby that never answers one page budget, then renders stored state", async () => {
    // The background budgets stay at their defaults (15 s per attempt, 2 retries): only the page budget is short.
    useHubby({ HUBBY_TIMEOUT_MS: "15000", HUBBY_GET_RETRIES: "2", HUBBY_PAGE_BUDGET_MS: "800" });
    sandbox.faults.add({ kind: "timeout", ms: 60_000, path: "/native/user-dashboard" });
    await signInAs("support");
    const started = performance.now();
    const text = await renderPage("live_only", { tab: "timeline", kinds: "milestone" });
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(text).toContain("Hubby could not be reached:");
    expect(text).toContain("Stored state, last updated");
  });

  for (const fault of [
    { kind: "timeout", ms: 5_000 },
    { kind: "status", status: 503 },
    { kind: "status", status: 401 },
    { kind: "malformed" },
  ] as const) {
    it(`renders from stored state with the banner when Hubby answers ${fault.kind} ${"status" in fault ? fault.status : ""}`, async () => {
      useHubby({ HUBBY_TIMEOUT_MS: "500", HUBBY_GET_RETRIES: "0" });
      sandbox.faults.add({ ...fault, path: "/native/user-dashboard" });
      await signInAs("support");
      const text = await renderPage("live_only", { tab: "timeline", kinds: "milestone" });
      expect(text).toContain("Hubby could not be reached:");
      expect(text).toMatch(
        /Showing what the console stored from webhooks, last updated \d{4}-\d\d-\d\d \d\d:\d\d UTC \(/,
      );
      expect(text).toContain("Stored state, last updated");
    });
  }
});

describe("meters", () => {
  // A traveler with a redeemed GR 1GB package, 60% used at the sandbox, whose 50% usage webhook arrived an hour
  // ago; and one Hubby does not know, with a used package and a fresh top-up known from webhooks only.
  const GB = 1_073_741_824;
  const METERED = "meter_user";
  let packageId = "";
  const documented = () => sandbox.options.shapes === "documented";

  beforeAll(async () => {
    const client = new HubbyClient({ baseUrl: `${sandbox.url}/api`, ...SANDBOX_CREDENTIALS });
    await client.createBooking({
      departure_date: new Date(now + DAY).toISOString(),
      package_specifications: [{ external_user_id: METERED, destination: "GR", size: "1GB" }],
    });
    const traveler = sandbox.world.travelers[METERED]!;
    await client.redeemPackage({ external_user_id: METERED, package_queue_id: traveler.package_queues[0]!.id });
    const pkg = traveler.packages[0]!;
    pkg.used_bytes = Math.round(0.6 * GB);
    pkg.date_activated = new Date(now - 2 * DAY).toISOString();
    traveler.esim!.status = "ENABLED";
    packageId = pkg.id;
    const ids = { externalUserId: METERED, bookingId: pkg.booking_id, packageId };
    await send("package.activated", now - 2 * DAY, {}, ids);
    await send("package.usage.50_percent", now - 3_600_000, {}, ids);

    const topUp = { externalUserId: "webhooks_only", bookingId: "bk_topup" };
    await send("package.activated", now - 10 * DAY, {}, { ...topUp, packageId: "pkg_first" });
    await send("package.usage.80_percent", now - 2 * DAY, {}, { ...topUp, packageId: "pkg_first" });
    await send("package.activated", now - DAY, {}, { ...topUp, packageId: "pkg_topup" });
    await send("package.usage.20_percent", now - 7_200_000, {}, { ...topUp, packageId: "pkg_topup" });
  });

  it("shows the eSIM's data left of its total, as of the dashboard call", async () => {
    await signInAs("support");
    const text = await renderPage(METERED);
    expect(text).toMatch(/0\.40 GB left of 1 GB \(60% used\), as of \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
  });

  it("shows a package's meter only where its usage is known, labelled by its source", async () => {
    await signInAs("support");
    const text = await renderPage(METERED);
    if (documented()) {
      // The documented package has no id and no bytes used: no meter of its own, and no activation time.
      expect(text).toContain("GRCACTIVE1 GB · assigned");
      expect(text).toContain("No usage reported for this package yet");
      // The webhook's package is listed on its own, with the webhook's reading.
      expect(text).toContain("Also reported by Hubby's usage webhooks:");
      expect(text).toMatch(
        new RegExp(`GR · 1GB · ${packageId}0\\.50 GB used of 1 GB \\(50%\\), from Hubby's usage webhook at `),
      );
      expect(text).not.toContain("sandbox's dashboard");
    } else {
      // The sandbox names its packages and their bytes: the live reading, newer than the webhook's, is shown.
      expect(text).toMatch(/0\.60 GB used of 1 GB \(60%\), from the sandbox's dashboard at \d{4}-/);
      expect(text).not.toContain("Also reported by Hubby's usage webhooks:");
    }
  });

  it("charts per package from its readings, and heads the usage tab with the traveler's usage", async () => {
    await signInAs("support");
    const text = await renderPage(METERED, { tab: "usage" });
    expect(text).toMatch(
      /The eSIM has used 60% of its data \(0\.40 GB left of 1 GB\), as of .* UTC, from the sandbox's dashboard\./,
    );
    expect(text).toContain(`Current package: GR · 1GB · ${packageId}`);
    expect(text).toContain("Hubby's usage webhook");
    if (documented()) {
      expect(text).toContain("50% used (0.50 GB) of 1 GB");
      expect(text).not.toContain("the sandbox's dashboard (live)");
    } else {
      expect(text).toContain("60% used (0.60 GB) of 1 GB");
      expect(text).toContain("the sandbox's dashboard (live)");
    }
  });

  it("tells webhook readings from stored dashboard readings, which only richer dashboards give", async () => {
    const client = new HubbyClient({ baseUrl: `${sandbox.url}/api`, ...SANDBOX_CREDENTIALS });
    await refreshTraveler(client, METERED);
    const readings = (await usageSamples(METERED)).get(packageId)!;
    expect(readings.map((reading) => [reading.percent, reading.source])).toEqual(
      documented()
        ? [[50, "webhook"]]
        : [
            [50, "webhook"],
            // Stored in whole percent, rounded down (lib/webhooks/reconcile.ts).
            [59, "dashboard"],
          ],
    );
  });

  it("without the dashboard, reads the current package: a used package does not hide a fresh top-up", async () => {
    await signInAs("support");
    const usage = await renderPage("webhooks_only", { tab: "usage" });
    expect(usage).toMatch(
      /Current package GR · 1GB · pkg_topup: 20% used, from Hubby's usage webhook at \d{4}-\d\d-\d\d \d\d:\d\d UTC\./,
    );
    const overview = await renderPage("webhooks_only");
    expect(overview).toMatch(/pkg_topup.*0\.20 GB used of 1 GB \(20%\), from Hubby's usage webhook at /);
    expect(overview).toMatch(/pkg_first.*0\.80 GB used of 1 GB \(80%\), from Hubby's usage webhook at /);
  });
});
