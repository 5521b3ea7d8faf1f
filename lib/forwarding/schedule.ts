/**
 * When a forwarded message is tried again (issue 19, the Standard Webhooks / Svix schedule): the first attempt at
 * once, then after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h; after the eighth failed attempt the message is
 * failed. Pure, so tests check the times rather than wait for them.
 */
export const RETRY_DELAYS_MS = [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000] as const;

/** Attempts in all: the first plus one per delay. */
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;

/** An endpoint whose attempts have all failed for this long is disabled. */
export const DISABLE_AFTER_FAILING_MS = 5 * 86_400_000;

/** Total time one attempt may take (connect, send, reply headers and the kept start of the body). */
export const ATTEMPT_TIMEOUT_MS = 15_000;

/** The first bytes of a reply kept in the delivery log. */
export const KEPT_REPLY_BYTES = 2_048;

/**
 * When to try again after `attemptsMade` attempts that all failed (the last at `failedAt`), or null when the
 * message has had all its attempts. A message retried by staff past its schedule gets that one attempt only.
 */
export function nextAttemptAt(attemptsMade: number, failedAt: Date): Date | null {
  if (attemptsMade < 1 || attemptsMade >= MAX_ATTEMPTS) return null;
  return new Date(failedAt.getTime() + RETRY_DELAYS_MS[attemptsMade - 1]!);
}

/** Whether an endpoint failing since `failingSince` has failed long enough to be disabled at `now`. */
export function failedTooLong(failingSince: Date | null, now: Date): boolean {
  return failingSince !== null && now.getTime() - failingSince.getTime() >= DISABLE_AFTER_FAILING_MS;
}

/** 2xx is success; anything else (3xx included: redirects are not followed) is a failure. */
export function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

/**
 * Under a burst of Hubby's deliveries the intake comes first (docs/decisions/0079): a burst is BURST_LOAD deliveries
 * or more waiting for their write on average lately (lib/webhooks/intake.ts, intakeLoad), where deliveries that come
 * and go keep it below one. Stored events wait for the burst to ease, MAX_HOLD_MS at most.
 */
export const BURST_LOAD = 4;
export const MAX_HOLD_MS = 1_000;

/** Whether stored events may be forwarded now, given the intake's load and how long the oldest has waited (if any). */
export function mayForwardNow(intakeLoad: number, heldForMs: number | null): boolean {
  return intakeLoad < BURST_LOAD || heldForMs === null || heldForMs >= MAX_HOLD_MS;
}
