import "server-only";
import { db } from "../db";
import type { Prisma } from "../generated/prisma/client";

export type AuditResult = "ok" | "error" | "refused";

export type AuditInput = {
  actor?: { id: string; email: string } | null;
  /** Dotted verb, e.g. `auth.sign_in`, `staff.disable`. */
  action: string;
  targetType?: string;
  targetId?: string;
  externalUserId?: string;
  result: AuditResult;
  details?: Prisma.InputJsonValue;
  requestId?: string;
};

/**
 * Writes one audit entry and answers its id (null when the write failed). Never throws: a failed audit write is
 * logged, and must not undo the action it records.
 */
export async function audit(input: AuditInput): Promise<bigint | null> {
  try {
    const entry = await db().auditEntry.create({
      data: {
        actorId: input.actor?.id ?? null,
        actorEmail: input.actor?.email ?? null,
        action: input.action,
        targetType: input.targetType ?? null,
        targetId: input.targetId ?? null,
        externalUserId: input.externalUserId ?? null,
        result: input.result,
        details: input.details,
        requestId: input.requestId ?? null,
      },
      select: { id: true },
    });
    return entry.id;
  } catch (error) {
    console.error(`[audit] could not record ${input.action} (request ${input.requestId ?? "-"}):`, error);
    return null;
  }
}

/**
 * Records which travelers an audited read gave out (an export's rows), so the audit log finds the entry by any of
 * them. Called before those rows are sent; throws, unlike audit(), so that nothing is sent unrecorded.
 */
export async function recordTravelersRead(entryId: bigint, externalUserIds: readonly string[]): Promise<void> {
  if (externalUserIds.length === 0) return;
  await db().auditTraveler.createMany({
    data: externalUserIds.map((externalUserId) => ({ auditEntryId: entryId, externalUserId })),
    skipDuplicates: true,
  });
}
