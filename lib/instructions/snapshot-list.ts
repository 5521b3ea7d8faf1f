import "server-only";
import { db } from "../db";
import { previewInputSchema, previewLabel } from "./schemas";

/**
 * The traveler's saved instruction previews as timeline entries. Kept apart from snapshots.ts, which pulls in the
 * preview and action modules, so data readers (the traveler timeline, benches) stay free of Next's request APIs.
 */

export function snapshotHref(id: string): string {
  return `/instructions/snapshots/${id}`;
}

export function snapshotTitle(inputs: unknown, format: string): string {
  const parsed = previewInputSchema.safeParse(inputs);
  return parsed.success
    ? `Instructions snapshot: ${previewLabel(parsed.data)} (${format})`
    : `Instructions snapshot (${format})`;
}

export type SnapshotEntry = { id: string; at: Date; staffEmail: string | null; title: string; href: string };

/** The traveler's saved previews, newest first. */
export async function instructionSnapshotsFor(externalUserId: string, limit = 20): Promise<SnapshotEntry[]> {
  const rows = await db().instructionSnapshot.findMany({
    where: { externalUserId },
    orderBy: { createdAt: "desc" },
    take: Math.max(1, Math.min(limit, 200)),
    select: { id: true, createdAt: true, staffEmail: true, inputs: true, format: true },
  });
  return rows.map((row) => ({
    id: row.id,
    at: row.createdAt,
    staffEmail: row.staffEmail,
    title: snapshotTitle(row.inputs, row.format),
    href: snapshotHref(row.id),
  }));
}
