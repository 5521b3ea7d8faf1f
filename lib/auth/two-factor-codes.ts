import crypto from "node:crypto";
import { Secret, TOTP } from "otpauth";

/**
 * The pure side of two-factor sign-in: TOTP secrets and codes (RFC 6238 through `otpauth`: SHA-1, 6 digits, 30 s,
 * what every authenticator app reads), the secret's encryption at rest, and recovery codes.
 */

export const TOTP_ISSUER = "Hubby console";
export const TOTP_PERIOD_SECONDS = 30;
export const RECOVERY_CODE_COUNT = 10;

function totpFor(base32Secret: string, label = "") {
  return new TOTP({
    issuer: TOTP_ISSUER,
    label,
    algorithm: "SHA1",
    digits: 6,
    period: TOTP_PERIOD_SECONDS,
    secret: Secret.fromBase32(base32Secret),
  });
}

/** A new random secret (160 bits, as RFC 4226 recommends), base32 as authenticator apps take it. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The otpauth:// URI the QR code carries. */
export function totpUri(base32Secret: string, accountEmail: string): string {
  return totpFor(base32Secret, accountEmail).toString();
}

/** The code an authenticator shows at `timestamp` (tests, and nothing else, need to compute one). */
export function totpCode(base32Secret: string, timestamp = Date.now()): string {
  return totpFor(base32Secret).generate({ timestamp });
}

/** The 30-second time step `timestamp` falls in. */
export function totpStep(timestamp: number): number {
  return Math.floor(timestamp / 1000 / TOTP_PERIOD_SECONDS);
}

/**
 * The time step of a valid code, or null. One step either side is accepted (clock drift, a code typed as it
 * changes); a step at or before `lastUsedStep` is refused, so a code that signed in once cannot sign in again.
 */
export function acceptedTotpStep(
  base32Secret: string,
  code: string,
  lastUsedStep: number | null,
  timestamp = Date.now(),
): number | null {
  const token = code.replace(/\s+/g, "");
  if (!/^\d{6}$/.test(token)) return null;
  const delta = totpFor(base32Secret).validate({ token, timestamp, window: 1 });
  if (delta === null) return null;
  const step = totpStep(timestamp) + delta;
  return lastUsedStep !== null && step <= lastUsedStep ? null : step;
}

// ── Secret at rest ─────────────────────────────────────────────────────────────────────────────────────────
// TOTP is symmetric: the server must read the secret back, so it cannot be hashed. It is encrypted (AES-256-GCM)
// under a key derived from NEXTAUTH_SECRET, so a copy of the database alone does not give the codes away
// (docs/decisions/0047).

const SEAL_VERSION = "v1";

function sealKey(appSecret: string): Buffer {
  return Buffer.from(crypto.hkdfSync("sha256", appSecret, "hubby-console", "totp-secret-v1", 32));
}

export function sealSecret(base32Secret: string, appSecret: string): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", sealKey(appSecret), iv);
  const body = Buffer.concat([cipher.update(base32Secret, "utf8"), cipher.final()]);
  return [SEAL_VERSION, iv, cipher.getAuthTag(), body]
    .map((part) => (typeof part === "string" ? part : part.toString("base64url")))
    .join(".");
}

/** The secret, or null when it was sealed under another NEXTAUTH_SECRET (or tampered with). */
export function openSecret(sealed: string, appSecret: string): string | null {
  const [version, iv, tag, body] = sealed.split(".");
  if (version !== SEAL_VERSION || !iv || !tag || !body) return null;
  try {
    const decipher = crypto.createDecipheriv("aes-256-gcm", sealKey(appSecret), Buffer.from(iv, "base64url"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
}

// ── Recovery codes ─────────────────────────────────────────────────────────────────────────────────────────

// No 0/o, 1/l/i: read off paper and typed back.
const RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";

/** Ten codes like `k7m2p-x9qrt` (about 49 bits each), shown once. */
export function newRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  return Array.from({ length: count }, () => {
    const chars = Array.from({ length: 10 }, () => RECOVERY_ALPHABET[crypto.randomInt(RECOVERY_ALPHABET.length)]);
    return `${chars.slice(0, 5).join("")}-${chars.slice(5).join("")}`;
  });
}

/** What is hashed and compared: case, spaces and dashes do not matter. */
export function normalizeRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[\s-]+/g, "");
}

/** A recovery code is ten letters and digits; a TOTP code six digits. */
export function looksLikeRecoveryCode(code: string): boolean {
  return /^[a-z0-9]{10}$/.test(normalizeRecoveryCode(code));
}
