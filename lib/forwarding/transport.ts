import "server-only";
import { postOutbound, type PostOutcome } from "../outbound";
import { ATTEMPT_TIMEOUT_MS, KEPT_REPLY_BYTES } from "./schedule";

/**
 * The one way forwarded webhooks leave the console: a POST through lib/outbound.ts (request-filtering-agent, shared
 * with the alerts' chat webhook), which refuses loopback, link-local and private addresses unless
 * HUBBY_FORWARD_ALLOW_PRIVATE lets a partner's internal backend be reached.
 */

export type { PostOutcome };

export function postWebhook(
  url: string,
  headers: Record<string, string>,
  body: Buffer,
  options: { allowPrivate: boolean; timeoutMs?: number },
): Promise<PostOutcome> {
  return postOutbound(url, headers, body, {
    allowPrivate: options.allowPrivate,
    timeoutMs: options.timeoutMs ?? ATTEMPT_TIMEOUT_MS,
    keptReplyBytes: KEPT_REPLY_BYTES,
  });
}
