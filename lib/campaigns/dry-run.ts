import "server-only";
import crypto from "node:crypto";
import { CsvError } from "csv-parse";
import { audit } from "../audit/audit";
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
} from "./rows";

/**
 * The dry run, in two steps, and it sends nothing.
 *
 * The upload (uploadCampaign) reads only the header and the first rows: it checks the column mapping, stores the
 * campaign as `checking` with the file's bytes (CampaignFile), and returns at once. The check (startCampaignCheck)
 * then streams the stored bytes through the same parser in the background, validates every row, stores the rows in
 * batches (checkedRows counts them for the page) and leaves a draft with its totals, or a `rejected` campaign with
 * the reason when the file turns out unreadable further down. dryRunCampaign does both and waits for the end.
 *
 * The check runs as a `campaign-check` job (lib/campaigns/jobs.ts): one at a time per campaign across instances, tried
 * again from the stored file when its instance died (after the job's expiry) or it failed. Every write is
 * conditional on the campaign still being `checking`, so a check whose campaign was settled meanwhile writes nothing.
 */

/** Rows stored per write: small enough that the server answers other requests in between (see nextTurn). */
export const BATCH = 200;
export const MAX_ROWS = 100_000;
/** A write of the check (a batch of rows) may take this long before its transaction gives up. */
const WRITE_TIMEOUT_MS = 30_000;
const RECENT_MS = 7 * 86_400_000;
/** Rows read at upload time to estimate the file's row count from its size. */
const SAMPLE_ROWS = 200;
const CHUNK_BYTES = 64 * 1024;

/**
 * Lets the event loop run timers and I/O. PGlite runs queries synchronously in WebAssembly behind promises, so a
 * check that only awaited queries would hold the whole server until it ended.
 */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export function campaignClientKey(campaignId: string, line: number): string {
  return `campaign-${campaignId}-${line}`;
}

export type DryRunSummary = {
  checksum: string;
  rows: number;
  valid: number;
  errors: number;
  /** Valid rows with an empty external_user_id: each issues one promo code. */
  promoCodes: number;
  costCents: number;
};

type Actor = { id: string; email: string };

// ── Upload ──────────────────────────────────────────────────────────────────────────────────────────────────

export type UploadInput = {
  name: string;
  fileName: string;
  content: Buffer;
  mapping?: ColumnMapping;
  actor: Actor;
};

export type UploadResult =
  | { outcome: "checking"; campaignId: string; checksum: string; estimatedRows: number }
  | { outcome: "mapping"; headers: string[]; guessed: ColumnMapping; issue: string }
  | { outcome: "invalid"; message: string };

/** The stored bytes as the parser's source, in chunks (the parser never sees the whole file at once). */
function* chunksOf(content: Buffer) {
  for (let offset = 0; offset < content.length; offset += CHUNK_BYTES) {
    yield content.subarray(offset, offset + CHUNK_BYTES);
  }
}

const unreadable = (error: unknown) => `The file is not readable CSV: ${(error as Error).message}`;

/**
 * Checks what can be checked at once (the catalog, the header and its mapping, the first rows) and stores the
 * campaign as `checking` with its file. The row count is estimated from the size of the first rows (rowCount
 * holds that estimate until the check sets the real count).
 */
export async function uploadCampaign(input: UploadInput): Promise<UploadResult> {
  const catalog = await loadCatalog();
  if (catalog.length === 0) {
    return { outcome: "invalid", message: "The destination catalog is empty: refresh it on the Catalog screen first." };
  }

  const records = readCsv(chunksOf(input.content));
  const sample = { headerBytes: 0, rows: 0, endBytes: 0, readToEnd: false };
  let mapping: ColumnMapping = {};
  try {
    const first = await records.next();
    if (first.done) return { outcome: "invalid", message: "The file is empty: it needs a header line and rows." };
    const headers = first.value.values;
    mapping = input.mapping ?? guessMapping(headers);
    const checked = checkMapping(headers, mapping);
    if (!checked.ok) return { outcome: "mapping", headers, guessed: guessMapping(headers), issue: checked.issue };
    sample.headerBytes = first.value.bytes;
    while (sample.rows < SAMPLE_ROWS) {
      const next = await records.next();
      if (next.done) {
        sample.readToEnd = true;
        break;
      }
      sample.rows++;
      sample.endBytes = next.value.bytes;
    }
  } catch (error) {
    if (error instanceof CsvError) return { outcome: "invalid", message: unreadable(error) };
    throw error;
  } finally {
    await records.return(undefined);
  }
  if (sample.rows === 0) return { outcome: "invalid", message: "The file has a header but no rows." };

  const bytesPerRow = (sample.endBytes - sample.headerBytes) / sample.rows;
  const estimatedRows =
    sample.readToEnd || bytesPerRow <= 0
      ? sample.rows
      : Math.max(sample.rows, Math.round(sample.rows + (input.content.length - sample.endBytes) / bytesPerRow));
  const checksum = crypto.createHash("sha256").update(input.content).digest("hex");
  const campaignId = crypto.randomUUID();
  await db().$transaction([
    db().campaign.create({
      data: {
        id: campaignId,
        name: input.name,
        fileName: input.fileName,
        status: "checking",
        checksum,
        rowCount: estimatedRows,
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
      select: { id: true },
    }),
    // Bytes go through SQL as base64 text: the PGlite driver adapter does not pass Prisma's Bytes values on.
    db().$executeRaw`INSERT INTO "CampaignFile" ("campaignId", "content")
      VALUES (${campaignId}::uuid, decode(${input.content.toString("base64")}, 'base64'))`,
  ]);
  return { outcome: "checking", campaignId, checksum, estimatedRows };
}

// ── The check ───────────────────────────────────────────────────────────────────────────────────────────────

export type CheckOutcome =
  | { outcome: "stored"; summary: DryRunSummary }
  | { outcome: "rejected"; message: string }
  /** Nothing to check: the campaign is not `checking` (any more). */
  | { outcome: "skipped" }
  /** An unexpected error (logged); the campaign is rejected with a reference when that could be written. */
  | { outcome: "failed"; message: string };

export type CheckOptions = {
  /** The time departures are compared with (tests). */
  now?: number;
  maxRows?: number;
  /** The upload's request, for the audit entry. */
  requestId?: string;
};

/**
 * How long the job queued by an upload waits: the browser's redirect and the first render of the campaign page go
 * first, instead of sharing the server's one thread with the check's first batches.
 */
export const UPLOAD_HEAD_START_MS = 1000;

/** The campaign stopped being `checking` while this check ran: stop without writing. */
class NotChecking extends Error {}
/** The file cannot be checked (too many rows, its header changed): the message is shown as is. */
class Unusable extends Error {}

type Claimed = {
  id: string;
  name: string;
  checksum: string;
  mapping: unknown;
  actorId: string | null;
  actorEmail: string;
};

type PendingRow = Prisma.CampaignRowCreateManyInput;

/**
 * Runs the check of one `checking` campaign to its end (draft or rejected), from the stored file. The app runs it
 * as a `campaign-check` job; dryRunCampaign (scripts, the bench, tests) calls it directly.
 */
export async function checkCampaign(campaignId: string, options: CheckOptions = {}): Promise<CheckOutcome> {
  const campaign: Claimed | null = await db().campaign.findFirst({
    where: { id: campaignId, status: "checking" },
    select: { id: true, name: true, checksum: true, mapping: true, actorId: true, actorEmail: true },
  });
  if (!campaign) return { outcome: "skipped" };
  const now = options.now ?? Date.now();
  const maxRows = options.maxRows ?? MAX_ROWS;
  const actor = campaign.actorId ? { id: campaign.actorId, email: campaign.actorEmail } : null;

  /** One transaction that first proves the campaign is still being checked, then writes. */
  const write = async (
    data: Prisma.CampaignUpdateManyMutationInput,
    more?: (tx: Prisma.TransactionClient) => Promise<unknown>,
  ) => {
    await db().$transaction(
      async (tx) => {
        const { count } = await tx.campaign.updateMany({ where: { id: campaignId, status: "checking" }, data });
        if (count === 0) throw new NotChecking();
        await more?.(tx);
      },
      { timeout: WRITE_TIMEOUT_MS, maxWait: WRITE_TIMEOUT_MS },
    );
  };

  const reject = async (message: string, checkedRows: number) => {
    await write({ status: "rejected", statusNote: message, checkedRows: 0, rowCount: 0 }, async (tx) => {
      await tx.campaignRow.deleteMany({ where: { campaignId } });
      await tx.campaignFile.deleteMany({ where: { campaignId } });
    });
    await audit({
      actor,
      action: "campaigns.dry_run",
      targetType: "campaign",
      targetId: campaignId,
      result: "error",
      details: { name: campaign.name, checksum: campaign.checksum, message, checkedRows },
      requestId: options.requestId,
    });
    return { outcome: "rejected", message } as const;
  };

  try {
    // Whatever an earlier, interrupted check stored is thrown away: this one starts again from the stored file.
    await write({ checkedRows: 0 }, (tx) => tx.campaignRow.deleteMany({ where: { campaignId } }));
    const [file] = await db().$queryRaw<{ content: string }[]>`
      SELECT encode("content", 'base64') AS "content" FROM "CampaignFile" WHERE "campaignId" = ${campaignId}::uuid`;
    if (!file)
      return await reject("The uploaded file is no longer stored, so it cannot be checked: upload it again.", 0);
    const content = Buffer.from(file.content, "base64");

    const totals = await validateFile(campaignId, content, campaign.mapping as ColumnMapping, {
      now,
      maxRows,
      store: (batch, checkedRows) => write({ checkedRows }, (tx) => tx.campaignRow.createMany({ data: batch })),
    }).catch((error: unknown) => {
      if (error instanceof Unusable) return { rejected: error.message };
      if (error instanceof CsvError) return { rejected: unreadable(error) };
      throw error;
    });
    if ("rejected" in totals) return await reject(totals.rejected, 0);
    if (totals.rows === 0) return await reject("The file has a header but no rows.", 0);

    const summary: DryRunSummary = {
      checksum: campaign.checksum,
      rows: totals.rows,
      valid: totals.valid,
      errors: totals.errors,
      promoCodes: totals.promoCodeRows,
      costCents: totals.costCents,
    };
    await write(
      {
        status: "draft",
        checkedRows: totals.rows,
        rowCount: totals.rows,
        validCount: totals.valid,
        errorCount: totals.errors,
        travelers: totals.travelers,
        packages: totals.packages,
        promoCodeRows: totals.promoCodeRows,
        costCents: totals.costCents,
        priceCents: totals.priceCents,
        currency: totals.currency || "EUR",
        perDestination: totals.perDestination as Prisma.InputJsonValue,
      },
      (tx) => tx.campaignFile.deleteMany({ where: { campaignId } }),
    );
    await audit({
      actor,
      action: "campaigns.dry_run",
      targetType: "campaign",
      targetId: campaignId,
      result: "ok",
      details: { name: campaign.name, ...summary },
      requestId: options.requestId,
    });
    return { outcome: "stored", summary };
  } catch (error) {
    if (error instanceof NotChecking) return { outcome: "skipped" };
    // Not the file's fault (a bug, the database): say so and end the check, rather than retry it for ever.
    const reference = crypto.randomUUID().slice(0, 8);
    console.error(`[campaigns] the check of ${campaignId} stopped (reference ${reference}):`, error);
    try {
      return await reject(
        `The check stopped on an unexpected error: upload the file again. Reference: ${reference}`,
        0,
      );
    } catch (rejectError) {
      if (rejectError instanceof NotChecking) return { outcome: "skipped" };
      return { outcome: "failed", message: (rejectError as Error).message ?? String(rejectError) };
    }
  }
}

type Totals = {
  rows: number;
  valid: number;
  errors: number;
  travelers: number;
  promoCodeRows: number;
  packages: number;
  costCents: number;
  priceCents: number;
  currency: string;
  perDestination: { destination: string; rows: number; costCents: number; priceCents: number }[];
};

/**
 * Reads the file as a stream and validates every row (the single booking's schema, the catalog, the departure,
 * duplicates inside the file, the same traveler and destination in the last 7 days), handing each batch of rows to
 * `store` with the number of rows read so far.
 */
async function validateFile(
  campaignId: string,
  content: Buffer,
  mapping: ColumnMapping,
  options: { now: number; maxRows: number; store: (batch: PendingRow[], checkedRows: number) => Promise<void> },
): Promise<Totals> {
  const { now } = options;
  const quote = quoter(await loadCatalog());
  const records = readCsv(chunksOf(content));
  const seen = new Map<string, number>();
  const travelers = new Set<string>();
  const perDestination = new Map<string, { rows: number; costCents: number; priceCents: number }>();
  const totals = {
    rows: 0,
    valid: 0,
    errors: 0,
    packages: 0,
    promoCodeRows: 0,
    costCents: 0,
    priceCents: 0,
    currency: "",
  };
  let indexes: Parameters<typeof fieldsOf>[1] | undefined;
  let batch: PendingRow[] = [];

  const flush = async () => {
    if (batch.length === 0) return;
    await nextTurn();
    await markRecentDuplicates(batch, now);
    for (const row of batch) {
      if (row.state === "pending") {
        totals.valid++;
        // An empty external_user_id is a promo-code row: a code, not a traveler.
        if (row.externalUserId === "") totals.promoCodeRows++;
        else travelers.add(row.externalUserId);
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
    await nextTurn();
    await options.store(batch, totals.rows);
    batch = [];
  };

  for await (const record of records) {
    if (!indexes) {
      // The header: the mapping was checked against it at upload, and the stored bytes are the same.
      const checked = checkMapping(record.values, mapping);
      if (!checked.ok) throw new Unusable(checked.issue);
      indexes = checked.indexes;
      continue;
    }
    totals.rows++;
    if (totals.rows > options.maxRows) {
      throw new Unusable(`The file has more than ${options.maxRows.toLocaleString("en")} rows: split it.`);
    }
    const fields = fieldsOf(record.values, indexes);
    const raw: Record<string, unknown> = { fields };
    const reference = bookingReference(campaignClientKey(campaignId, record.line));
    const result = validateRow(fields, { quote, now, reference });
    let error = result.ok ? null : result.error;
    if (result.ok) {
      // Promo-code rows have no traveler to duplicate: two such rows are two codes, as the file asks.
      const key = result.promoCode ? null : duplicateKey(result.externalUserId, result.destinations);
      const earlier = key === null ? undefined : seen.get(key);
      if (earlier !== undefined) error = `Duplicate of line ${earlier} (same traveler and destinations).`;
      else if (key !== null) seen.set(key, record.line);
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

  return {
    ...totals,
    travelers: travelers.size,
    perDestination: [...perDestination.entries()]
      .map(([destination, entry]) => ({ destination, ...entry }))
      .sort((a, b) => b.rows - a.rows),
  };
}

/** One query per batch: the batch's travelers' intents of the last 7 days that were or may have been sent. */
async function markRecentDuplicates(batch: PendingRow[], now: number) {
  const travelers = [
    ...new Set(
      batch.filter((row) => row.state === "pending" && row.externalUserId !== "").map((row) => row.externalUserId),
    ),
  ];
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
    if (row.state !== "pending" || row.externalUserId === "") continue;
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

// ── Both steps at once ──────────────────────────────────────────────────────────────────────────────────────

export type DryRunInput = {
  name: string;
  fileName: string;
  source: AsyncIterable<Buffer | string> | Iterable<Buffer | string>;
  mapping?: ColumnMapping;
  actor: Actor;
  now?: number;
};

export type DryRunResult =
  | { outcome: "stored"; campaignId: string; summary: DryRunSummary }
  | { outcome: "mapping"; headers: string[]; guessed: ColumnMapping; issue: string }
  | { outcome: "invalid"; message: string };

/** Upload and check in one call, waiting for the check to finish (scripts, the bench and tests). */
export async function dryRunCampaign(input: DryRunInput): Promise<DryRunResult> {
  const chunks: Buffer[] = [];
  for await (const chunk of input.source) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  const uploaded = await uploadCampaign({ ...input, content: Buffer.concat(chunks) });
  if (uploaded.outcome !== "checking") return uploaded;
  const checked = await checkCampaign(uploaded.campaignId, { now: input.now });
  if (checked.outcome === "stored")
    return { outcome: "stored", campaignId: uploaded.campaignId, summary: checked.summary };
  if (checked.outcome === "rejected") return { outcome: "invalid", message: checked.message };
  throw new Error(`The check of campaign ${uploaded.campaignId} did not finish: ${JSON.stringify(checked)}`);
}
