import "server-only";
import { storableText } from "../storable";

/** What the intake (lib/webhooks/intake.ts) and the projector (lib/webhooks/projector.ts) share about failures. */

/**
 * Deadlock (40P01) and serialization failure (40001): PostgreSQL aborted the statement for how it met a concurrent
 * one, not for its content. Up to four waves per instance, and several instances, write at once, and a statement's
 * CTEs and the triggers they fire do not lock tables in a fixed order, so two statements can each wait on a row the
 * other holds (bench:soak met it). The statement rolled back whole, and the dedupe claim and the order-independent,
 * idempotent upserts make running it again safe.
 */
const LOCK_CONFLICT_CODES = new Set(["40P01", "40001"]);
const LOCK_CONFLICT_ATTEMPTS = 3;

function isLockConflict(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && LOCK_CONFLICT_CODES.has(code);
}

/**
 * Runs a statement, running it again (at most LOCK_CONFLICT_ATTEMPTS in all) after a short jittered pause when
 * PostgreSQL aborted it as a lock conflict; the pause lets the other statement commit and keeps two retries from
 * meeting again in step. Any other error, or the last attempt's, goes to the caller's fallback.
 */
export async function retryingLockConflicts<T>(what: string, run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      const result = await run();
      if (attempt > 1) console.warn(`[webhooks] ${what} stored after ${attempt - 1} retries on a lock conflict`);
      return result;
    } catch (error) {
      if (!isLockConflict(error)) throw error;
      if (attempt >= LOCK_CONFLICT_ATTEMPTS) {
        console.warn(`[webhooks] ${what} still in a lock conflict after ${attempt - 1} retries: ${oneLine(error)}`);
        throw error;
      }
      await new Promise((resume) => setTimeout(resume, 20 * attempt + Math.random() * 30 * attempt));
    }
  }
}

/** An error as one log or column line, without its stack. */
export function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return storableText(message.replace(/\s+/g, " ").trim(), 500);
}

/**
 * The reason kept on an event whose projection the database refused: the intake's and the projector's wording.
 * Takes the refusal already as one line (oneLine), which the intake also keeps apart.
 */
export function processingFailed(refusal: string): string {
  return `Processing failed: ${refusal}`;
}

/**
 * True when the database refused a statement for what it held (a number out of a column's range, a value a type
 * cannot read: SQLSTATE classes other than the ones below), so the same statement would fail again. False when the
 * database could not run it at all: no SQLSTATE (a connection that failed), connection exceptions (08), lock
 * conflicts (40), insufficient resources (53), operator intervention such as a shutdown (57), system errors (58).
 */
export function isRefusedContent(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) && !/^(08|40|53|57|58)/.test(code);
}
