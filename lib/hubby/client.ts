import crypto from "node:crypto";
import type { z } from "zod";
import { HubbyApiError, type HubbyErrorKind } from "./errors";
import {
  bookingListReplySchema,
  createBookingResultSchema,
  destinationDetailSchema,
  destinationListSchema,
  deviceCompatibilitySchema,
  deviceListSchema,
  errorEnvelopeSchema,
  instructionsSchema,
  redeemPackageResultSchema,
  redirectTokenSchema,
  successEnvelope,
  userDashboardSchema,
  type CreateBookingInput,
} from "./schemas";
import { signRequest, type SignedPathMode } from "./signing";
import { sendHttp, TransportError, type HttpReply } from "./transport";
import { errorFields, log } from "../log";
import { recordHubbyCall } from "../metrics";

/**
 * The typed Hubby client: one method per partner endpoint (reference §4), HMAC signing (§2), zod-parsed replies
 * (§3), timeouts, GET-only retries, and one record per HTTP attempt for the API log. It knows nothing about the
 * database or the environment: lib/hubby/index.ts wires those in, tests and the sandbox construct it directly.
 */

export type HubbyClientConfig = {
  baseUrl: string;
  apiKey: string;
  apiSecret: string;
  signedPath?: SignedPathMode;
  connectTimeoutMs?: number;
  timeoutMs?: number;
  /** Extra attempts for GETs after a network error, timeout or 5xx. Never used for POSTs. */
  getRetries?: number;
  retryBaseDelayMs?: number;
  userAgent?: string;
  recorder?: ApiCallRecorder;
  /**
   * An absolute time (ms since the epoch, by `now`) after which no call starts and no attempt waits: one budget
   * shared by every call made through this client (withDeadline).
   */
  deadlineAt?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
};

/** Who is calling, for the API log and the audit trail. */
export type CallContext = {
  staffId?: string;
  staffEmail?: string;
  requestId?: string;
  /**
   * Work no one waits on (a campaign's rows): the call does not wait for its API log entry, which the recorder
   * may write in a batch a moment later.
   */
  background?: boolean;
};

export type ApiCallRecord = {
  method: string;
  endpoint: string;
  path: string;
  status: number | null;
  ok: boolean;
  durationMs: number;
  attempt: number;
  errorKind?: HubbyErrorKind;
  errorCode?: string;
  errorMessage?: string;
  requestId: string;
  externalUserId?: string;
  context: CallContext;
};
export type ApiCallRecorder = (record: ApiCallRecord) => Promise<void> | void;

export type ListBookingsParams = {
  page?: number;
  perPage?: number;
  bookingId?: string;
  externalUserId?: string;
};

export type InstructionsRequest = {
  /** `html` is documented; the reply's shape for other formats is not (reference §4.5). */
  format?: string;
  external_user_id: string;
  device_name: string;
  device_type?: string;
  phone_os: string;
  os_version: string;
  locale?: string;
  /** A sub-brand key (reference §6.6). Undocumented for this endpoint, which resolves branding from the traveler. */
  custom_branding?: string;
};

export type RedeemPackageRequest = { external_user_id: string; package_queue_id: string };
export type DeviceQuery = { phone_brand: string; phone_model: string };
export type RedirectTokenRequest = { external_user_id: string; redirect_token?: string };

type CallSpec<T extends z.ZodType> = {
  method: "GET" | "POST";
  /** Path below the base URL, e.g. `/bookings`. */
  path: string;
  /** Operation name for the log, e.g. `GET /bookings`; ids are not part of it. */
  endpoint: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  /** Parses the whole reply envelope. */
  reply: T;
  externalUserId?: string;
};

const defaults = {
  signedPath: "full" as SignedPathMode,
  connectTimeoutMs: 5_000,
  timeoutMs: 15_000,
  getRetries: 2,
  retryBaseDelayMs: 250,
};

/** The budget for reads a staff member waits on: worst case about 10 s before the page falls back to stored state. */
/** Below this much time left, a retry is not worth starting. */
const MIN_ATTEMPT_MS = 250;

export class HubbyClient {
  private readonly baseUrl: URL;
  private readonly config: Required<
    Omit<HubbyClientConfig, "recorder" | "now" | "sleep" | "userAgent" | "deadlineAt">
  > &
    Pick<HubbyClientConfig, "recorder" | "userAgent" | "deadlineAt">;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    config: HubbyClientConfig,
    private readonly context: CallContext = {},
  ) {
    this.baseUrl = new URL(config.baseUrl.endsWith("/") ? config.baseUrl : `${config.baseUrl}/`);
    this.config = { ...defaults, ...stripUndefined(config) } as HubbyClient["config"];
    this.now = config.now ?? Date.now;
    this.sleep = config.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** The same client, recording calls as made by this staff member within this request. */
  withContext(context: CallContext): HubbyClient {
    return new HubbyClient({ ...this.config, now: this.now, sleep: this.sleep }, { ...this.context, ...context });
  }

  /**
   * The same client with one time budget for everything asked through it, for a page a staff member is waiting
   * on: all its calls together, retries included, wait at most `totalMs` (the page then shows stored state), where
   * each call on its own could take the background defaults (15 s × 3 attempts).
   */
  withDeadline(totalMs: number): HubbyClient {
    const deadlineAt = Math.min(this.config.deadlineAt ?? Infinity, this.now() + totalMs);
    return new HubbyClient({ ...this.config, deadlineAt, now: this.now, sleep: this.sleep }, this.context);
  }

  // ── Bookings ──────────────────────────────────────────────────────────────────────────────────────────────

  /** Issues paid packages. Never retried automatically: a lost reply may still mean the booking exists. */
  createBooking(input: CreateBookingInput) {
    return this.call({
      method: "POST",
      path: "/bookings",
      endpoint: "POST /bookings",
      body: input,
      reply: successEnvelope(createBookingResultSchema),
      externalUserId: singleTraveler(input),
    }).then((reply) => reply.data);
  }

  listBookings(params: ListBookingsParams = {}) {
    return this.call({
      method: "GET",
      path: "/bookings",
      endpoint: "GET /bookings",
      query: {
        page: params.page,
        perPage: params.perPage,
        bookingId: params.bookingId,
        external_user_id: params.externalUserId,
      },
      reply: bookingListReplySchema,
      externalUserId: params.externalUserId,
    });
  }

  // ── Native API ────────────────────────────────────────────────────────────────────────────────────────────

  getUserDashboard(externalUserId: string) {
    return this.call({
      method: "GET",
      path: "/native/user-dashboard",
      endpoint: "GET /native/user-dashboard",
      query: { external_user_id: externalUserId },
      reply: successEnvelope(userDashboardSchema),
      externalUserId,
    }).then((reply) => reply.data);
  }

  redeemPackage(request: RedeemPackageRequest) {
    return this.call({
      method: "POST",
      path: "/native/redeem-package",
      endpoint: "POST /native/redeem-package",
      body: request,
      reply: successEnvelope(redeemPackageResultSchema),
      externalUserId: request.external_user_id,
    }).then((reply) => ({ ...reply.data, message: reply.message }));
  }

  getInstructions(request: InstructionsRequest) {
    return this.call({
      method: "POST",
      path: "/native/instructions",
      endpoint: "POST /native/instructions",
      body: { format: "html", ...request },
      reply: successEnvelope(instructionsSchema),
      externalUserId: request.external_user_id,
    }).then((reply) => reply.data);
  }

  listCompatibleDevices() {
    return this.call({
      method: "GET",
      path: "/native/device-compatibility",
      endpoint: "GET /native/device-compatibility",
      reply: successEnvelope(deviceListSchema),
    }).then((reply) => reply.data.devices);
  }

  checkDeviceCompatibility(query: DeviceQuery) {
    return this.call({
      method: "POST",
      path: "/native/device-compatibility",
      endpoint: "POST /native/device-compatibility",
      body: query,
      reply: successEnvelope(deviceCompatibilitySchema),
    }).then((reply) => reply.data);
  }

  // ── Catalogue ─────────────────────────────────────────────────────────────────────────────────────────────

  listDestinations() {
    return this.call({
      method: "GET",
      path: "/destinations",
      endpoint: "GET /destinations",
      reply: successEnvelope(destinationListSchema),
    }).then((reply) => reply.data);
  }

  getDestination(id: string) {
    return this.call({
      method: "GET",
      path: `/destinations/${encodeURIComponent(id)}`,
      endpoint: "GET /destinations/{id}",
      reply: successEnvelope(destinationDetailSchema),
    }).then((reply) => reply.data);
  }

  // ── WebView ───────────────────────────────────────────────────────────────────────────────────────────────

  /** A fresh single-use token, valid 5 minutes. Never cache it (reference §4.3). */
  createRedirectToken(request: RedirectTokenRequest) {
    return this.call({
      method: "POST",
      path: "/redirect-tokens/create",
      endpoint: "POST /redirect-tokens/create",
      body: request,
      reply: successEnvelope(redirectTokenSchema),
      externalUserId: request.external_user_id,
    }).then((reply) => reply.data);
  }

  // ── Transport ─────────────────────────────────────────────────────────────────────────────────────────────

  /** The URL a call goes to, with the query exactly as it will be sent and signed. */
  urlFor(path: string, query?: CallSpec<z.ZodType>["query"]): URL {
    const url = new URL(path.replace(/^\/+/, ""), this.baseUrl);
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined && value !== "") url.searchParams.append(key, String(value));
    }
    return url;
  }

  private async call<T extends z.ZodType>(spec: CallSpec<T>): Promise<z.output<T>> {
    const requestId = this.context.requestId ?? crypto.randomUUID();
    const maxAttempts = spec.method === "GET" ? 1 + this.config.getRetries : 1;
    for (let attempt = 1; ; attempt++) {
      if (this.remainingMs() <= 0) throw this.outOfTime(spec, requestId);
      try {
        return await this.attempt(spec, attempt, requestId);
      } catch (error) {
        if (!(error instanceof HubbyApiError) || !error.transient || attempt >= maxAttempts) throw error;
        const delay = backoffDelay(attempt, this.config.retryBaseDelayMs);
        if (this.remainingMs() < delay + MIN_ATTEMPT_MS) throw error;
        await this.sleep(delay);
      }
    }
  }

  private remainingMs(): number {
    return this.config.deadlineAt === undefined ? Infinity : this.config.deadlineAt - this.now();
  }

  private outOfTime(spec: CallSpec<z.ZodType>, requestId: string) {
    return new HubbyApiError({
      kind: "timeout",
      message: "Hubby did not answer within this page's time budget; showing what the console has stored.",
      endpoint: `${spec.method} ${spec.path}`,
      requestId,
    });
  }

  private async attempt<T extends z.ZodType>(spec: CallSpec<T>, attempt: number, requestId: string) {
    const url = this.urlFor(spec.path, spec.query);
    const sentPath = `${url.pathname}${url.search}`;
    const endpointLabel = `${spec.method} ${sentPath}`;
    const body = spec.body === undefined ? undefined : JSON.stringify(spec.body);
    const headers: Record<string, string> = {
      accept: "application/json",
      "x-request-id": requestId,
      ...(this.config.userAgent ? { "user-agent": this.config.userAgent } : {}),
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
      ...signRequest({
        apiKey: this.config.apiKey,
        secret: this.config.apiSecret,
        method: spec.method,
        url,
        baseUrl: this.baseUrl,
        mode: this.config.signedPath,
        now: this.now(),
      }),
    };

    const started = performance.now();
    let reply: HttpReply | undefined;
    try {
      reply = await sendHttp({
        method: spec.method,
        url,
        headers,
        body,
        connectTimeoutMs: Math.max(1, Math.min(this.config.connectTimeoutMs, this.remainingMs())),
        totalTimeoutMs: Math.max(1, Math.min(this.config.timeoutMs, this.remainingMs())),
      });
      const parsed = interpretReply(reply, spec.reply, { endpoint: endpointLabel, requestId });
      await this.record(spec, { sentPath, attempt, requestId, started, status: reply.status });
      return parsed;
    } catch (caught) {
      const error = toHubbyError(caught, { endpoint: endpointLabel, requestId, status: reply?.status });
      await this.record(spec, { sentPath, attempt, requestId, started, status: reply?.status ?? null, error });
      throw error;
    }
  }

  private async record(
    spec: CallSpec<z.ZodType>,
    outcome: {
      sentPath: string;
      attempt: number;
      requestId: string;
      started: number;
      status: number | null;
      error?: HubbyApiError;
    },
  ) {
    const durationMs = Math.round(performance.now() - outcome.started);
    recordHubbyCall(spec.endpoint, outcome.status, durationMs);
    log("hubby").info(
      {
        endpoint: spec.endpoint,
        status: outcome.status,
        durationMs,
        attempt: outcome.attempt,
        requestId: outcome.requestId,
        ...(outcome.error ? { errorKind: outcome.error.kind } : {}),
      },
      "hubby call",
    );
    if (!this.config.recorder) return;
    try {
      const recorded = this.config.recorder({
        method: spec.method,
        endpoint: spec.endpoint,
        path: outcome.sentPath,
        status: outcome.status,
        ok: !outcome.error,
        durationMs: Math.round(performance.now() - outcome.started),
        attempt: outcome.attempt,
        errorKind: outcome.error?.kind,
        errorCode: outcome.error?.code === undefined ? undefined : String(outcome.error.code),
        errorMessage: outcome.error?.message,
        requestId: outcome.requestId,
        externalUserId: spec.externalUserId,
        context: this.context,
      });
      if (this.context.background) {
        void Promise.resolve(recorded).catch((error: unknown) => this.recordFailed(outcome.requestId, error));
      } else await recorded;
    } catch (error) {
      this.recordFailed(outcome.requestId, error);
    }
  }

  private recordFailed(requestId: string, error: unknown) {
    // The log must never turn a good Hubby call into a failure.
    log("hubby").error({ requestId, ...errorFields(error) }, "could not record the API call");
  }
}

function interpretReply<T extends z.ZodType>(
  reply: HttpReply,
  schema: T,
  where: { endpoint: string; requestId: string },
): z.output<T> {
  let json: unknown;
  try {
    json = reply.body === "" ? undefined : JSON.parse(reply.body);
  } catch {
    json = undefined;
  }

  if (reply.status < 200 || reply.status >= 300) {
    const envelope = errorEnvelopeSchema.safeParse(json);
    const error = envelope.success ? envelope.data.error : undefined;
    const hubbyMessage = error?.message ?? (envelope.success ? envelope.data.message : undefined);
    throw new HubbyApiError({
      kind: "http",
      status: reply.status,
      code: error?.code,
      details: error?.details,
      message: describeHttpError(reply.status, hubbyMessage, error?.details),
      ...where,
    });
  }

  if (json === undefined) {
    throw new HubbyApiError({
      kind: "invalid_response",
      status: reply.status,
      message: "Hubby sent a reply that is not JSON.",
      ...where,
    });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const at = issue?.path.length ? issue.path.join(".") : "reply";
    throw new HubbyApiError({
      kind: "invalid_response",
      status: reply.status,
      message: `Hubby's reply did not have the expected shape (${at}: ${issue?.message ?? "invalid"}).`,
      ...where,
    });
  }
  return parsed.data;
}

function describeHttpError(
  status: number,
  hubbyMessage: string | undefined,
  details: Record<string, unknown> | undefined,
) {
  const detail =
    typeof details?.field === "string" && typeof details?.issue === "string"
      ? ` (${details.field}: ${details.issue})`
      : "";
  const said = hubbyMessage ? `${hubbyMessage}${detail}` : `HTTP ${status}${detail}`;
  if (status === 401) return `Hubby refused the console's credentials: ${said}.`;
  if (status === 404) return `Hubby could not find it: ${said}.`;
  if (status >= 500) return `Hubby had a problem (HTTP ${status}): ${said}. Try again shortly.`;
  return `Hubby rejected the request: ${said}.`;
}

function toHubbyError(caught: unknown, where: { endpoint: string; requestId: string; status?: number }): HubbyApiError {
  if (caught instanceof HubbyApiError) return caught;
  if (caught instanceof TransportError) {
    const timeout = caught.failure === "timeout" || caught.failure === "connect_timeout";
    return new HubbyApiError({
      kind: timeout ? "timeout" : "network",
      message: timeout
        ? `Hubby did not answer in time (${caught.message}).`
        : `Could not reach Hubby (${caught.message}).`,
      endpoint: where.endpoint,
      requestId: where.requestId,
    });
  }
  return new HubbyApiError({
    kind: "network",
    message: "The call to Hubby failed unexpectedly.",
    endpoint: where.endpoint,
    requestId: where.requestId,
    status: where.status,
  });
}

/** Exponential backoff with full jitter: a random delay in [base·2^(n-1)/2, base·2^(n-1)]. */
export function backoffDelay(attempt: number, baseMs: number, random: () => number = Math.random): number {
  const ceiling = baseMs * 2 ** (attempt - 1);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

function singleTraveler(input: CreateBookingInput): string | undefined {
  const ids = new Set(input.package_specifications.map((spec) => spec.external_user_id));
  return ids.size === 1 ? [...ids][0] : undefined;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
