import "server-only";
import crypto from "node:crypto";
import { loadCatalog } from "../catalog/catalog";
import { db } from "../db";
import type { Prisma } from "../generated/prisma/client";
import { bookingReference } from "../bookings/request";
import {
  checkMapping,
  duplicateKey,
  fieldsOf,
  guessMapping,
  quoter,
  readCsv,
  validateRow,
  type ColumnMapping,
  type CsvRecord,
} from "./rows";

/**
 * The dry run: reads the file once as a stream, validates every row, and stores the campaign as a draft with all
 * its rows (batched inserts; one query per batch for "already got it in the last 7 days"). Sends nothing.
 */

export const BATCH = 1000;
export const MAX_ROWS = 100_000;
const RECENT_MS = 7 * 86_400_000;

export function campaignClientKey(campaignId: string, line: number): string {
  return `campaign-${campaignId}-${line}`;
}

export type DryRunInput = {
  name: string;
  fileName: string;
  source: AsyncIterable<Buffer | string> | Iterable<Buffer | string>;
  mapping?: ColumnMapping;
  actor: { id: string; email: string };
  now?: number;
};

export type DryRunResult =
  | { outcome: "stored"; campaignId: string; summary: DryRunSummary }
  | { outcome: "mapping"; headers: string[]; guessed: ColumnMapping; issue: string }
  | { outcome: "invalid"; message: string };

export type DryRunSummary = {
  checksum: string;
  rows: number;
  valid: number;
  errors: number;
  costCents: number;
};

type PendingRow = Prisma.CampaignRowCreateManyInput;

/** Hashes the bytes as they pass to the parser, so the checksum is of exactly what was validated. */
async function* hashing(source: AsyncIterable<Buffer | string> | Iterable<Buffer | string>, hash: crypto.Hash) {
  for await (const chunk of source) {
    hash.update(chunk);
    yield chunk;
  }
}

export async function dryRunCampaign(input: DryRunInput): Promise<DryRunResult> {
  const now = input.now ?? Date.now();
  const hash = crypto.createHash("sha256");
  const records = readCsv(hashing(input.source, hash));
  const catalog = await loadCatalog();
  if (catalog.length === 0) {
    return { outcome: "invalid", message: "The destination catalog is empty: refresh it on the Catalog screen first." };
  }
  const quote = quoter(catalog);

  let header: CsvRecord | undefined;
  try {
    const first = await records.next();
    header = first.done ? undefined : first.value;
  } catch (error) {
    return { outcome: "invalid", message: `The file is not readable CSV: ${(error as Error).message}` };
  }
  if (!header) return { outcome: "invalid", message: "The file is empty: it needs a header line and rows." };
  const headers = header.values;
  const mapping = input.mapping ?? guessMapping(headers);
  const checked = checkMapping(headers, mapping);
  if (!checked.ok) {
    await records.return(undefined);
    return { outcome: "mapping", headers, guessed: guessMapping(headers), issue: checked.issue };
  }

  const campaignId = crypto.randomUUID();
  await db().campaign.create({
    data: {
      id: campaignId,
      name: input.name,
      fileName: input.fileName,
      checksum: "",
      rowCount: 0,
      validCount: 0,
      errorCount: 0,
      travelers: 0,
      packages: 0,
      costCents: 0,
      priceCents: 0,
      currency: "EUR",
      perDestination: [],
      mapping: mapping as Prisma.InputJsonValue,
      actorId: input.actor.id,
      actorEmail: input.actor.email,
    },
  });

  const seen = new Map<string, number>();
  const travelers = new Set<string>();
  const perDestination = new Map<string, { rows: number; costCents: number; priceCents: number }>();
  const totals = { rows: 0, valid: 0, errors: 0, packages: 0, costCents: 0, priceCents: 0, currency: "" };
  let batch: PendingRow[] = [];

  const flush = async () => {
    if (batch.length === 0) return;
    await markRecentDuplicates(batch, now);
    for (const row of batch) {
      if (row.state === "pending") {
        totals.valid++;
        travelers.add(row.externalUserId);
        totals.costCents += row.costCents ?? 0;
        totals.priceCents += row.priceCents ?? 0;
        const bundles = (row.raw as { bundles?: { destinationId: string; b2bCents: number; b2cCents: number }[] })
          .bundles;
        for (const bundle of bundles ?? []) {
          totals.packages++;
          const entry = perDestination.get(bundle.destinationId) ?? { rows: 0, costCents: 0, priceCents: 0 };
          entry.rows++;
          entry.costCents += bundle.b2bCents;
          entry.priceCents += bundle.b2cCents;
          perDestination.set(bundle.destinationId, entry);
        }
      } else totals.errors++;
    }
    await db().campaignRow.createMany({ data: batch });
    batch = [];
  };

  try {
    for await (const record of records) {
      totals.rows++;
      if (totals.rows > MAX_ROWS) throw new TooLarge();
      const fields = fieldsOf(record.values, checked.indexes);
      const raw: Record<string, unknown> = { fields };
      const reference = bookingReference(campaignClientKey(campaignId, record.line));
      const result = validateRow(fields, { quote, now, reference });
      let error = result.ok ? null : result.error;
      if (result.ok) {
        const key = duplicateKey(result.externalUserId, result.destinations);
        const earlier = seen.get(key);
        if (earlier !== undefined) error = `Duplicate of line ${earlier} (same traveler and destinations).`;
        else seen.set(key, record.line);
        raw.bundles = result.bundles.map(({ destinationId, label, b2bCents, b2cCents }) => ({
          destinationId,
          label,
          b2bCents,
          b2cCents,
        }));
        if (!error) totals.currency ||= result.currency;
      }
      batch.push({
        campaignId,
        line: record.line,
        state: error ? "invalid" : "pending",
        externalUserId: result.externalUserId.slice(0, 200),
        destinations: result.destinations.slice(0, 20),
        payload: result.ok && !error ? (result.request as Prisma.InputJsonValue) : undefined,
        raw: raw as Prisma.InputJsonValue,
        costCents: result.ok && !error ? result.costCents : null,
        priceCents: result.ok && !error ? result.priceCents : null,
        error,
      });
      if (batch.length >= BATCH) await flush();
    }
    await flush();
  } catch (error) {
    await db().campaign.delete({ where: { id: campaignId } });
    if (error instanceof TooLarge) {
      return { outcome: "invalid", message: `The file has more than ${MAX_ROWS.toLocaleString("en")} rows: split it.` };
    }
    return { outcome: "invalid", message: `The file is not readable CSV: ${(error as Error).message}` };
  }
  if (totals.rows === 0) {
    await db().campaign.delete({ where: { id: campaignId } });
    return { outcome: "invalid", message: "The file has a header but no rows." };
  }

  const checksum = hash.digest("hex");
  await db().campaign.update({
    where: { id: campaignId },
    data: {
      checksum,
      rowCount: totals.rows,
      validCount: totals.valid,
      errorCount: totals.errors,
      travelers: travelers.size,
      packages: totals.packages,
      costCents: totals.costCents,
      priceCents: totals.priceCents,
      currency: totals.currency || "EUR",
      perDestination: [...perDestination.entries()]
        .map(([destination, entry]) => ({ destination, ...entry }))
        .sort((a, b) => b.rows - a.rows),
    },
  });
  return {
    outcome: "stored",
    campaignId,
    summary: { checksum, rows: totals.rows, valid: totals.valid, errors: totals.errors, costCents: totals.costCents },
  };
}

class TooLarge extends Error {}

/** One query per batch: the batch's travelers' intents of the last 7 days that were or may have been sent. */
async function markRecentDuplicates(batch: PendingRow[], now: number) {
  const travelers = [...new Set(batch.filter((row) => row.state === "pending").map((row) => row.externalUserId))];
  if (travelers.length === 0) return;
  const intents = await db().bookingIntent.findMany({
    where: {
      createdAt: { gte: new Date(now - RECENT_MS) },
      status: { in: ["PENDING", "SENDING", "SENT", "UNKNOWN"] },
      externalUserIds: { hasSome: travelers },
    },
    select: { externalUserIds: true, destinations: true, createdAt: true },
  });
  const got = new Map<string, Date>();
  for (const intent of intents) {
    for (const traveler of intent.externalUserIds) {
      for (const destination of intent.destinations) got.set(`${traveler}\u0000${destination}`, intent.createdAt);
    }
  }
  if (got.size === 0) return;
  for (const row of batch) {
    if (row.state !== "pending") continue;
    const destinations = row.destinations as string[];
    const hit = destinations.find((destination) => got.has(`${row.externalUserId}\u0000${destination}`));
    if (hit) {
      const at = got.get(`${row.externalUserId}\u0000${hit}`)!.toISOString().slice(0, 16).replace("T", " ");
      Object.assign(row, {
        state: "invalid",
        payload: undefined,
        costCents: null,
        priceCents: null,
        error: `${row.externalUserId} already got ${hit} in the last 7 days (${at} UTC).`,
      });
    }
  }
}
