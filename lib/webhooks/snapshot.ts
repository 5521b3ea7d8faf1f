import "server-only";
import type { Prisma } from "../generated/prisma/client";

/** Before/after snapshots of the projected rows an event touches, for replay dry runs and reconciliation. */

export type FieldChange = { table: string; key: string; field: string; before: string | null; after: string | null };

type Row = Record<string, unknown>;
export type Refs = { externalUserId: string | null; bookingId: string | null; packageId: string | null };

export async function affectedRows(tx: Prisma.TransactionClient, refs: Refs): Promise<Map<string, Row>> {
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
    for (const code of await tx.promoCode.findMany({ where: { redemptionBookingId: refs.bookingId } })) {
      rows.set(`PromoCode ${code.code}`, code);
    }
  }
  return rows;
}

const show = (value: unknown): string | null =>
  value === null || value === undefined ? null : value instanceof Date ? value.toISOString() : String(value);

/**
 * Columns the database derives from other rows and the time (the travelers list's maintained usage and next
 * departure, docs/decisions/0057 and 0067): they move when a package expires or a departure passes, which is not a
 * change an event or a refresh made.
 */
const derivedFields = new Set([
  "currentUsagePercent",
  "currentUsageFrom",
  "currentUsageUntil",
  "nextDepartureAt",
  "nextDepartureFrom",
  "nextDepartureUntil",
]);

export function diff(before: Map<string, Row>, after: Map<string, Row>): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const [key, row] of after) {
    const old = before.get(key);
    const [table, ...rest] = key.split(" ");
    for (const [field, value] of Object.entries(row)) {
      if (derivedFields.has(field)) continue;
      const previous = old ? show(old[field]) : null;
      const next = show(value);
      if (previous !== next) changes.push({ table: table!, key: rest.join(" "), field, before: previous, after: next });
    }
  }
  return changes;
}
