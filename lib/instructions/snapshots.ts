import "server-only";
import { db } from "../db";
import { Prisma } from "../generated/prisma/client";
import { readInstructions } from "./reply";
import { viewOf, type PreviewRecord, type PreviewView } from "./preview";
import { previewInputSchema, previewLabel, type PreviewInputs } from "./schemas";

/**
 * Saved previews ("what the traveler was shown"): who saved it, when, the inputs, and the sanitized HTML or the
 * non-HTML reply. Shown at /instructions/snapshots/[id] and on the traveler's timeline.
 */

export async function saveSnapshot(
  staff: { id: string; email: string },
  preview: PreviewRecord,
): Promise<{ id: string; href: string }> {
  const inputs: PreviewInputs = preview.inputs;
  const snapshot = await db().instructionSnapshot.create({
    data: {
      staffId: staff.id,
      staffEmail: staff.email,
      externalUserId: inputs.externalUserId,
      inputs: Object.fromEntries(Object.entries(inputs).filter(([, value]) => value !== undefined)),
      format: inputs.format,
      html: preview.storedHtml,
      content:
        preview.storedContent === null || preview.storedContent === undefined
          ? Prisma.DbNull
          : (preview.storedContent as Prisma.InputJsonValue),
      branding: preview.branding.appliedKey ?? preview.branding.requested,
    },
    select: { id: true },
  });
  return { id: snapshot.id, href: snapshotHref(snapshot.id) };
}

export type SnapshotPage = {
  id: string;
  createdAt: Date;
  staffEmail: string | null;
  externalUserId: string;
  inputs: PreviewInputs | null;
  format: string;
  branding: string | null;
  title: string;
  view: PreviewView;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One snapshot, rendered the same safe way as a live preview (its HTML is sanitized again for today's rules). */
export async function getSnapshot(id: string): Promise<SnapshotPage | null> {
  if (!UUID.test(id)) return null;
  const row = await db().instructionSnapshot.findUnique({ where: { id } });
  if (!row) return null;
  const inputs = previewInputSchema.safeParse(row.inputs);
  const lang = inputs.success ? inputs.data.locale : null;
  const view: PreviewView =
    row.html !== null
      ? viewOf({ kind: "html", html: row.html }, lang)
      : viewOf(readInstructions((row.content ?? "") as Parameters<typeof readInstructions>[0], row.format), lang);
  return {
    id: row.id,
    createdAt: row.createdAt,
    staffEmail: row.staffEmail,
    externalUserId: row.externalUserId,
    inputs: inputs.success ? inputs.data : null,
    format: row.format,
    branding: row.branding,
    title: snapshotTitle(row.inputs, row.format),
    view,
  };
}

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
export async function instructionSnapshotsFor(
  externalUserId: string,
  limit = 20,
  /** A further condition (the traveler timeline's page cursor). */
  where: Prisma.InstructionSnapshotWhereInput = {},
): Promise<SnapshotEntry[]> {
  const rows = await db().instructionSnapshot.findMany({
    where: { ...where, externalUserId },
    // The id breaks ties, so the timeline's pages never repeat or skip one.
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
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
