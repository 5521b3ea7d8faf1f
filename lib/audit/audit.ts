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

/** Writes one audit entry. Never throws: a failed audit write is logged, and must not undo the action it records. */
export async function audit(input: AuditInput): Promise<void> {
  try {
    await db().auditEntry.create({
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
    });
  } catch (error) {
    console.error(`[audit] could not record ${input.action} (request ${input.requestId ?? "-"}):`, error);
  }
}
