import type http from "node:http";
import { z } from "zod";
import { computeSignature, signaturesMatch } from "../hubby/signing";
import { createBookingInputSchema } from "../hubby/schemas";
import { findDestination, getDestinationWithBundles, listDestinations } from "./destinations";
import { checkCompatibility, compatibleDevices } from "./device-models";
import { faultRuleSchema } from "./faults";
import { HOSTILE_PAYLOADS, withHostilePayloads } from "./hostile";
import { promoCodeBookingReply } from "./promo-code-flow";
import {
  instructionsInputSchema,
  renderInstructionsHtml,
  renderInstructionsJson,
  renderInstructionsMarkdown,
} from "./instruction-renderer";
import type { Sandbox } from "./sandbox";
import { SandboxError, createBooking, redeemPackageQueue } from "./simulation";
import {
  bookingView,
  dashboardView,
  documentedCreatedBooking,
  documentedDashboard,
  documentedDestination,
  documentedDestinationDetail,
  documentedErrorDetails,
  documentedListedBooking,
  documentedRedeem,
  redeemView,
} from "./reply-shapes";
import { brandFor, logoSvg, renderWebView, renderWebViewError } from "./webview";
import { newTraveler, type Traveler } from "./world";

/**
 * The sandbox's HTTP surface. `/api/*` is the partner API, verified exactly like Hubby (reference §2–§4), answering
 * in full or documented shapes (lib/hubby-sandbox/reply-shapes.ts); `/webview` stands in for app.hubbyesim.com; `/_sandbox/*`
 * controls the clock, faults and deliveries.
 */

const MAX_BODY_BYTES = 1024 * 1024;
const REDIRECT_TOKEN_TTL_MS = 5 * 60_000;

type Reply = { status: number; body: unknown; message?: string; meta?: Record<string, number> };

export function createSandboxHandler(sandbox: Sandbox) {
  return (req: http.IncomingMessage, res: http.ServerResponse) => {
    handle(sandbox, req, res).catch((error: unknown) => {
      sandbox.options.log?.(`unexpected error: ${error instanceof Error ? error.stack : String(error)}`);
      if (!res.headersSent) sendJson(res, 500, errorBody(500, "Internal server error"));
      else res.destroy();
    });
  };
}

async function handle(sandbox: Sandbox, req: http.IncomingMessage, res: http.ServerResponse) {
  const rawPath = req.url ?? "/";
  const url = new URL(rawPath, "http://sandbox.local");
  const method = req.method ?? "GET";
  sandbox.recordRequest({ method, path: rawPath, remotePort: req.socket.remotePort ?? 0 });
  res.setHeader("x-request-id", String(req.headers["x-request-id"] ?? ""));

  if (url.pathname.startsWith("/assets/logo-") && url.pathname.endsWith(".svg")) {
    res.writeHead(200, { "content-type": "image/svg+xml", "cache-control": "public, max-age=3600" });
    res.end(logoSvg(url.pathname.slice("/assets/logo-".length, -".svg".length)));
    return;
  }
  if (url.pathname === "/webview" && method === "GET") return webView(sandbox, url, res);
  if (url.pathname.startsWith("/_sandbox/")) return control(sandbox, req, url, res);
  if (!url.pathname.startsWith("/api/")) return sendJson(res, 404, errorBody(404, "Not found"));

  const documented = sandbox.options.shapes === "documented";
  const apiError = (code: number, message: string, details?: Record<string, unknown>) =>
    errorBody(code, message, documented ? documentedErrorDetails(details) : details);

  const refusal = verifySignature(sandbox, req, rawPath);
  if (refusal) return sendJson(res, 401, apiError(401, refusal.message, refusal.details));

  const apiPath = url.pathname.slice("/api".length);
  const faults = sandbox.faults.take(method, apiPath);
  for (const fault of faults) {
    if (fault.kind === "latency") await sleep(fault.ms ?? 1_000);
  }
  const status = faults.find((fault) => fault.kind === "status");
  if (status) return sendJson(res, status.status ?? 500, apiError(status.status ?? 500, "Internal server error"));
  const timeout = faults.find((fault) => fault.kind === "timeout");
  if (timeout) {
    await Promise.race([sleep(timeout.ms ?? 120_000), new Promise((resolve) => req.once("close", resolve))]);
    if (!res.destroyed) res.destroy();
    return;
  }

  let body: unknown;
  if (method === "POST") {
    const raw = await readBody(req);
    if (raw === undefined) return sendJson(res, 413, apiError(413, "Request body too large"));
    try {
      body = raw.length ? JSON.parse(raw) : {};
    } catch {
      return sendJson(res, 400, apiError(400, "Invalid JSON body", { field: "body", issue: "is not valid JSON" }));
    }
  }

  let reply: Reply;
  try {
    reply = await route(sandbox, method, apiPath, url.searchParams, body);
  } catch (error) {
    if (error instanceof SandboxError)
      reply = { status: error.status, body: apiError(error.status, error.message, error.details) };
    else throw error;
  }
  if (reply.status < 300) {
    reply = {
      status: reply.status,
      body: {
        success: true,
        ...(reply.message ? { message: reply.message } : {}),
        data: reply.body,
        // Paging meta is the sandbox's own: Hubby documents neither the list's shape nor its paging (§4.2).
        ...(reply.meta && !documented ? { meta: reply.meta } : {}),
      },
    };
  }
  sandbox.tick();

  if (faults.some((fault) => fault.kind === "drop_after_commit")) {
    // The work is done (the booking exists); the partner never hears about it.
    res.socket?.destroy();
    return;
  }
  if (faults.some((fault) => fault.kind === "hostile_html")) reply = { ...reply, body: hostileReply(reply.body) };
  if (faults.some((fault) => fault.kind === "malformed")) {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ success: true, data: { unexpected: "shape" } }).slice(0, 24));
    return;
  }
  sendJson(res, reply.status, reply.body);
}

/** The instructions reply with XSS payloads in every text it carries (html, markdown, a JSON step). */
function hostileReply(body: unknown): unknown {
  const data = (body as { data?: Record<string, unknown> } | undefined)?.data;
  if (!data) return body;
  const corpus = HOSTILE_PAYLOADS.map((payload) => payload.html).join("\n");
  const hostile: Record<string, unknown> = { ...data };
  if (typeof data.html === "string") hostile.html = withHostilePayloads(data.html);
  if (typeof data.markdown === "string") hostile.markdown = `${data.markdown}\n${corpus}\n`;
  const instructions = data.instructions as { steps?: unknown[] } | undefined;
  if (instructions?.steps) {
    hostile.instructions = { ...instructions, steps: [...instructions.steps, { title: corpus, body: corpus }] };
  }
  return { ...(body as object), data: hostile };
}

// ── Authentication, as Hubby does it ───────────────────────────────────────────────────────────────────────

function verifySignature(sandbox: Sandbox, req: http.IncomingMessage, rawPath: string) {
  const apiKey = header(req, "x-api-key");
  const timestamp = header(req, "x-timestamp");
  const signature = header(req, "x-signature");
  const missing = [!apiKey && "x-api-key", !timestamp && "x-timestamp", !signature && "x-signature"].filter(Boolean);
  if (missing.length) {
    return { message: "Missing authentication headers", details: { field: missing[0], issue: "is required", missing } };
  }
  if (apiKey !== sandbox.options.credentials.apiKey) return { message: "Invalid API key" };
  if (!/^\d{13}$/.test(timestamp!)) {
    return {
      message: "Invalid timestamp",
      details: { field: "x-timestamp", issue: "must be Unix time in milliseconds" },
    };
  }
  const tolerance = sandbox.options.timestampToleranceMs ?? 5 * 60_000;
  if (Math.abs(Date.now() - Number(timestamp)) > tolerance) return { message: "timestamp expired" };

  const method = (req.method ?? "GET").toUpperCase();
  const candidates = [rawPath];
  if (sandbox.options.lenientSignedPath && rawPath.startsWith("/api/")) candidates.push(rawPath.slice("/api".length));
  const valid = candidates.some((path) =>
    signaturesMatch(computeSignature(sandbox.options.credentials.apiSecret, timestamp!, method, path), signature!),
  );
  return valid ? undefined : { message: "Invalid signature" };
}

// ── The partner API ─────────────────────────────────────────────────────────────────────────────────────────

const bookingRequestSchema = createBookingInputSchema.extend({
  booking_id: z.string().min(3).max(100).optional(),
  email: z.email().optional(),
  full_name: z.string().max(200).optional(),
  first_name: z.string().max(100).optional(),
  last_name: z.string().max(100).optional(),
  return_date: z.string().optional(),
});

const listBookingsQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  perPage: z.coerce.number().int().min(1).max(100).default(20),
  bookingId: z.string().optional(),
  external_user_id: z.string().optional(),
});

const redeemSchema = z.object({ external_user_id: z.string().min(1), package_queue_id: z.string().min(1) });
const deviceSchema = z.object({ phone_brand: z.string().min(1).max(100), phone_model: z.string().min(1).max(100) });
const redirectSchema = z
  .object({
    external_user_id: z.string().min(1).max(200).optional(),
    email: z.email().optional(),
    redirect_token: z.uuid().optional(),
  })
  .refine((value) => value.external_user_id || value.email, {
    message: "external_user_id or email is required",
    path: ["external_user_id"],
  });

async function route(
  sandbox: Sandbox,
  method: string,
  path: string,
  query: URLSearchParams,
  body: unknown,
): Promise<Reply> {
  const world = sandbox.world;
  const now = sandbox.clock.now();
  const emit = (event: Parameters<Sandbox["emit"]>[0]) => sandbox.emit(event);
  const documented = sandbox.options.shapes === "documented";

  if (method === "POST" && path === "/bookings") {
    const input = parse(bookingRequestSchema, body);
    const booking = createBooking(world, sandbox.random, input, now, emit);
    const view = bookingView(booking);
    if (booking.promo_codes?.length) {
      // The promo-code flow's reply (§4.1): an array of bookings with their codes, whose fields are the
      // reference's in both modes; a traveler's specifications beside them as the native reply has them.
      const specifications = documented
        ? documentedCreatedBooking(view).package_specifications
        : view.package_specifications;
      return { status: 201, body: promoCodeBookingReply(booking, specifications) };
    }
    return { status: 201, body: documented ? documentedCreatedBooking(view) : view };
  }
  if (method === "GET" && path === "/bookings") {
    const params = parse(listBookingsQuery, Object.fromEntries(query));
    let bookings = [...world.bookings].reverse();
    if (params.bookingId)
      bookings = bookings.filter((b) => b.id === params.bookingId || b.booking_id === params.bookingId);
    if (params.external_user_id) {
      bookings = bookings.filter((b) =>
        b.package_specifications.some((s) => s.external_user_id === params.external_user_id),
      );
    }
    // An unknown reference is an empty page whose meta counts 0 matches: the console treats that count, and only
    // that, as proof that a booking is absent (lib/bookings/intents.ts). The documented shape has no meta.
    const total = bookings.length;
    const page = bookings.slice((params.page - 1) * params.perPage, params.page * params.perPage);
    const views = page.map(bookingView);
    return {
      status: 200,
      body: documented ? views.map(documentedListedBooking) : views,
      meta: {
        page: params.page,
        per_page: params.perPage,
        total,
        total_pages: Math.max(1, Math.ceil(total / params.perPage)),
      },
    };
  }
  if (method === "GET" && path === "/native/user-dashboard") {
    const externalUserId = query.get("external_user_id");
    if (!externalUserId) {
      throw new SandboxError(400, "Validation failed", { field: "external_user_id", issue: "is required" });
    }
    const view = dashboardView(world, travelerOr404(sandbox, externalUserId));
    return { status: 200, body: documented ? documentedDashboard(view) : view };
  }
  if (method === "POST" && path === "/native/redeem-package") {
    const input = parse(redeemSchema, body);
    const traveler = travelerOr404(sandbox, input.external_user_id);
    const pkg = redeemPackageQueue(traveler, input.package_queue_id, now);
    const queue = traveler.package_queues.find((entry) => entry.id === pkg.queue_id)!;
    const view = redeemView(world, traveler, queue);
    return {
      status: 200,
      message: "Package queue redeemed successfully",
      body: documented ? documentedRedeem(view) : view,
    };
  }
  if (method === "POST" && path === "/native/instructions") {
    const input = parse(instructionsInputSchema, body);
    const traveler = travelerOr404(sandbox, input.external_user_id);
    const brand = brandFor(sandbox, input.custom_branding || traveler.custom_branding);
    const renderInput = {
      ...input,
      branding: brand,
      esim: traveler.esim ? { iccid: traveler.esim.iccid, qr: traveler.esim.qr, status: traveler.esim.status } : null,
    };
    const content =
      input.format === "json"
        ? { instructions: renderInstructionsJson(renderInput) }
        : input.format === "markdown"
          ? { markdown: renderInstructionsMarkdown(renderInput) }
          : { html: await renderInstructionsHtml(renderInput) };
    // The reply is undocumented beyond depending on `format` (§4.5). Only the full sandbox also says which locale
    // and which identity it applied.
    const applied = { locale: input.locale ?? traveler.locale, branding: { key: brand.key, name: brand.name } };
    return { status: 200, body: { format: input.format, ...(documented ? {} : applied), ...content } };
  }
  if (path === "/native/device-compatibility") {
    if (method === "GET") return { status: 200, body: { devices: compatibleDevices } };
    if (method === "POST") {
      const input = parse(deviceSchema, body);
      return { status: 200, body: checkCompatibility(input.phone_brand, input.phone_model) };
    }
  }
  if (method === "GET" && path === "/destinations") {
    const destinations = listDestinations();
    return { status: 200, body: documented ? destinations.map(documentedDestination) : destinations };
  }
  if (method === "GET" && path.startsWith("/destinations/")) {
    const id = decodeURIComponent(path.slice("/destinations/".length));
    const destination = findDestination(id) ? getDestinationWithBundles(id) : undefined;
    if (!destination)
      throw new SandboxError(404, "Destination not found", { field: "id", issue: `unknown destination ${id}` });
    return { status: 200, body: documented ? documentedDestinationDetail(destination) : destination };
  }
  if (method === "POST" && path === "/redirect-tokens/create") {
    const input = parse(redirectSchema, body);
    let traveler = input.external_user_id ? world.travelers[input.external_user_id] : undefined;
    if (!traveler && !input.external_user_id && input.email) {
      traveler = Object.values(world.travelers).find((t) => t.email === input.email);
      if (!traveler)
        throw new SandboxError(404, "User not found", { field: "email", issue: "no traveler with this email" });
    }
    // A traveler may open the WebView before any booking: they are then "waiting for a booking".
    traveler ??= newTraveler(world, sandbox.random, { external_user_id: input.external_user_id!, now });
    const token = input.redirect_token ?? sandbox.random.uuid();
    if (world.redirectTokens[token]) {
      throw new SandboxError(400, "Validation failed", { field: "redirect_token", issue: "has already been used" });
    }
    pruneTokens(sandbox);
    world.redirectTokens[token] = {
      token,
      external_user_id: traveler.external_user_id,
      expires_at: Date.now() + REDIRECT_TOKEN_TTL_MS,
      consumed_at: null,
    };
    return { status: 200, body: { redirect_token: token, expires_in: REDIRECT_TOKEN_TTL_MS / 1000 } };
  }
  throw new SandboxError(404, "Not found", { field: "path", issue: `${method} /api${path} does not exist` });
}

function parse<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = issue.path.reduce<string>(
    (acc, part) => (typeof part === "number" ? `${acc}[${part}]` : acc ? `${acc}.${String(part)}` : String(part)),
    "",
  );
  throw new SandboxError(400, "Validation failed", {
    field: field || "body",
    issue: issue.message,
    errors: result.error.issues.map((entry) => ({ path: entry.path.join("."), message: entry.message })),
  });
}

function travelerOr404(sandbox: Sandbox, externalUserId: string): Traveler {
  const traveler = sandbox.world.travelers[externalUserId];
  if (!traveler) {
    throw new SandboxError(404, "User not found", { field: "external_user_id", issue: `no user ${externalUserId}` });
  }
  return traveler;
}

function pruneTokens(sandbox: Sandbox) {
  const cutoff = Date.now() - 60 * 60_000;
  for (const [token, entry] of Object.entries(sandbox.world.redirectTokens)) {
    if (entry.expires_at < cutoff) delete sandbox.world.redirectTokens[token];
  }
}

// ── WebView stand-in ────────────────────────────────────────────────────────────────────────────────────────

async function webView(sandbox: Sandbox, url: URL, res: http.ServerResponse) {
  const token = url.searchParams.get("t") ?? "";
  const entry = sandbox.world.redirectTokens[token];
  const problem = !entry
    ? "This link is not valid."
    : entry.consumed_at
      ? "This link was already used. Ask for a new one."
      : entry.expires_at < Date.now()
        ? "This link has expired (links are valid for 5 minutes)."
        : undefined;
  if (problem || !entry) {
    res.writeHead(401, { "content-type": "text/html; charset=utf-8" });
    res.end(renderWebViewError(problem ?? "This link is not valid."));
    return;
  }
  entry.consumed_at = Date.now();
  const traveler = sandbox.world.travelers[entry.external_user_id]!;
  res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
  res.end(await renderWebView(sandbox, traveler, dashboardView(sandbox.world, traveler)));
}

// ── Control API ─────────────────────────────────────────────────────────────────────────────────────────────

const clockSchema = z.object({
  speed: z.number().min(0).max(100_000).optional(),
  advance_ms: z
    .number()
    .int()
    .min(0)
    .max(365 * 86_400_000)
    .optional(),
});

async function control(sandbox: Sandbox, req: http.IncomingMessage, url: URL, res: http.ServerResponse) {
  if (header(req, "x-api-key") !== sandbox.options.credentials.apiKey) {
    return sendJson(res, 401, errorBody(401, "Invalid API key"));
  }
  const method = req.method ?? "GET";
  const path = url.pathname.slice("/_sandbox".length);
  let body: unknown = {};
  if (method === "POST") {
    try {
      body = JSON.parse((await readBody(req)) || "{}");
    } catch {
      return sendJson(res, 400, errorBody(400, "Invalid JSON body"));
    }
  }
  const ok = (data: unknown) => sendJson(res, 200, { success: true, data });

  if (method === "GET" && path === "/status") {
    return ok({
      clock: { now: new Date(sandbox.clock.now()).toISOString(), speed: sandbox.clock.getSpeed() },
      travelers: Object.keys(sandbox.world.travelers).length,
      bookings: sandbox.world.bookings.length,
      deliveries: {
        pending: sandbox.dispatcher.pending.length,
        paused: sandbox.dispatcher.paused,
        ...sandbox.dispatcher.stats,
      },
      faults: sandbox.faults.list(),
    });
  }
  if (method === "POST" && path === "/clock") {
    const parsed = clockSchema.safeParse(body);
    if (!parsed.success) return sendJson(res, 400, errorBody(400, "Validation failed"));
    if (parsed.data.speed !== undefined) sandbox.clock.setSpeed(parsed.data.speed);
    if (parsed.data.advance_ms) await sandbox.advanceBy(parsed.data.advance_ms);
    else sandbox.tick();
    return ok({ now: new Date(sandbox.clock.now()).toISOString(), speed: sandbox.clock.getSpeed() });
  }
  if (path === "/faults") {
    if (method === "GET") return ok(sandbox.faults.list());
    if (method === "DELETE") {
      sandbox.faults.clear();
      return ok([]);
    }
    if (method === "POST") {
      const parsed = faultRuleSchema.safeParse(body);
      if (!parsed.success) {
        return sendJson(res, 400, errorBody(400, "Validation failed", { issue: parsed.error.issues[0]?.message }));
      }
      return ok(sandbox.faults.add(parsed.data));
    }
  }
  if (method === "GET" && path === "/deliveries") return ok(sandbox.dispatcher.log);
  if (method === "POST" && path === "/deliveries/resume") {
    sandbox.resumeDeliveries();
    return ok({ paused: false });
  }
  if (method === "GET" && path === "/travelers") {
    return ok(
      Object.values(sandbox.world.travelers).map((traveler) => ({
        external_user_id: traveler.external_user_id,
        esim_status: traveler.esim?.status ?? null,
        queued: traveler.package_queues.filter((queue) => !queue.redeemed_at).length,
        packages: traveler.packages.map((pkg) => `${pkg.destination} ${pkg.size ?? pkg.package_type} ${pkg.status}`),
      })),
    );
  }
  return sendJson(res, 404, errorBody(404, "Not found"));
}

// ── Plumbing ────────────────────────────────────────────────────────────────────────────────────────────────

function header(req: http.IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function errorBody(code: number, message: string, details?: Record<string, unknown>) {
  return { success: false, error: { code, message, ...(details ? { details } : {}) } };
}

function sendJson(res: http.ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}

function readBody(req: http.IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on("end", () => resolve(tooLarge ? undefined : Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
