import crypto from "node:crypto";
import { Webhook } from "standardwebhooks";

/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com) with the maintained `standardwebhooks` package:
 * `webhook-id`, `webhook-timestamp` (seconds) and `webhook-signature` (`v1,<base64>`, space-separated when several
 * secrets sign, which receivers accept when any one verifies: that is how a rotation overlaps).
 */

/** A new endpoint secret: `whsec_` and 24 random bytes in base64, the format the package reads. */
export function newSecret(): string {
  return `whsec_${crypto.randomBytes(24).toString("base64")}`;
}

/** The id a receiver deduplicates on: the same for every attempt of one event to one endpoint. */
export function webhookIdFor(eventId: bigint | string, endpointId: number): string {
  return `msg_${eventId}_${endpointId}`;
}

export function signatureHeaders(
  webhookId: string,
  at: Date,
  body: Buffer,
  secrets: string[],
): Record<"webhook-id" | "webhook-timestamp" | "webhook-signature", string> {
  // The package signs the text of the body; the body sent is these same bytes.
  const payload = body.toString("utf8");
  return {
    "webhook-id": webhookId,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": secrets.map((secret) => new Webhook(secret).sign(webhookId, at, payload)).join(" "),
  };
}
