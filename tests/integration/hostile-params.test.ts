import crypto from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import ApiLogPage from "@/app/(console)/api-log/page";
import AuditPage from "@/app/(console)/audit/page";
import BookingPage from "@/app/(console)/bookings/[id]/page";
import NewBookingPage from "@/app/(console)/bookings/new/page";
import HubbyBookingsPage from "@/app/(console)/bookings/hubby/page";
import BookingsPage from "@/app/(console)/bookings/page";
import CampaignPage from "@/app/(console)/campaigns/[id]/page";
import { GET as campaignProgress } from "@/app/(console)/campaigns/[id]/progress/route";
import { GET as campaignRowsCsv } from "@/app/(console)/campaigns/[id]/rows.csv/route";
import CampaignsPage from "@/app/(console)/campaigns/page";
import CatalogPage from "@/app/(console)/catalog/page";
import InstructionsPage from "@/app/(console)/instructions/page";
import SnapshotPage from "@/app/(console)/instructions/snapshots/[id]/page";
import StaffPage from "@/app/(console)/staff/page";
import TravelerPage from "@/app/(console)/travelers/[externalUserId]/page";
import { GET as travelersCsv } from "@/app/(console)/travelers/export.csv/route";
import TravelersPage from "@/app/(console)/travelers/page";
import WebhookEventPage from "@/app/(console)/webhooks/[id]/page";
import WebhooksPage from "@/app/(console)/webhooks/page";
import PromoCodesPage from "@/app/(console)/promo-codes/page";
import { createIntent } from "@/lib/bookings/intents";
import { bookingReference, buildBookingRequest, type BookingDraft } from "@/lib/bookings/request";
import { dryRunCampaign } from "@/lib/campaigns/dry-run";
import { refreshCatalog } from "@/lib/catalog/catalog";
import { db } from "@/lib/db";
import { makeStaff, signInAs } from "../support/factories";
import { withConsoleSandbox } from "../support/sandbox";

// Issue 15, item 7: every screen and route handler that reads search or route parameters, called as an admin with
// values that broke them (NUL bytes reached PostgreSQL, impossible dates became invalid Date objects, 36 dashes
// reached a uuid column). Each must render, redirect to its canonical URL, or answer 404: never throw otherwise.
// Run on PGlite and on PostgreSQL (TEST_DATABASE_URL), whose wire protocol refuses NUL differently.

/** Search parameter values as Next.js hands them to a page: already decoded. */
const HOSTILE_VALUES: Record<string, string | string[]> = {
  nul: "\u0000",
  "nul inside": "abc\u0000def",
  "impossible date": "2026-13-45",
  "February 30": "2026-02-30",
  "year 0": "0000-01-01",
  "last day of year 9999": "9999-12-31",
  "bad percent-encoding, as decoded": "\uFFFD%A",
  "bad percent-encoding, as sent": "%E0%A4%A",
  "36 dashes": "-".repeat(36),
  "very long": "x".repeat(10_000),
  unicode: "Zoë 🚀 日本 \u202E",
  "lone surrogate": "\uD800",
  "huge number": "99999999999999999999999",
  "SQL-ish": "' OR 1=1--",
  "line break": "a\nb",
  repeated: ["a", "\u0000"],
};

/** Route parameter values as Next.js hands them to a page: still percent-encoded. */
const HOSTILE_IDS: Record<string, string> = {
  nul: "%00",
  "nul inside": "abc%00def",
  "impossible date": "2026-13-45",
  "truncated percent-encoding": "%E0%A4%A",
  "lone percent": "%",
  "encoded surrogate": "%ED%A0%80",
  "36 dashes": "-".repeat(36),
  "very long": "x".repeat(10_000),
  unicode: "Zo%C3%AB%20%F0%9F%9A%80",
  "encoded slashes": "%2F%2Fevil.example",
  "huge number": "99999999999999999999999",
  "unknown uuid": "00000000-0000-4000-8000-000000000000",
};

const TRAVELER = "hostile_params_traveler";
const ids = { campaign: "", booking: "", webhookEvent: "", snapshot: "" };

withConsoleSandbox({
  env: { HUBBY_GET_RETRIES: "0" },
  setup: async (hubby) => {
    await hubby.createBooking({
      departure_date: new Date(Date.now() + 3 * 86_400_000).toISOString(),
      package_specifications: [{ external_user_id: TRAVELER, destination: "IT", size: "3GB" }],
    });
    await refreshCatalog(hubby);
  },
});

beforeAll(async () => {
  const actor = await makeStaff("admin");
  const departure = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
  const campaign = await dryRunCampaign({
    name: "hostile",
    fileName: "hostile.csv",
    source: [
      Buffer.from(
        "external_user_id,destination,size,package_type,departure_date\n" +
          `${TRAVELER},GR,1GB,data-limited,${departure}T09:00:00+02:00\nbad_row,XX,1GB,data-limited,${departure}\n`,
      ),
    ],
    actor,
  });
  if (campaign.outcome !== "stored") throw new Error(`The campaign was not stored: ${JSON.stringify(campaign)}`);
  ids.campaign = campaign.campaignId;

  const clientKey = crypto.randomUUID();
  const draft: BookingDraft = {
    travelers: [TRAVELER],
    specs: [{ destinations: ["GR"], packageType: "data-limited", size: "1GB" }],
    departureDate: departure,
    departureTime: "09:30",
    timeZone: "Europe/Athens",
    locale: "",
    customBranding: undefined,
  };
  const { intent } = await createIntent({
    clientKey,
    kind: "issue",
    request: buildBookingRequest(draft, bookingReference(clientKey)),
    destinations: ["GR"],
    actor: null,
  });
  ids.booking = intent.id;

  const event = await db().webhookEvent.create({
    data: {
      eventType: "esim.installed",
      dedupeKey: crypto.randomUUID(),
      headers: {},
      rawBody: "{}",
      status: "processed",
      externalUserId: TRAVELER,
    },
  });
  ids.webhookEvent = String(event.id);
  const snapshot = await db().instructionSnapshot.create({
    data: { externalUserId: TRAVELER, inputs: {}, format: "html", html: "<p>Install</p>" },
  });
  ids.snapshot = snapshot.id;

  await signInAs("admin");
});

type Outcome = "rendered" | "404" | "redirect" | `failed: ${string}`;

/** What a page does when Next.js renders it: its element tree, notFound(), redirect(), or an error. */
async function outcomeOf(render: () => Promise<unknown>): Promise<Outcome> {
  try {
    await render();
    return "rendered";
  } catch (error) {
    const digest = typeof error === "object" && error !== null ? (error as { digest?: unknown }).digest : undefined;
    if (typeof digest === "string" && digest.startsWith("NEXT_HTTP_ERROR_FALLBACK;404")) return "404";
    if (typeof digest === "string" && digest.startsWith("NEXT_REDIRECT")) return "redirect";
    const message = error instanceof Error ? error.message : String(error);
    return `failed: ${message.replace(/\s+/g, " ").slice(-160)}`;
  }
}

type SearchParams = Record<string, string | string[]>;
const noSearch = Promise.resolve({});

/** Every page that reads search parameters, with the keys it reads (a detail page shows a real record). */
const searchScreens: { name: string; keys: string[]; render: (searchParams: SearchParams) => Promise<unknown> }[] = [
  {
    name: "/travelers",
    keys: [
      "q",
      "esim",
      "departing",
      "crossed",
      "crossedDays",
      "idle",
      "campaign",
      "step",
      "sort",
      "page",
      "hide",
      "go",
    ],
    render: (query) => TravelersPage({ searchParams: Promise.resolve(query) }),
  },
  {
    name: "/travelers/<id>",
    keys: ["tab", "kinds", "gaps"],
    render: (query) =>
      TravelerPage({ params: Promise.resolve({ externalUserId: TRAVELER }), searchParams: Promise.resolve(query) }),
  },
  {
    name: "/bookings",
    keys: ["status", "kind", "user", "destination", "actor", "from", "to", "page"],
    render: (query) => BookingsPage({ searchParams: Promise.resolve(query) }),
  },
  {
    name: "/bookings/hubby",
    keys: ["page", "perPage"],
    render: (query) => HubbyBookingsPage({ searchParams: Promise.resolve(query) }),
  },
  {
    name: "/bookings/new",
    keys: ["topUp", "externalUserId", "mode"],
    render: (query) => NewBookingPage({ searchParams: Promise.resolve(query) }),
  },
  {
    name: "/campaigns",
    keys: ["page"],
    render: (query) => CampaignsPage({ searchParams: Promise.resolve(query) }),
  },
  {
    name: "/campaigns/<id>",
    keys: ["rows", "page"],
    render: (query) =>
      CampaignPage({ params: Promise.resolve({ id: ids.campaign }), searchParams: Promise.resolve(query) }),
  },
  {
    name: "/promo-codes",
    keys: ["status", "source", "campaign", "q", "dates", "from", "to", "intent", "page"],
    render: (query) => PromoCodesPage({ searchParams: Promise.resolve(query) }),
  },
  {
    name: "/catalog",
    keys: ["q", "kind"],
    render: (query) => CatalogPage({ searchParams: Promise.resolve(query) }),
  },
  {
    name: "/webhooks",
    keys: ["type", "status", "from", "to", "user", "booking", "package", "sort", "page"],
    render: (query) => WebhooksPage({ searchParams: Promise.resolve(query) }),
  },
  {
    name: "/instructions",
    keys: ["externalUserId", "row", "locale", "customDevice", "customOs", "customVersion", "brand"],
    render: (query) => InstructionsPage({ searchParams: Promise.resolve(query) }),
  },
  {
    name: "/staff",
    keys: ["q", "page", "sort", "status"],
    render: (query) => StaffPage({ searchParams: Promise.resolve(query) }),
  },
  {
    name: "/audit",
    keys: ["q", "result", "from", "to", "page"],
    render: (query) => AuditPage({ searchParams: Promise.resolve(query) }),
  },
  {
    name: "/api-log",
    keys: ["q", "endpoint", "method", "outcome", "from", "to", "page"],
    render: (query) => ApiLogPage({ searchParams: Promise.resolve(query) }),
  },
];

/** Every page with an id in its path; `rendersUnknownIds` for the traveler page, which asks Hubby about any id. */
const idScreens: { name: string; rendersUnknownIds?: boolean; render: (id: string) => Promise<unknown> }[] = [
  {
    name: "/travelers/<id>",
    rendersUnknownIds: true,
    render: (id) => TravelerPage({ params: Promise.resolve({ externalUserId: id }), searchParams: noSearch }),
  },
  { name: "/bookings/<id>", render: (id) => BookingPage({ params: Promise.resolve({ id }) }) },
  {
    name: "/campaigns/<id>",
    render: (id) => CampaignPage({ params: Promise.resolve({ id }), searchParams: noSearch }),
  },
  { name: "/webhooks/<id>", render: (id) => WebhookEventPage({ params: Promise.resolve({ id }) }) },
  { name: "/instructions/snapshots/<id>", render: (id) => SnapshotPage({ params: Promise.resolve({ id }) }) },
];

describe("hostile search parameters", () => {
  it.each(searchScreens)("$name renders or redirects for every hostile value", async ({ keys, render }) => {
    const failures: string[] = [];
    for (const [name, value] of Object.entries(HOSTILE_VALUES)) {
      // Every key at once, then each key alone, so one key's fallback cannot hide another's failure.
      const cases = [Object.fromEntries(keys.map((key) => [key, value])), ...keys.map((key) => ({ [key]: value }))];
      for (const searchParams of cases) {
        const outcome = await outcomeOf(() => render(searchParams));
        if (outcome !== "rendered" && outcome !== "redirect") {
          failures.push(`${name} in ${Object.keys(searchParams).join("+")}: ${outcome}`);
        }
      }
    }
    expect(failures, failures.join("\n")).toEqual([]);
  });
});

describe("hostile route parameters", () => {
  it.each(idScreens)("$name renders its not-found state or answers 404", async ({ render, rendersUnknownIds }) => {
    const failures: string[] = [];
    for (const [name, value] of Object.entries(HOSTILE_IDS)) {
      const outcome = await outcomeOf(() => render(value));
      // The traveler page asks Hubby about any well-formed id and shows "Traveler not found".
      if (outcome !== "404" && !(outcome === "rendered" && rendersUnknownIds)) {
        failures.push(`${name}: ${outcome}`);
      }
    }
    expect(failures, failures.join("\n")).toEqual([]);
  });

  it("the real records still open", async () => {
    const opened = await Promise.all([
      outcomeOf(() =>
        TravelerPage({ params: Promise.resolve({ externalUserId: TRAVELER }), searchParams: Promise.resolve({}) }),
      ),
      outcomeOf(() => BookingPage({ params: Promise.resolve({ id: ids.booking }) })),
      outcomeOf(() =>
        CampaignPage({ params: Promise.resolve({ id: ids.campaign }), searchParams: Promise.resolve({}) }),
      ),
      outcomeOf(() => WebhookEventPage({ params: Promise.resolve({ id: ids.webhookEvent }) })),
      outcomeOf(() => SnapshotPage({ params: Promise.resolve({ id: ids.snapshot }) })),
    ]);
    expect(opened).toEqual(["rendered", "rendered", "rendered", "rendered", "rendered"]);
  });
});

describe("route handlers", () => {
  const request = (path: string) => new Request(`http://console.test${path}`);

  /** The status, with the whole body read: a streamed download can fail after its headers. */
  async function statusOf(response: Promise<Response>): Promise<string> {
    try {
      const answered = await response;
      await answered.text();
      return String(answered.status);
    } catch (error) {
      return `failed: ${error instanceof Error ? error.message.replace(/\s+/g, " ").slice(-160) : String(error)}`;
    }
  }

  it("campaign progress and result downloads answer 404 for a hostile id", async () => {
    const failures: string[] = [];
    for (const [name, id] of Object.entries(HOSTILE_IDS)) {
      const context = { params: Promise.resolve({ id }) };
      const progress = await statusOf(campaignProgress(request(`/campaigns/${id}/progress`), context));
      const rows = await statusOf(campaignRowsCsv(request(`/campaigns/${id}/rows.csv`), context));
      if (progress !== "404") failures.push(`progress, ${name}: ${progress}`);
      if (rows !== "404") failures.push(`rows.csv, ${name}: ${rows}`);
    }
    expect(failures, failures.join("\n")).toEqual([]);
  });

  it("downloads refuse parameters they cannot read with 400 and a message, and serve the rest", async () => {
    const failures: string[] = [];
    const context = { params: Promise.resolve({ id: ids.campaign }) };
    for (const [name, value] of Object.entries(HOSTILE_VALUES)) {
      // URLSearchParams writes a lone surrogate as U+FFFD, as a browser does.
      const parts = [value].flat();
      const only = new URLSearchParams(parts.map((part) => ["only", part]));
      const filter = new URLSearchParams(
        parts.flatMap((part) =>
          ["q", "esim", "departing", "campaign", "step", "crossed", "idle"].map((key) => [key, part]),
        ),
      );
      const rows = await statusOf(campaignRowsCsv(request(`/campaigns/${ids.campaign}/rows.csv?${only}`), context));
      const exported = await statusOf(travelersCsv(request(`/travelers/export.csv?${filter}`)));
      if (rows !== "200" && rows !== "400") failures.push(`rows.csv, ${name}: ${rows}`);
      if (exported !== "200" && exported !== "400") failures.push(`export.csv, ${name}: ${exported}`);
    }
    expect(failures, failures.join("\n")).toEqual([]);

    const refused = await travelersCsv(request("/travelers/export.csv?q=%00&departing=2026-13-45"));
    expect(refused.status).toBe(400);
    expect(await refused.text()).toMatch(/could not be read: q, departing/);
    const served = await campaignRowsCsv(request(`/campaigns/${ids.campaign}/rows.csv?only=errors`), context);
    expect(served.status).toBe(200);
    expect(await served.text()).toContain("bad_row");
  });
});
