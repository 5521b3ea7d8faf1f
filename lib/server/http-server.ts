import http from "node:http";
import { responseSecurityHeaders, servedOverHttps } from "../security-headers";

/**
 * The console's node:http server, with the limits a public server needs (scripts/server.ts puts the webhook
 * receiver and Next.js behind it):
 * - a client has HEADERS_TIMEOUT_MS to send its headers and BODY_TIMEOUT_MS to send its body (the campaign upload
 *   UPLOAD_TIMEOUT_MS), then it gets 408 and the connection is closed, so slow clients cannot hold connections;
 * - idle keep-alive connections close after KEEP_ALIVE_TIMEOUT_MS, and a connection serves at most
 *   MAX_REQUESTS_PER_SOCKET requests;
 * - `X-Forwarded-*` headers are dropped unless a proxy in front is declared trusted (TRUST_PROXY), so a client
 *   cannot choose the host the origin check compares with, or the IP the sign-in throttle counts; X-Forwarded-For
 *   is then the connection's peer address (lib/client-ip.ts reads it);
 * - every response carries the security headers (lib/security-headers.ts), also those Next.js never sees (the
 *   webhook receiver, the refusals below); Next.js and the proxy set the page ones over them;
 * - a state-changing request from another origin (a server action, a form, a route) gets 403 here, where Next.js
 *   would answer a cross-origin server action with a 500;
 * - a body larger than MAX_BODY_BYTES (what the largest form needs) gets 413 before anything reads it, where Next.js
 *   would buffer it (server actions, the proxy) and answer 500; paths with their own limits (the campaign upload,
 *   the webhook receiver) are exempt. A body of unknown length (chunked) passes: Next.js forwards a server action
 *   to the worker that holds it with a streamed body, through this server; its own 1 MB limit then applies.
 */

export const HEADERS_TIMEOUT_MS = 10_000;
export const BODY_TIMEOUT_MS = 30_000;
export const UPLOAD_TIMEOUT_MS = 120_000;
export const KEEP_ALIVE_TIMEOUT_MS = 5_000;
export const MAX_REQUESTS_PER_SOCKET = 1_000;
/** Matches serverActions.bodySizeLimit and proxyClientMaxBodySize in next.config.js. */
export const MAX_BODY_BYTES = 1024 * 1024;

export type ConsoleServerOptions = {
  trustProxy: boolean;
  /** The console's public URL (NEXTAUTH_URL), also accepted as an origin. */
  publicUrl?: string;
  /** Paths whose bodies may take UPLOAD_TIMEOUT_MS (large files). */
  uploadPaths?: readonly string[];
  /** Paths that are not browser requests and carry their own authentication (webhooks). */
  originExemptPaths?: readonly string[];
  /** Paths that read and cap their bodies themselves (the campaign upload, the webhook receiver). */
  ownBodyLimitPaths?: readonly string[];
  maxBodyBytes?: number;
  timeouts?: Partial<{ headersMs: number; bodyMs: number; uploadMs: number; keepAliveMs: number }>;
};

type Handler = (request: http.IncomingMessage, response: http.ServerResponse) => void;

const FORWARDED_HEADERS = ["forwarded", "x-forwarded-host", "x-forwarded-proto", "x-forwarded-for", "x-real-ip"];
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
/** The security headers as [name, value] pairs, over http and over https: the same for every response. */
const SECURITY_HEADER_ENTRIES = {
  http: Object.entries(responseSecurityHeaders(false)),
  https: Object.entries(responseSecurityHeaders(true)),
};

export function createConsoleServer(options: ConsoleServerOptions, handler: Handler): http.Server {
  const timeouts = {
    headersMs: HEADERS_TIMEOUT_MS,
    bodyMs: BODY_TIMEOUT_MS,
    uploadMs: UPLOAD_TIMEOUT_MS,
    keepAliveMs: KEEP_ALIVE_TIMEOUT_MS,
    ...options.timeouts,
  };
  const server = http.createServer({
    headersTimeout: timeouts.headersMs,
    // Node's own whole-request limit is the backstop; the per-path body limit below is the one that applies.
    requestTimeout: Math.max(timeouts.uploadMs, timeouts.bodyMs) + timeouts.headersMs,
    keepAliveTimeout: timeouts.keepAliveMs,
    // How often Node checks those limits (default 30 s, which would let slow headers through for that long).
    connectionsCheckingInterval: Math.min(1_000, timeouts.headersMs),
  });
  server.maxRequestsPerSocket = MAX_REQUESTS_PER_SOCKET;

  server.on("request", (request: http.IncomingMessage, response: http.ServerResponse) => {
    if (!options.trustProxy) replaceForwardedHeaders(request);
    const https = servedOverHttps(options.publicUrl, firstValue(request.headers["x-forwarded-proto"]));
    for (const [name, value] of SECURITY_HEADER_ENTRIES[https ? "https" : "http"]) response.setHeader(name, value);
    const path = (request.url ?? "/").split("?")[0]!;
    const refusal = crossOriginRefusal(request, path, options);
    if (refusal) {
      // Drain nothing: the body of a refused request is not read, and the connection is closed after the answer.
      respond(response, 403, refusal);
      return;
    }
    const oversize = options.ownBodyLimitPaths?.includes(path)
      ? null
      : bodySizeRefusal(request, options.maxBodyBytes ?? MAX_BODY_BYTES);
    if (oversize) {
      refuseAfterDraining(request, response, oversize, timeouts.bodyMs);
      return;
    }
    limitBodyTime(request, response, options.uploadPaths?.includes(path) ? timeouts.uploadMs : timeouts.bodyMs);
    handler(request, response);
  });
  return server;
}

/** Drops what the client wrote in X-Forwarded-*; X-Forwarded-For becomes the peer address of the connection. */
export function replaceForwardedHeaders(request: http.IncomingMessage) {
  for (const name of FORWARDED_HEADERS) delete request.headers[name];
  const peer = request.socket.remoteAddress;
  if (peer) request.headers["x-forwarded-for"] = peer;
}

function firstValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Why a request from another origin is refused, or null when it is same-origin (or carries no Origin). */
export function crossOriginRefusal(
  request: http.IncomingMessage,
  path: string,
  options: Pick<ConsoleServerOptions, "publicUrl" | "originExemptPaths">,
): string | null {
  if (SAFE_METHODS.has(request.method ?? "GET")) return null;
  if (options.originExemptPaths?.some((exempt) => path === exempt)) return null;
  const origin = request.headers.origin;
  // Browsers send Origin with every cross-origin and every POST request; a client without it has no victim's
  // cookies to ride on (CSRF needs a browser), so the session check decides.
  if (origin === undefined) return null;
  let originHost: string;
  try {
    originHost = new URL(origin).host.toLowerCase();
  } catch {
    // "null" (a sandboxed frame, a file: page) or garbage: not this console's origin.
    return "Cross-origin request refused.";
  }
  const allowed = new Set<string>();
  const host = request.headers.host?.toLowerCase();
  if (host) allowed.add(host);
  const forwardedHost = request.headers["x-forwarded-host"];
  if (typeof forwardedHost === "string") allowed.add(forwardedHost.split(",")[0]!.trim().toLowerCase());
  if (options.publicUrl) allowed.add(new URL(options.publicUrl).host.toLowerCase());
  return allowed.has(originHost) ? null : "Cross-origin request refused.";
}

/** 413 for a declared body over the limit; null for everything else. */
export function bodySizeRefusal(
  request: http.IncomingMessage,
  maxBytes: number,
): { status: number; message: string } | null {
  if (SAFE_METHODS.has(request.method ?? "GET")) return null;
  const declared = request.headers["content-length"];
  if (declared === undefined) return null;
  return Number(declared) > maxBytes
    ? { status: 413, message: `The request is larger than ${Math.round(maxBytes / 1024 / 1024)} MB.` }
    : null;
}

/** A body up to this size is read and dropped before a refusal, so the client gets the answer, not a broken pipe. */
const MAX_DRAIN_BYTES = 64 * 1024 * 1024;

/**
 * Answers a refusal once the client has finished sending (the body is read and dropped, never kept), so a client
 * writing its body still gets the 413 instead of a broken pipe. A body larger than MAX_DRAIN_BYTES, or slower than
 * `limitMs`, is cut off: the answer goes out and the connection closes.
 */
function refuseAfterDraining(
  request: http.IncomingMessage,
  response: http.ServerResponse,
  refusal: { status: number; message: string },
  limitMs: number,
) {
  let drained = 0;
  const answer = () => {
    clearTimeout(timer);
    if (!response.headersSent) respond(response, refusal.status, refusal.message);
  };
  const cutOff = () => {
    answer();
    request.socket.destroySoon();
  };
  const timer = setTimeout(cutOff, limitMs);
  timer.unref();
  request.on("data", (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > MAX_DRAIN_BYTES) cutOff();
  });
  request.once("end", answer);
  request.once("error", answer);
}

/**
 * 408 and a closed connection when the body has not fully arrived within `limitMs` of the request's start (a
 * slow-body client). The timer ends with the request or the response, whichever is first.
 */
function limitBodyTime(request: http.IncomingMessage, response: http.ServerResponse, limitMs: number) {
  if (request.complete) return;
  const timer = setTimeout(() => {
    if (request.complete) return;
    if (!response.headersSent) respond(response, 408, "Request body not received in time.");
    request.socket.destroySoon();
  }, limitMs);
  timer.unref();
  const clear = () => clearTimeout(timer);
  // Never listen for "data" here: that would switch the body into flowing mode and take it from the handler.
  // "end" fires when the handler has read the body; the timer also checks `complete` before acting.
  request.once("end", clear);
  response.once("finish", clear);
  response.once("close", clear);
}

function respond(response: http.ServerResponse, status: number, message: string) {
  const body = JSON.stringify({ ok: false, message });
  response.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(body),
    "cache-control": "no-store",
    connection: "close",
  });
  response.end(body);
}
