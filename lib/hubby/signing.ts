import crypto from "node:crypto";

/**
 * Hubby request signing (reference §2): x-signature = lowercase hex HMAC-SHA256(secret, timestamp + METHOD + path),
 * where path is the URL's pathname plus `?query` exactly as sent. The body is not signed.
 *
 * The documents disagree on whether the base URL's mount prefix (`/api`) is part of the signed path. The guides and
 * every curl example sign it (`/api/bookings?perPage=10`), so "full" is the default; "relative" signs the path
 * relative to the base URL (`/bookings?perPage=10`), as the 2.0.0 spec text shows.
 */
export type SignedPathMode = "full" | "relative";

export type SignatureHeaders = { "x-api-key": string; "x-timestamp": string; "x-signature": string };

export function signaturePayload(timestamp: string, method: string, path: string): string {
  return `${timestamp}${method.toUpperCase()}${path}`;
}

export function computeSignature(secret: string, timestamp: string, method: string, path: string): string {
  return crypto
    .createHmac("sha256", secret)
    .update(signaturePayload(timestamp, method, path))
    .digest("hex");
}

/** The path to sign for a request URL, given the base URL it was built from. */
export function signedPath(url: URL, baseUrl: URL, mode: SignedPathMode = "full"): string {
  const full = `${url.pathname}${url.search}`;
  if (mode === "full") return full;
  const prefix = baseUrl.pathname.replace(/\/+$/, "");
  return prefix && full.startsWith(`${prefix}/`) ? full.slice(prefix.length) : full;
}

export function signRequest(options: {
  apiKey: string;
  secret: string;
  method: string;
  url: URL;
  baseUrl: URL;
  mode?: SignedPathMode;
  now?: number;
}): SignatureHeaders {
  const timestamp = String(options.now ?? Date.now());
  const path = signedPath(options.url, options.baseUrl, options.mode);
  return {
    "x-api-key": options.apiKey,
    "x-timestamp": timestamp,
    "x-signature": computeSignature(options.secret, timestamp, options.method, path),
  };
}

/** Constant-time comparison of two hex signatures (for the sandbox, which verifies like Hubby). */
export function signaturesMatch(expected: string, received: string): boolean {
  const a = Buffer.from(expected, "utf8");
  const b = Buffer.from(received.toLowerCase(), "utf8");
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}
