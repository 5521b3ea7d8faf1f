import { beforeAll, describe, expect, it } from "vitest";
import { computeSignature } from "@/lib/hubby/signing";
import type { Sandbox } from "@/lib/hubby-sandbox/sandbox";
import type { SandboxShapes } from "@/lib/hubby-sandbox/reply-shapes";
import { TEST_CREDENTIALS, startReceiver, startTestSandbox } from "../support/sandbox";
import { REFERENCE_PROMO_CODE_FIELDS } from "../support/hubby-reference";

// HUBBY_SANDBOX_SHAPES: with "documented" every reply of the sandbox's partner API carries exactly the fields the
// Hubby reference shows (the key sets below are written from the reference, not from the sandbox's code); with
// "full" (the default) it still carries its extensions.

// ── The reference's shapes, per object ──────────────────────────────────────────────────────────────────────

/** §3: `{success, data}` with an optional `message`; errors `{success, error: {code, message, details?}}`. */
const SUCCESS = ["success", "data"];
const SUCCESS_WITH_MESSAGE = ["success", "message", "data"];
const ERROR = ["success", "error"];
const ERROR_BODY = ["code", "message", "details"];
const ERROR_DETAILS = ["field", "issue"];

/** §4.1, the native and WebView guides' reply to POST /bookings. */
const CREATED_BOOKING = ["id", "package_specifications"];
const CREATED_SPEC = ["external_user_id", "package_id", "destination", "size", "status"];

/** §4.1, the promo-code flow's reply: `data` is an array of bookings, each with its codes. */
const PROMO_BOOKING = ["id", "promo_codes"];
const PROMO_CODE = REFERENCE_PROMO_CODE_FIELDS;

/** §4.2 says nothing of GET /bookings' shape; a stored booking has the fields §6.2 lists (T booking.ts). */
const STORED_BOOKING = [
  "id",
  "external_id",
  "external_user_id",
  "booking_id",
  "title",
  "first_name",
  "last_name",
  "full_name",
  "pax",
  "email",
  "phone",
  "gender",
  "flight_number",
  "departure_location",
  "brand",
  "locale",
  "status",
  "departure_date",
  "return_date",
  "package_specifications",
  "partner",
  "promo_codes",
  "users",
  "esims",
  "communication_options",
  "sent_messages",
  "financial_insights",
  "custom_branding",
  "hubby_foreign_identifiers",
  "is_pseudonymized",
  "is_processed_for_esim_restoration",
  "import_id",
  "data",
  "created_at",
  "updated_at",
  "created_by",
  "updated_by",
];
/** §4.1's package_specifications[] fields, plus the per-spec `status` of its reply. */
const BOOKING_SPEC = [
  "external_user_id",
  "destination",
  "size",
  "package_type",
  "package_duration",
  "package_id",
  "iso3",
  "bundle_id",
  "iata_code",
  "traffic_policy",
  "esim_type",
  "email",
  "expires_at",
  "status",
];

/** §4.5 GET /native/user-dashboard. */
const DASHBOARD = ["user", "package_queues", "current_esim", "current_esim_packages", "partner"];
const USER = ["id", "external_user_id", "has_universal_esim", "current_universal_esim"];
const QUEUE = ["id", "uuid", "type", "package_specification", "created_at", "redeemed_at"];
const QUEUE_SPEC = ["iso3", "bytes", "duration_days"];
const ESIM = ["provider", "name", "qr", "iccid", "total_data", "data_left", "data_used", "status", "time_assigned"];
const ESIM_PACKAGE = ["template", "destination_bundle", "destination_iso3", "assigned_at", "status", "total_bytes"];
const PARTNER = ["id", "name"];

/** §4.5 POST /native/redeem-package: the queue without its id; the eSIM and packages in the redeem variant. */
const REDEEM = ["package_queue", "current_esim", "current_esim_packages"];
const REDEEM_QUEUE = ["uuid", "type", "redeemed_at", "package_specification"];
const REDEEM_ESIM = [...ESIM, "last_updated", "esim_type"];
const REDEEM_PACKAGE = [
  ...ESIM_PACKAGE,
  "allowance_seconds",
  "allowance_hours",
  "allowance_days",
  "date_activated",
  "type",
];

/** §4.5: device compatibility, list and check. */
const DEVICE_LIST = ["devices"];
const DEVICE = ["phone_brand", "phone_model"];
const DEVICE_CHECK = ["phone_brand", "phone_model", "is_compatible"];

/** §4.3 POST /redirect-tokens/create. */
const REDIRECT_TOKEN = ["redirect_token", "expires_in"];

/** §4.6 leaves the catalogue JSON undocumented; §6.4 names the destination's and the bundle's fields. */
const DESTINATION = ["id", "type", "tier", "iso3s", "name", "i18n_name", "is_active", "sort_order"];
const DESTINATION_DETAIL = [...DESTINATION, "bundles"];
const BUNDLE = [
  "id",
  "parent_document_id",
  "type",
  "label",
  "provider",
  "duration_in_days",
  "duration_in_seconds",
  "size_in_bytes",
  "size_in_megabytes",
  "size_in_gigabytes",
  "package_template",
  "partner",
  "traffic_policy",
  "throttling",
  "b2c_price",
  "b2b_price",
  "partner_b2c_price",
  "partner_b2b_price",
  "is_active",
  "is_visible",
  "priority",
  "deleted_at",
  "deleted_by",
];

/** §4.5: the instructions reply "depends on format" and is otherwise undocumented: the format and its content. */
const INSTRUCTIONS_HTML = ["format", "html"];
const INSTRUCTIONS_JSON = ["format", "instructions"];

// ── Calling the sandbox as a partner backend would, reading the raw JSON ───────────────────────────────────

type Json = Record<string, unknown>;
const future = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().replace(/\.\d{3}Z$/, "Z");

async function call(sandbox: Sandbox, method: "GET" | "POST", path: string, body?: unknown) {
  const timestamp = String(Date.now());
  const response = await fetch(`${sandbox.url}/api${path}`, {
    method,
    headers: {
      "content-type": "application/json",
      "x-api-key": TEST_CREDENTIALS.apiKey,
      "x-timestamp": timestamp,
      "x-signature": computeSignature(TEST_CREDENTIALS.apiSecret, timestamp, method, `/api${path}`),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Json };
}

const keys = (value: unknown) => Object.keys(value as Json).sort();
const sorted = (list: readonly string[]) => [...list].sort();
const expectExactly = (value: unknown, documented: readonly string[]) =>
  expect(keys(value)).toEqual(sorted(documented));
const expectWithin = (value: unknown, documented: string[]) =>
  expect(keys(value).filter((key) => !documented.includes(key))).toEqual([]);
const data = (reply: { json: Json }) => reply.json.data as Json;

/**
 * One of each reply: bookings (created, listed, filtered), a dashboard with a queued entry, an active package and
 * a used-up one, a redeem, instructions, devices, the catalogue, a redirect token, and the error replies.
 */
async function collectReplies(sandbox: Sandbox) {
  const user = "shapes_user";
  const created = await call(sandbox, "POST", "/bookings", {
    booking_id: "SHAPES-001",
    departure_date: future(5),
    package_specifications: [
      { external_user_id: user, destination: "GR", size: "1GB" },
      { external_user_id: user, destination: "IT", size: "3GB" },
      { external_user_id: user, destination: "ES", size: "5GB" },
    ],
  });
  const queueIds = (
    data(await call(sandbox, "GET", `/native/user-dashboard?external_user_id=${user}`)).package_queues as Json[]
  ).map((queue) => queue.id as string);
  await call(sandbox, "POST", "/native/redeem-package", { external_user_id: user, package_queue_id: queueIds[0] });
  // The first package is used up before the second is redeemed: the dashboard then holds one of each.
  const first = sandbox.world.travelers[user]!.packages[0]!;
  first.used_bytes = first.total_bytes!;
  first.status = "DEPLETED";
  const redeemed = await call(sandbox, "POST", "/native/redeem-package", {
    external_user_id: user,
    package_queue_id: queueIds[1],
  });
  return {
    created,
    promo: await call(sandbox, "POST", "/bookings", {
      departure_date: future(5),
      package_specifications: [{ destination: "TR", size: "1GB" }],
    }),
    redeemed,
    dashboard: await call(sandbox, "GET", `/native/user-dashboard?external_user_id=${user}`),
    list: await call(sandbox, "GET", "/bookings?perPage=10"),
    byReference: await call(sandbox, "GET", "/bookings?bookingId=SHAPES-001"),
    instructions: await call(sandbox, "POST", "/native/instructions", {
      format: "html",
      external_user_id: user,
      device_name: "Google Pixel 10",
      device_type: "phone",
      phone_os: "android",
      os_version: "15",
      locale: "mk-MK",
    }),
    instructionsJson: await call(sandbox, "POST", "/native/instructions", {
      format: "json",
      external_user_id: user,
      device_name: "iPhone 15 Pro",
      phone_os: "ios",
      os_version: "17.4",
    }),
    devices: await call(sandbox, "GET", "/native/device-compatibility"),
    deviceCheck: await call(sandbox, "POST", "/native/device-compatibility", {
      phone_brand: "Samsung",
      phone_model: "Galaxy S24",
    }),
    destinations: await call(sandbox, "GET", "/destinations"),
    greece: await call(sandbox, "GET", "/destinations/GR"),
    europe: await call(sandbox, "GET", "/destinations/EU"),
    token: await call(sandbox, "POST", "/redirect-tokens/create", { external_user_id: user }),
    invalid: await call(sandbox, "POST", "/bookings", {
      departure_date: future(3),
      package_specifications: [{ external_user_id: user, destination: "GR", size: "7XB" }],
    }),
    notFound: await call(sandbox, "GET", "/native/user-dashboard?external_user_id=nobody"),
    unsigned: await fetch(`${sandbox.url}/api/destinations`).then(async (response) => ({
      status: response.status,
      json: (await response.json()) as Json,
    })),
  };
}

async function repliesFrom(shapes: SandboxShapes) {
  const receiver = await startReceiver();
  const sandbox = await startTestSandbox({ webhookUrl: receiver.url, shapes });
  try {
    return await collectReplies(sandbox);
  } finally {
    await sandbox.close();
    await receiver.close();
  }
}

describe("documented shapes (HUBBY_SANDBOX_SHAPES=documented)", () => {
  let replies: Awaited<ReturnType<typeof collectReplies>>;
  beforeAll(async () => {
    replies = await repliesFrom("documented");
  });

  it("answers POST /bookings with the booking id and the routed specifications only", () => {
    expect(replies.created.status).toBe(201);
    expectExactly(replies.created.json, SUCCESS);
    expectExactly(data(replies.created), CREATED_BOOKING);
    const specs = data(replies.created).package_specifications as Json[];
    expect(specs).toHaveLength(3);
    for (const spec of specs) expectExactly(spec, CREATED_SPEC);
  });

  it("answers a promo-code booking with the reference's array of bookings and codes", () => {
    expect(replies.promo.status).toBe(201);
    expectExactly(replies.promo.json, SUCCESS);
    const bookings = replies.promo.json.data as Json[];
    expect(bookings).toHaveLength(1);
    expectExactly(bookings[0], PROMO_BOOKING);
    const codes = bookings[0]!.promo_codes as Json[];
    expect(codes).toHaveLength(1);
    expectExactly(codes[0], PROMO_CODE);
  });

  it("lists bookings without paging meta, each with stored-booking fields only", () => {
    for (const reply of [replies.list, replies.byReference]) {
      expect(reply.status).toBe(200);
      expectExactly(reply.json, SUCCESS);
      const bookings = reply.json.data as Json[];
      expect(bookings.length).toBeGreaterThan(0);
      for (const booking of bookings) {
        expectWithin(booking, STORED_BOOKING);
        expect(booking).toHaveProperty("id", expect.any(String));
        for (const spec of booking.package_specifications as Json[]) expectWithin(spec, BOOKING_SPEC);
        for (const code of (booking.promo_codes as Json[] | undefined) ?? []) expectExactly(code, PROMO_CODE);
      }
    }
    expect(replies.list.json.data as Json[]).toHaveLength(2);
    expect(replies.byReference.json.data).toEqual([expect.objectContaining({ booking_id: "SHAPES-001" })]);
  });

  it("answers the user dashboard with exactly §4.5's objects, active packages only", () => {
    const dashboard = data(replies.dashboard);
    expectExactly(replies.dashboard.json, SUCCESS);
    expectExactly(dashboard, DASHBOARD);
    expectExactly(dashboard.user, USER);
    const queues = dashboard.package_queues as Json[];
    expect(queues).toHaveLength(3);
    for (const queue of queues) {
      expectExactly(queue, QUEUE);
      expectExactly(queue.package_specification, QUEUE_SPEC);
    }
    expectExactly(dashboard.current_esim, ESIM);
    expect(dashboard.current_esim).toMatchObject({ total_data: 3 * 1073741824, data_left: 3 * 1073741824 });
    const packages = dashboard.current_esim_packages as Json[];
    expect(packages.map((pkg) => pkg.status)).toEqual(["ACTIVE"]);
    for (const pkg of packages) expectExactly(pkg, ESIM_PACKAGE);
    expectExactly(dashboard.partner, PARTNER);
  });

  it("answers a redeem with the queue entry, eSIM and packages of the redeem variant", () => {
    expectExactly(replies.redeemed.json, SUCCESS_WITH_MESSAGE);
    const redeemed = data(replies.redeemed);
    expectExactly(redeemed, REDEEM);
    expectExactly(redeemed.package_queue, REDEEM_QUEUE);
    expectExactly((redeemed.package_queue as Json).package_specification, QUEUE_SPEC);
    expectExactly(redeemed.current_esim, REDEEM_ESIM);
    const packages = redeemed.current_esim_packages as Json[];
    expect(packages).toHaveLength(1);
    for (const pkg of packages) expectExactly(pkg, REDEEM_PACKAGE);
  });

  it("answers instructions with the format and its content, without the applied branding or locale", () => {
    expectExactly(data(replies.instructions), INSTRUCTIONS_HTML);
    expect(data(replies.instructions).html).toContain("<!doctype html>");
    expectExactly(data(replies.instructionsJson), INSTRUCTIONS_JSON);
  });

  it("answers devices, the catalogue and redirect tokens with their documented fields", () => {
    expectExactly(data(replies.devices), DEVICE_LIST);
    for (const device of data(replies.devices).devices as Json[]) expectExactly(device, DEVICE);
    expectExactly(data(replies.deviceCheck), DEVICE_CHECK);
    const destinations = replies.destinations.json.data as Json[];
    expect(destinations.length).toBeGreaterThan(20);
    for (const destination of destinations) expectExactly(destination, DESTINATION);
    for (const detail of [data(replies.greece), data(replies.europe)]) {
      expectExactly(detail, DESTINATION_DETAIL);
      const bundles = detail.bundles as Json[];
      expect(bundles.length).toBeGreaterThan(0);
      for (const bundle of bundles) expectWithin(bundle, BUNDLE);
    }
    expectExactly(data(replies.token), REDIRECT_TOKEN);
  });

  it("answers errors with Hubby's envelope and `{field, issue}` details only", () => {
    for (const reply of [replies.invalid, replies.notFound, replies.unsigned]) {
      expectExactly(reply.json, ERROR);
      expectWithin(reply.json.error, ERROR_BODY);
      const details = (reply.json.error as Json).details;
      if (details !== undefined) expectExactly(details, ERROR_DETAILS);
    }
    expect(replies.invalid.status).toBe(400);
    expect((replies.invalid.json.error as Json).details).toMatchObject({ field: "package_specifications[0].size" });
    expect(replies.unsigned.status).toBe(401);
    expect((replies.unsigned.json.error as Json).details).toEqual({ field: "x-api-key", issue: "is required" });
  });
});

describe("full shapes (the default)", () => {
  let replies: Awaited<ReturnType<typeof collectReplies>>;
  beforeAll(async () => {
    replies = await repliesFrom("full");
  });

  it("still carries the sandbox's extensions", () => {
    expect((data(replies.created).package_specifications as Json[])[0]).toHaveProperty("package_queue_id");
    expect(replies.list.json.meta).toMatchObject({ page: 1, per_page: 10, total: 2 });

    const dashboard = data(replies.dashboard);
    const packages = dashboard.current_esim_packages as Json[];
    expect(packages.map((pkg) => pkg.status)).toEqual(["DEPLETED", "ACTIVE"]);
    expect(packages[0]).toMatchObject({
      id: expect.any(String),
      used_bytes: 1073741824,
      booking_id: expect.any(String),
      expires_at: null,
    });
    expect((dashboard.package_queues as Json[])[0]).toHaveProperty("booking_id");
    expect(dashboard.current_esim).toHaveProperty("last_updated");

    expect(data(replies.instructions)).toMatchObject({ locale: "mk-MK", branding: { key: "default" } });
    expect(data(replies.greece)).toHaveProperty("iso3", "GRC");
    expect((data(replies.greece).bundles as Json[])[0]).toHaveProperty("currency", "EUR");
    expect((replies.invalid.json.error as Json).details).toHaveProperty("errors");
    expect((replies.unsigned.json.error as Json).details).toHaveProperty("missing");
  });
});
