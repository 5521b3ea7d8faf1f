import "server-only";
import { db } from "../db";
import { readBackArchive, writeWebhookMonthArchive } from "./archive";
import { archiveStore, type ArchiveStore } from "./archive-store";
import { countWebhookMonth, dropWebhookMonth, listWebhookMonths } from "./months";
import { monthExpired, monthLabel, webhookArchiveName } from "./periods";

/**
 * The webhook part of retention: every whole month older than the months kept is archived, the archive read back
 * and its rows counted against the table, and only then the month dropped. The archive row records each step, so a
 * run that stopped half-way is finished by the next one: an archive not yet verified is written again, a drop under
 * way is finished once its archive reads back as recorded. No step drops a month without a verified archive.
 */

export type WebhookMonthOutcome = {
  month: string;
  name: string;
  rows: number;
  bytes: number;
  /** "archived": written, verified and dropped now; "finished": a drop left under way by an earlier run. */
  step: "archived" | "finished";
};

export type WebhookRetentionOutcome = {
  keepMonths: number;
  store: string;
  months: WebhookMonthOutcome[];
  /** The month that could not be archived or dropped, and why: it stays, and later months wait for the next run. */
  failure: { month: string; message: string } | null;
};

const KIND = "webhooks";

export class ArchiveMismatchError extends Error {
  name = "ArchiveMismatchError";
}

async function archiveAndDropMonth(store: ArchiveStore, monthStart: Date): Promise<WebhookMonthOutcome> {
  const month = monthLabel(monthStart);
  const name = webhookArchiveName(monthStart);
  const key = { kind_monthStart: { kind: KIND, monthStart } };
  const existing = await db().retentionArchive.findUnique({ where: key });
  if (existing?.droppedAt) {
    throw new ArchiveMismatchError(
      `${month} was archived and dropped on ${existing.droppedAt.toISOString()}, yet holds events again: they are left in place for an admin to look at.`,
    );
  }
  if (existing?.verifiedAt && existing.dropStartedAt) {
    // An earlier run verified this archive and began the drop: the rows left are part of it. It must still read
    // back exactly as recorded before anything more is dropped.
    const again = await readBackArchive(store, existing.name);
    if (again.rows !== existing.rows || again.sha256 !== existing.sha256) {
      throw new ArchiveMismatchError(
        `The archive ${existing.name} no longer reads back as written (${again.rows} of ${existing.rows} rows): ${month} is not dropped.`,
      );
    }
    const dropped = await dropWebhookMonth(monthStart);
    await db().retentionArchive.update({ where: key, data: { droppedAt: new Date() } });
    return { month, name: existing.name, rows: dropped.rows, bytes: Number(existing.bytes), step: "finished" };
  }

  const written = await writeWebhookMonthArchive(store, name, monthStart);
  const record = {
    name,
    store: store.kind,
    location: store.location,
    rows: written.rows,
    bytes: BigInt(written.bytes),
    sha256: written.sha256,
    verifiedAt: null,
    dropStartedAt: null,
    droppedAt: null,
  };
  await db().retentionArchive.upsert({
    where: key,
    create: { kind: KIND, monthStart, ...record },
    update: { ...record, createdAt: new Date() },
  });
  const readBack = await readBackArchive(store, name);
  const inTable = await countWebhookMonth(monthStart);
  if (readBack.sha256 !== written.sha256 || readBack.rows !== written.rows || inTable !== written.rows) {
    throw new ArchiveMismatchError(
      `The archive ${name} reads back ${readBack.rows} rows where ${written.rows} were written and the table holds ${inTable}: ${month} is not dropped.`,
    );
  }
  const verifiedAt = new Date();
  await db().retentionArchive.update({ where: key, data: { verifiedAt, dropStartedAt: verifiedAt } });
  const dropped = await dropWebhookMonth(monthStart);
  await db().retentionArchive.update({ where: key, data: { droppedAt: new Date() } });
  return { month, name, rows: dropped.rows, bytes: written.bytes, step: "archived" };
}

/** One run: the expired months, oldest first, until the first that fails. */
export async function runWebhookRetention(
  keepMonths: number,
  now = new Date(),
  store: ArchiveStore = archiveStore(),
): Promise<WebhookRetentionOutcome> {
  const outcome: WebhookRetentionOutcome = { keepMonths, store: store.location, months: [], failure: null };
  // A run that stopped between the last delete and recording it left a drop "under way" with nothing left to drop.
  for (const open of await db().retentionArchive.findMany({
    where: { kind: KIND, dropStartedAt: { not: null }, droppedAt: null },
  })) {
    if ((await countWebhookMonth(open.monthStart)) === 0) {
      await db().retentionArchive.update({ where: { id: open.id }, data: { droppedAt: new Date() } });
    }
  }
  const expired = (await listWebhookMonths()).filter((month) => monthExpired(month.monthStart, keepMonths, now));
  for (const { monthStart } of expired) {
    try {
      outcome.months.push(await archiveAndDropMonth(store, monthStart));
    } catch (error) {
      outcome.failure = {
        month: monthLabel(monthStart),
        message: error instanceof Error ? error.message : String(error),
      };
      break;
    }
  }
  return outcome;
}
