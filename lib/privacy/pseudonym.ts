import "server-only";
import crypto from "node:crypto";
import { getEnv } from "../env";

/**
 * The pseudonym that replaces an erased traveler's external_user_id: `erased-` and 24 hex digits of an HMAC of
 * the id under a key derived from NEXTAUTH_SECRET (docs/decisions/0062). The same id always gives the same
 * pseudonym, so events that arrive after the erasure are recognised by their id's pseudonym, while the database
 * alone (without the secret) cannot be searched for a candidate id.
 */
export const PSEUDONYM_PREFIX = "erased-";

/** Development without NEXTAUTH_SECRET only: production requires the secret (lib/env.ts). */
const DEVELOPMENT_KEY = "hubby-console-development-pseudonym-key";

function pseudonymKey(): Buffer {
  const secret = getEnv().NEXTAUTH_SECRET ?? DEVELOPMENT_KEY;
  return Buffer.from(crypto.hkdfSync("sha256", secret, "hubby-console", "traveler-pseudonym-v1", 32));
}

export function pseudonymFor(externalUserId: string): string {
  const mac = crypto.createHmac("sha256", pseudonymKey()).update(externalUserId, "utf8").digest("hex");
  return `${PSEUDONYM_PREFIX}${mac.slice(0, 24)}`;
}

export function isPseudonym(externalUserId: string): boolean {
  return /^erased-[0-9a-f]{24}$/.test(externalUserId);
}
