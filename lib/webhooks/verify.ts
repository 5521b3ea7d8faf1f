import crypto from "node:crypto";

/**
 * Authenticates a Hubby webhook on its raw bytes (reference §5.2): the configured header must carry the API key
 * (with an optional prefix such as "Bearer "), and, when a signing secret is configured, `x-hubby-signature` must
 * hold a `sha256=<hex>` entry (comma-separated list, any may match) of HMAC-SHA256(secret, "{timestamp}.{body}")
 * with a timestamp within the tolerance (HUBBY_WEBHOOK_TOLERANCE_SECONDS). Every comparison is constant-time.
 *
 * A delivery whose timestamp is outside the tolerance is refused, but its signature is still checked and its age
 * named in the reason: a Hubby retry signed with its original timestamp (retries come after 1, 5 and 30 minutes)
 * then shows on the health panel as "signed, too old" instead of being lost without a trace.
 */

export type WebhookAuthSettings = {
  apiKey: string;
  authHeader: string;
  authPrefix: string;
  signingSecret?: string;
  timestampHeader: string;
  toleranceMs?: number;
};

/** What the receiver reads of a request's headers: the Fetch API's Headers, or a cheap view over node:http's. */
export type HeaderReader = { get(name: string): string | null };

export type VerifyResult = { ok: true } | { ok: false; reason: string };

/** How old (or how far ahead) a refused timestamp was, in bands coarse enough to count per minute. */
export function ageBand(ms: number): string {
  const minutes = Math.abs(ms) / 60_000;
  if (minutes <= 15) return "up to 15 min";
  if (minutes <= 60) return "15–60 min";
  if (minutes <= 360) return "1–6 h";
  if (minutes <= 1440) return "6–24 h";
  return "over 24 h";
}

export const SIGNATURE_HEADER = "x-hubby-signature";
const DEFAULT_TOLERANCE_MS = 5 * 60_000;

/**
 * Whether a presented signature equals the expected one (lowercase hex), in a time that does not depend on where they
 * differ. The expected one's length is no secret (a SHA-256 digest is 64 hex characters), and neither is whether the
 * candidate is hex at all: either answers at once. Hashing both to equal lengths first, as for the API key, cost two
 * more digests per delivery.
 */
function signatureMatches(candidate: string, expected: string): boolean {
  if (candidate.length !== expected.length || !HEX.test(candidate)) return false;
  return crypto.timingSafeEqual(Buffer.from(candidate, "latin1"), Buffer.from(expected, "latin1"));
}
const HEX = /^[0-9a-f]*$/;

/**
 * The presented key against the configured one, in constant time: equal-length digests make timingSafeEqual usable
 * on keys of any length (without telling the key's length), and the configured key's is computed once.
 */
function matchesApiKey(presented: string, apiKey: string): boolean {
  if (apiKeyDigest?.key !== apiKey) apiKeyDigest = { key: apiKey, digest: sha256(apiKey) };
  return crypto.timingSafeEqual(sha256(presented), apiKeyDigest.digest);
}
let apiKeyDigest: { key: string; digest: Buffer } | null = null;

const sha256 = (value: string) => crypto.createHash("sha256").update(value).digest();

export function webhookSignature(secret: string, timestamp: string, rawBody: Buffer | string): string {
  return crypto.createHmac("sha256", secret).update(`${timestamp}.`).update(rawBody).digest("hex");
}

/** Seconds or milliseconds since the epoch; anything else is not a timestamp. */
export function parseWebhookTimestamp(value: string): number | undefined {
  if (!/^\d{9,13}$/.test(value.trim())) return undefined;
  const number = Number(value.trim());
  return value.trim().length >= 12 ? number : number * 1000;
}

export function verifyWebhook(
  headers: HeaderReader,
  rawBody: Buffer,
  settings: WebhookAuthSettings,
  now: number = Date.now(),
): VerifyResult {
  const presented = headers.get(settings.authHeader);
  if (presented === null) return { ok: false, reason: "missing_api_key" };
  const prefix = settings.authPrefix;
  const key = prefix && presented.startsWith(prefix) ? presented.slice(prefix.length) : prefix ? null : presented;
  // Compare even when the prefix is missing, so the timing does not tell which part was wrong.
  const keyMatches = matchesApiKey(key ?? "", settings.apiKey);
  if (key === null || !keyMatches) return { ok: false, reason: "wrong_api_key" };

  if (!settings.signingSecret) return { ok: true };
  const signatureHeader = headers.get(SIGNATURE_HEADER);
  if (!signatureHeader?.trim()) return { ok: false, reason: "missing_signature" };
  const timestampValue = headers.get(settings.timestampHeader);
  if (!timestampValue) return { ok: false, reason: "missing_timestamp" };
  const timestamp = parseWebhookTimestamp(timestampValue);
  if (timestamp === undefined) return { ok: false, reason: "invalid_timestamp" };
  const outside = Math.abs(now - timestamp) > (settings.toleranceMs ?? DEFAULT_TOLERANCE_MS);
  const expected = webhookSignature(settings.signingSecret, timestampValue.trim(), rawBody);
  const candidates = signatureHeader
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry.startsWith("sha256="))
    .map((entry) => entry.slice("sha256=".length).toLowerCase());
  // Check every entry (no early exit), so timing does not reveal which one matched.
  let matched = false;
  for (const candidate of candidates) matched = signatureMatches(candidate, expected) || matched;
  if (outside) {
    const kind = timestamp < now ? "stale_timestamp" : "future_timestamp";
    return { ok: false, reason: `${kind}${matched ? "_signed" : ""} (${ageBand(now - timestamp)})` };
  }
  return matched ? { ok: true } : { ok: false, reason: "bad_signature" };
}
