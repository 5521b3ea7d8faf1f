import "server-only";
import { db, getDatabase } from "../db";
import { ActionError } from "../errors";
import { lockTraveler } from "./erasure";
import { isPseudonym } from "./pseudonym";

/** A legal hold: while set, the traveler's personal data cannot be erased (by staff or by the retention job). */
export type LegalHold = { reason: string; setAt: Date; setByEmail: string | null };

export async function legalHoldOf(externalUserId: string): Promise<LegalHold | null> {
  return db().travelerLegalHold.findUnique({
    where: { externalUserId },
    select: { reason: true, setAt: true, setByEmail: true },
  });
}

export async function setLegalHold(
  externalUserId: string,
  reason: string,
  actor: { id: string; email: string },
): Promise<{ before: string | null; after: string }> {
  if (isPseudonym(externalUserId)) throw new ActionError("This traveler was erased: there is nothing left to hold.");
  return getDatabase().transaction(async (sql) => {
    await lockTraveler(sql, externalUserId);
    const [existing] = await sql.query<{ reason: string }>(
      `SELECT reason FROM "TravelerLegalHold" WHERE "externalUserId" = $1`,
      [externalUserId],
    );
    await sql.query(
      `INSERT INTO "TravelerLegalHold" ("externalUserId", reason, "setById", "setByEmail") VALUES ($1, $2, $3, $4)
       ON CONFLICT ("externalUserId") DO UPDATE SET reason = $2, "setAt" = now(), "setById" = $3, "setByEmail" = $4`,
      [externalUserId, reason, actor.id, actor.email],
    );
    return { before: existing?.reason ?? null, after: reason };
  });
}

export async function clearLegalHold(externalUserId: string): Promise<{ reason: string }> {
  return getDatabase().transaction(async (sql) => {
    await lockTraveler(sql, externalUserId);
    const [removed] = await sql.query<{ reason: string }>(
      `DELETE FROM "TravelerLegalHold" WHERE "externalUserId" = $1 RETURNING reason`,
      [externalUserId],
    );
    if (!removed) throw new ActionError("This traveler has no legal hold to clear.");
    return { reason: removed.reason };
  });
}
