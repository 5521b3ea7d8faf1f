import "server-only";
import { db } from "../db";
import { parseWebhookBody, parseWebhookBytes } from "./envelope";
import { applyEvent, eventColumns, type StoredStatus } from "./intake";
import { webhookWhere, type WebhookQuery } from "./queries";
import { findStoredEvent } from "./stored";
import { affectedRows, diff, type FieldChange } from "./snapshot";

/**
 * Replaying re-runs the handler on a stored body. A dry run does the same work inside a transaction and rolls
 * it back, reporting what would change, field by field.
 */

export type ReplayOutcome = { status: StoredStatus; error: string | null; changes: FieldChange[] };

class DryRun extends Error {
  constructor(readonly outcome: ReplayOutcome) {
    super("dry run");
  }
}

export async function replayEvent(id: bigint, options: { dryRun: boolean }): Promise<ReplayOutcome | null> {
  const event = await findStoredEvent(id);
  if (!event) return null;
  // rawBytes, when present, is the delivery as received; rawBody is then only a readable rendering of it.
  const parsed = event.rawBytes
    ? parseWebhookBytes(Buffer.from(event.rawBytes), event.eventId)
    : parseWebhookBody(event.rawBody, event.eventId);
  if (!parsed.ok) return { status: "quarantined", error: parsed.error, changes: [] };
  const refs = eventColumns(parsed.event);
  try {
    return await db().$transaction(async (tx) => {
      const before = await affectedRows(tx, refs);
      const result = await applyEvent(tx, parsed.event, event.receivedAt);
      const outcome = { ...result, changes: diff(before, await affectedRows(tx, refs)) };
      if (options.dryRun) throw new DryRun(outcome);
      await tx.webhookEvent.update({
        where: { id_receivedAt: { id, receivedAt: event.receivedAt } },
        data: {
          status: result.status,
          error: result.error,
          attempts: { increment: 1 },
          processedAt: result.status === "processed" ? new Date() : event.processedAt,
        },
      });
      return outcome;
    });
  } catch (error) {
    if (error instanceof DryRun) return error.outcome;
    const message = error instanceof Error ? error.message : String(error);
    if (!options.dryRun) {
      await db().webhookEvent.update({
        where: { id_receivedAt: { id, receivedAt: event.receivedAt } },
        data: { status: "failed", error: `Replay failed: ${message.slice(0, 500)}`, attempts: { increment: 1 } },
      });
    }
    return { status: "failed", error: message, changes: [] };
  }
}

export const MAX_BULK_REPLAY = 5_000;

/** Replays every event matching the inbox filter, oldest first, up to MAX_BULK_REPLAY. */
export async function replayMatching(query: Omit<WebhookQuery, "page" | "sort">) {
  const where = webhookWhere(query);
  const total = await db().webhookEvent.count({ where });
  const tally = { total, replayed: 0, processed: 0, failed: 0, other: 0, capped: total > MAX_BULK_REPLAY };
  let cursor: bigint | undefined;
  while (tally.replayed < Math.min(total, MAX_BULK_REPLAY)) {
    const batch = await db().webhookEvent.findMany({
      where: { ...where, ...(cursor ? { id: { gt: cursor } } : {}) },
      orderBy: { id: "asc" },
      take: 200,
      select: { id: true },
    });
    if (batch.length === 0) break;
    for (const { id } of batch) {
      if (tally.replayed >= MAX_BULK_REPLAY) break;
      const outcome = await replayEvent(id, { dryRun: false });
      tally.replayed += 1;
      if (outcome?.status === "processed") tally.processed += 1;
      else if (outcome?.status === "failed") tally.failed += 1;
      else tally.other += 1;
    }
    cursor = batch.at(-1)!.id;
  }
  return tally;
}
