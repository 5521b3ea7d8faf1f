import "server-only";
import { db } from "../db";
import type { Prisma } from "../generated/prisma/client";
import { parseWebhookBody } from "./envelope";
import { applyEvent, eventColumns, type StoredStatus } from "./intake";
import { webhookWhere, type WebhookQuery } from "./queries";

/**
 * Replaying re-runs the handler on a stored payload. A dry run does the same work inside a transaction and rolls
 * it back, reporting what would change, field by field.
 */

export type FieldChange = { table: string; key: string; field: string; before: string | null; after: string | null };
export type ReplayOutcome = { status: StoredStatus; error: string | null; changes: FieldChange[] };

class DryRun extends Error {
  constructor(readonly outcome: ReplayOutcome) {
    super("dry run");
  }
}

type Row = Record<string, unknown>;
type Refs = { externalUserId: string | null; bookingId: string | null; packageId: string | null };

async function affectedRows(tx: Prisma.TransactionClient, refs: Refs): Promise<Map<string, Row>> {
  const rows = new Map<string, Row>();
  if (refs.externalUserId) {
    const traveler = await tx.traveler.findUnique({ where: { externalUserId: refs.externalUserId } });
    if (traveler) rows.set(`Traveler ${refs.externalUserId}`, traveler);
    if (refs.bookingId) {
      const booking = await tx.travelerBooking.findUnique({
        where: { bookingId_externalUserId: { bookingId: refs.bookingId, externalUserId: refs.externalUserId } },
      });
      if (booking) rows.set(`TravelerBooking ${refs.bookingId}/${refs.externalUserId}`, booking);
    }
  }
  if (refs.packageId) {
    const pkg = await tx.travelerPackage.findUnique({ where: { packageId: refs.packageId } });
    if (pkg) rows.set(`TravelerPackage ${refs.packageId}`, pkg);
    for (const sample of await tx.usageSample.findMany({ where: { packageId: refs.packageId } })) {
      rows.set(`UsageSample ${refs.packageId}/${sample.percent}%`, sample);
    }
  }
  if (refs.bookingId) {
    for (const promo of await tx.promoRedemption.findMany({ where: { bookingId: refs.bookingId } })) {
      rows.set(`PromoRedemption ${promo.promoCode}/${refs.bookingId}`, promo);
    }
  }
  return rows;
}

const show = (value: unknown): string | null =>
  value === null || value === undefined ? null : value instanceof Date ? value.toISOString() : String(value);

function diff(before: Map<string, Row>, after: Map<string, Row>): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const [key, row] of after) {
    const old = before.get(key);
    const [table, ...rest] = key.split(" ");
    for (const [field, value] of Object.entries(row)) {
      const previous = old ? show(old[field]) : null;
      const next = show(value);
      if (previous !== next) changes.push({ table: table!, key: rest.join(" "), field, before: previous, after: next });
    }
  }
  return changes;
}

export async function replayEvent(id: bigint, options: { dryRun: boolean }): Promise<ReplayOutcome | null> {
  const event = await db().webhookEvent.findUnique({ where: { id } });
  if (!event) return null;
  const parsed = parseWebhookBody(event.rawBody, event.eventId);
  if (!parsed.ok) return { status: "quarantined", error: parsed.error, changes: [] };
  const refs = eventColumns(parsed.event);
  try {
    return await db().$transaction(async (tx) => {
      const before = await affectedRows(tx, refs);
      const result = await applyEvent(tx, parsed.event, event.receivedAt);
      const outcome = { ...result, changes: diff(before, await affectedRows(tx, refs)) };
      if (options.dryRun) throw new DryRun(outcome);
      await tx.webhookEvent.update({
        where: { id },
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
        where: { id },
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
