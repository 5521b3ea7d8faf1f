import "server-only";
import {
  createIntent,
  createIntents,
  postBooking,
  reconcileIntent,
  releaseUnsentIntents,
  resendFailedIntent,
  sendIntent,
  settleSending,
  settleSentIntents,
  type Actor,
  type BookingsHubby,
  type NewIntent,
  type SendOutcome,
  type SettledIntent,
  type SettlementWrite,
} from "../bookings/intents";
import { isPromoCodeRequest } from "../bookings/promo-request";
import type { BookingRequest } from "../bookings/request";
import { db } from "../db";
import { autoResend, getEnv } from "../env";
import { Prisma } from "../generated/prisma/client";
import { hubbyFor } from "../hubby";
import { createBatcher } from "../jobs/batcher";
import type { CreateBookingInput } from "../hubby/schemas";
import { promoCodesOfReply } from "../promo-codes/codes";
import { promoCodesOfSettled, storePromoCodesOfIntents, type PromoCodeBatch } from "../promo-codes/store";
import { campaignClientKey } from "./dry-run";

/**
 * The campaign worker: a campaign is worked by the job system's `campaign-run` jobs (lib/campaigns/jobs.ts), one
 * slice at a time, one instance at a time per campaign (a `stately` queue keyed by campaign). Each row becomes a
 * BookingIntent with the key campaign-<id>-<line>, so a row is issued at most once whatever happens: the intent
 * ledger claims PENDING → SENDING before the only POST, and a row found again (after a crash, a lost lease or a
 * second instance) is reconciled, never sent again.
 *
 * Rows are claimed with UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED) and a lease: two workers (two app
 * instances on PostgreSQL) never hold the same row, and a row whose worker died is taken over once its lease ends.
 */

const CONCURRENCY_KEY = "campaigns.concurrency";
export const DEFAULT_CONCURRENCY = 4;
/** Consecutive rows without a reply from Hubby (timeouts, 5xx, network) after which the campaign pauses itself. */
export const BREAKER_THRESHOLD = 10;
/**
 * POSTs a row may get without staff: the first, and resends after reconciliation proved Hubby has no booking for
 * it. Past that the row stays failed for the explicit "retry failed rows".
 */
export const AUTOMATIC_ATTEMPTS = 3;
const STATUS_POLL_MS = 500;
const IDLE_POLL_MS = 1_000;
const EXPIRED_CHECK_MS = 1_000;
const SENT_BATCH_MS = 25;
/**
 * How long one `campaign-run` job takes new rows before it hands the campaign to the next job (its queue's expiry,
 * 90 s, leaves room for the rows in flight to finish).
 */
export const SLICE_MS = 20_000;

export async function campaignConcurrency(): Promise<number> {
  const row = await db().consoleSetting.findUnique({ where: { key: CONCURRENCY_KEY } });
  const value = typeof row?.value === "number" ? row.value : DEFAULT_CONCURRENCY;
  return Math.min(32, Math.max(1, Math.floor(value)));
}

/** A row is held for three request timeouts: long enough to send and reconcile, short enough to recover a crash. */
export function leaseMs(): number {
  return getEnv().HUBBY_TIMEOUT_MS * 3;
}

export type ClaimedRow = {
  id: bigint;
  line: number;
  payload: unknown;
  destinations: string[];
  costCents: number | null;
  priceCents: number | null;
  /** The row's intent when the worker wrote it with the claim (already SENDING, this worker's to send). */
  intentId?: string;
};

/**
 * Takes up to `limit` rows no one holds: first rows whose worker's lease ran out (sending or unknown: they are
 * reconciled, not resent; skipped with `expired: false`), then pending ones. Each query walks the
 * (campaignId, state, line) index.
 */
export async function claimRows(
  campaignId: string,
  limit: number,
  lease = leaseMs(),
  options: { expired?: boolean } = {},
): Promise<ClaimedRow[]> {
  const until = new Date(Date.now() + lease);
  const claim = (states: Prisma.Sql, expiredOnly: boolean, take: number) => db().$queryRaw<ClaimedRow[]>`
    UPDATE "CampaignRow" SET "state" = 'sending', "leaseUntil" = ${until}, "updatedAt" = now()
    WHERE "id" IN (
      SELECT "id" FROM "CampaignRow"
      WHERE "campaignId" = ${campaignId}::uuid AND "state" IN (${states})
        ${expiredOnly ? Prisma.sql`AND "leaseUntil" < now()` : Prisma.empty}
      ORDER BY "line"
      LIMIT ${take}
      FOR UPDATE SKIP LOCKED
    )
    RETURNING "id", "line", "payload", "destinations", "costCents", "priceCents"`;
  const expired = options.expired === false ? [] : await claim(Prisma.sql`'sending', 'unknown'`, true, limit);
  if (expired.length >= limit) return expired;
  return [...expired, ...(await claim(Prisma.sql`'pending'`, false, limit - expired.length))];
}

export type RowOutcome = "sent" | "failed" | "unknown" | "review";

type CampaignForRow = { id: string; name: string; startedById: string | null; startedByEmail: string | null };

export type RowOptions = {
  quietMs?: number;
  /**
   * Takes the promise of the row's settlement (the intent's status and the row's outcome, one statement) instead
   * of waiting for it: the lane goes on to its next POST meanwhile. If the process dies before it is written, the
   * intent is still SENDING and the row is reconciled after its lease: late, never twice.
   */
  settleLater?: (settling: Promise<unknown>) => void;
  /** Records a confirmed row together with others (one statement for several rows); resolves once written. */
  settleSent?: (rowId: bigint, intentId: string, outcome: SendOutcome, line: number) => Promise<void>;
};

/**
 * One claimed row. First time: its intent was written already claimed with the claim (or is written now, one
 * statement), the row is sent, and settled together with its outcome (one statement). A row found again (its
 * intent exists: a crash, a lost lease, a second instance) is sent only if its intent is still PENDING, otherwise
 * reconciled.
 */
const actorOf = (campaign: CampaignForRow): Actor =>
  campaign.startedById ? { id: campaign.startedById, email: campaign.startedByEmail ?? "system" } : null;

function intentFor(campaign: CampaignForRow, row: ClaimedRow): NewIntent {
  return {
    clientKey: campaignClientKey(campaign.id, row.line),
    // A row without external_user_id issues a promo code (lib/campaigns/rows.ts).
    kind: isPromoCodeRequest(row.payload) ? "promo_codes" : "issue",
    request: row.payload as BookingRequest,
    destinations: row.destinations,
    costCents: row.costCents,
    priceCents: row.priceCents,
    reason: `Campaign ${campaign.name} (line ${row.line})`,
    actor: actorOf(campaign),
  };
}

/** Writes the intents of freshly claimed rows in one statement; rows whose intent already existed get none. */
export async function writeClaimedIntents(campaign: CampaignForRow, rows: ClaimedRow[]): Promise<ClaimedRow[]> {
  const created = await createIntents(
    rows.map((row) => intentFor(campaign, row)),
    { claimed: true },
  );
  return rows.map((row) => ({ ...row, intentId: created.get(campaignClientKey(campaign.id, row.line)) }));
}

export async function processRow(
  campaign: CampaignForRow,
  claimed: ClaimedRow,
  hubby: BookingsHubby,
  options: RowOptions = {},
): Promise<RowOutcome> {
  const actor = actorOf(campaign);
  const request = claimed.payload as BookingRequest;
  const { intent, created } = claimed.intentId
    ? { intent: { id: claimed.intentId, status: "SENDING" as const }, created: true }
    : await createIntent(intentFor(campaign, claimed), { claimed: true });
  if (created) {
    const outcome = await postBooking(request as CreateBookingInput, hubby);
    const settling =
      outcome.to === "SENT" && options.settleSent
        ? options.settleSent(claimed.id, intent.id, outcome, claimed.line)
        : settleSending(intent.id, outcome, actor, [
            rowOutcomeWrite(claimed.id, intent.id, outcome, options.quietMs),
            promoCodesOfSettled(promoCodesOfRows(campaign, [{ intentId: intent.id, line: claimed.line, outcome }])),
          ]).then(async (settled) => {
            if (!settled) await settleRow(claimed.id, intent.id, options.quietMs);
          });
    if (options.settleLater) options.settleLater(settling);
    else await settling;
    return rowOutcomeOf(outcome.to);
  }
  if (intent.status === "PENDING") await sendIntent(intent.id, hubby, actor);
  else if (intent.status === "SENDING" || intent.status === "UNKNOWN") {
    // Its POST got no reply (or its worker died): look for the booking at Hubby first. Only a lookup that proves
    // it absent after the quiet period may lead to another POST, and only where HUBBY_AUTO_RESEND allows it;
    // anything less leaves the row for staff to review.
    const checked = await reconcileIntent(intent.id, hubby, actor, { quietMs: options.quietMs });
    if (checked.verdict === "undetermined") return settleRow(claimed.id, intent.id, options.quietMs, { review: true });
    if (checked.verdict === "absent" && autoResend() && checked.attempts < AUTOMATIC_ATTEMPTS) {
      await resendFailedIntent(
        intent.id,
        hubby,
        actor,
        `Hubby proved it absent after the quiet period: sent again by the campaign (attempt ${checked.attempts + 1})`,
      );
    }
  }
  return settleRow(claimed.id, intent.id, options.quietMs);
}

/**
 * Copies the intent's state onto the row; an unresolved row waits one quiet period before it is checked again,
 * unless `review`: its lookups could not settle it, so it waits for staff (not checked again on its own).
 */
export async function settleRow(
  rowId: bigint,
  intentId: string,
  recheckMs?: number,
  options: { review?: boolean } = {},
): Promise<RowOutcome> {
  const intent = await db().bookingIntent.findUniqueOrThrow({
    where: { id: intentId },
    select: { id: true, status: true, hubbyBookingId: true, packages: true, error: true },
  });
  return writeRowOutcome(rowId, intent, recheckMs, options.review === true);
}

/** The promo codes confirmed rows returned (rows whose external_user_id was empty), with their campaign and line. */
function promoCodesOfRows(
  campaign: CampaignForRow,
  entries: { intentId: string; line: number; outcome: SendOutcome }[],
): PromoCodeBatch[] {
  const issuedAt = new Date();
  return entries
    .filter((entry) => entry.outcome.to === "SENT")
    .map((entry) => ({
      origin: {
        intentId: entry.intentId,
        hubbyBookingId: entry.outcome.hubbyBookingId,
        issuedAt,
        campaignId: campaign.id,
        campaignLine: entry.line,
      },
      codes: promoCodesOfReply(entry.outcome.fields.response),
    }))
    .filter((batch) => batch.codes.length > 0);
}

const rowOutcomeOf = (status: string): RowOutcome =>
  status === "SENT" ? "sent" : status === "FAILED" ? "failed" : "unknown";

/**
 * Confirmed rows recorded together: the intents (SENDING → SENT, events), the rows' outcomes and the promo codes
 * the promo-code rows returned, in one statement. A row whose intent was settled by someone else meanwhile gets the
 * intent's state copied instead.
 */
export async function settleSentRows(
  campaign: CampaignForRow,
  entries: { rowId: bigint; intentId: string; line: number; outcome: SendOutcome }[],
  recheckMs?: number,
) {
  if (entries.length === 0) return;
  const rows = entries.map(
    (entry) =>
      Prisma.sql`(${entry.intentId}::uuid, ${entry.rowId}::bigint, ${entry.outcome.hubbyBookingId}::text,
        ${entry.outcome.packageIds}::text[])`,
  );
  const sentRows: SettlementWrite = (settled) => Prisma.sql`
    UPDATE "CampaignRow" AS target SET "state" = 'sent', "intentId" = sent_rows."intentId",
      "hubbyBookingId" = sent_rows."hubbyBookingId", "packageIds" = sent_rows."packageIds", "error" = NULL,
      "leaseUntil" = NULL, "updatedAt" = now()
    FROM (VALUES ${Prisma.join(rows)}) AS sent_rows ("intentId", "rowId", "hubbyBookingId", "packageIds")
    WHERE target."id" = sent_rows."rowId" AND sent_rows."intentId" IN (${settled.ids})`;
  const moved = new Set(
    await settleSentIntents(
      entries.map((entry) => ({ id: entry.intentId, outcome: entry.outcome })),
      actorOf(campaign),
      [sentRows, promoCodesOfSettled(promoCodesOfRows(campaign, entries))],
    ),
  );
  for (const entry of entries) {
    if (!moved.has(entry.intentId)) await settleRow(entry.rowId, entry.intentId, recheckMs);
  }
}

/** The row's copy of a send's outcome, written in the same statement as the intent's settlement. */
function rowOutcomeWrite(
  rowId: bigint,
  intentId: string,
  outcome: SendOutcome,
  recheckMs = getEnv().HUBBY_TIMEOUT_MS,
): SettlementWrite {
  const state = rowOutcomeOf(outcome.to);
  return (settled) => Prisma.sql`
    UPDATE "CampaignRow" SET "state" = ${state}::"CampaignRowState", "intentId" = ${intentId}::uuid,
      "hubbyBookingId" = ${outcome.hubbyBookingId}, "packageIds" = ${outcome.packageIds}::text[],
      "error" = ${outcome.error},
      "leaseUntil" = ${state === "unknown" ? new Date(Date.now() + recheckMs) : null}::timestamptz,
      "updatedAt" = now()
    WHERE "id" = ${rowId} AND ${intentId}::uuid IN (${settled.ids})`;
}

async function writeRowOutcome(
  rowId: bigint,
  intent: Pick<SettledIntent, "id" | "status" | "hubbyBookingId" | "packages" | "error">,
  recheckMs = getEnv().HUBBY_TIMEOUT_MS,
  review = false,
): Promise<RowOutcome> {
  const settled = rowOutcomeOf(intent.status);
  const outcome: RowOutcome = settled === "unknown" && review ? "review" : settled;
  const packages = Array.isArray(intent.packages) ? (intent.packages as { package_id?: unknown }[]) : [];
  const data: Prisma.CampaignRowUpdateInput = {
    state: outcome,
    intentId: intent.id,
    hubbyBookingId: intent.hubbyBookingId,
    packageIds: packages.map((spec) => spec.package_id).filter((id): id is string => typeof id === "string"),
    error: outcome === "sent" ? null : intent.error,
    leaseUntil: outcome === "unknown" ? new Date(Date.now() + recheckMs) : null,
  };
  await db().campaignRow.update({ where: { id: rowId }, data });
  // Settled SENT outside the send's own statement (reconciled, sent again, marked issued): its codes, if any.
  if (intent.status === "SENT") await storePromoCodesOfIntents([intent.id]);
  return outcome;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export type WorkerOptions = {
  hubby?: BookingsHubby;
  concurrency?: number;
  quietMs?: number;
  signal?: AbortSignal;
  /** Stop taking new rows after this long and answer "more" if rows are left (a job's slice). */
  sliceMs?: number;
  /** Rows in a row without a reply from Hubby at the end of the previous slice (the breaker counts across slices). */
  noReplyRun?: number;
};

/** How a call of runCampaign ended: the campaign is done, was stopped (paused, cancelled), or has rows left. */
export type RunOutcome = { outcome: "done" | "stopped" | "more"; noReplyRun: number };

/**
 * Works the campaign until no row is left to send or settle (then marks it done), until it is paused or
 * cancelled, or until its slice ends. `concurrency` lanes each claim one row at a time; the breaker pauses after a
 * run of lost replies.
 */
export async function runCampaign(campaignId: string, options: WorkerOptions = {}): Promise<RunOutcome> {
  // No one waits on a row's call: its API log entry is written in a batch (lib/hubby/api-log.ts).
  const hubby = options.hubby ?? (await hubbyFor(null)).withContext({ background: true });
  const concurrency = options.concurrency ?? (await campaignConcurrency());
  const campaign = await db().campaign.findUniqueOrThrow({
    where: { id: campaignId },
    select: { id: true, name: true, status: true, startedById: true, startedByEmail: true },
  });
  let noReplyRun = options.noReplyRun ?? 0;
  if (campaign.status !== "running") return { outcome: "stopped", noReplyRun };
  let active = true;
  const sliceEnds = options.sliceMs === undefined ? Infinity : Date.now() + options.sliceMs;
  const stopped = () => !active || options.signal?.aborted === true;
  const sliceOver = () => Date.now() >= sliceEnds;
  const watcher = setInterval(() => {
    db()
      .campaign.findUnique({ where: { id: campaignId }, select: { status: true } })
      .then((row) => {
        if (row?.status !== "running") active = false;
      })
      .catch(() => undefined);
  }, STATUS_POLL_MS);

  // One claim fills every lane: the lanes share a small queue of claimed rows instead of a claim each. Leases run
  // out in seconds, so looking for expired ones once a second is enough (one statement fewer per claim).
  const queue: ClaimedRow[] = [];
  let claiming: Promise<void> | null = null;
  let expiredCheckedAt = 0;
  // The next claim starts while the lanes still have rows to send, so they rarely wait for it.
  let exhausted = false;
  const refill = () => {
    const expired = Date.now() - expiredCheckedAt >= EXPIRED_CHECK_MS;
    if (expired) expiredCheckedAt = Date.now();
    claiming = claimRows(campaignId, concurrency * 2, leaseMs(), { expired })
      .then((rows) => writeClaimedIntents(campaign, rows))
      .then((rows) => {
        queue.push(...rows);
        exhausted = rows.length === 0;
      })
      .finally(() => {
        claiming = null;
      });
    return claiming;
  };
  const nextRow = async () => {
    if (!claiming && !exhausted && queue.length <= concurrency) void refill().catch(() => undefined);
    while (queue.length === 0 && claiming) await claiming;
    if (queue.length === 0 && !exhausted) await refill();
    return queue.shift();
  };
  // Settlements written behind the lanes; bounded, so a slow database slows the lanes instead of piling up.
  const settling = new Set<Promise<unknown>>();
  const settleLater = (promise: Promise<unknown>) => {
    const tracked = promise
      .catch((error: unknown) => console.error(`[campaigns] could not record a row of ${campaignId}:`, error))
      .finally(() => settling.delete(tracked));
    settling.add(tracked);
  };
  // Confirmed rows wait a moment for neighbours and are written together (one statement for up to 2 × lanes).
  type SentRow = { rowId: bigint; intentId: string; line: number; outcome: SendOutcome };
  const sentRows = createBatcher<SentRow>({
    flushMs: SENT_BATCH_MS,
    maxBatch: concurrency * 2,
    write: (entries) => settleSentRows(campaign, entries, options.quietMs),
  });
  const settleSent = (rowId: bigint, intentId: string, outcome: SendOutcome, line: number) =>
    sentRows.add({ rowId, intentId, line, outcome });
  const settled = async (max = 0) => {
    if (max === 0) void sentRows.flush();
    while (settling.size > max) await Promise.race(settling);
  };
  const lane = async () => {
    while (!stopped() && !sliceOver()) {
      await settled(concurrency * 4);
      const row = await nextRow();
      if (!row) return;
      const outcome = await processRow(campaign, row, hubby, { quietMs: options.quietMs, settleLater, settleSent });
      noReplyRun = outcome === "unknown" ? noReplyRun + 1 : 0;
      if (noReplyRun >= BREAKER_THRESHOLD) {
        active = false;
        await db().campaign.updateMany({
          where: { id: campaignId, status: "running" },
          data: {
            status: "paused",
            statusNote: `Paused by the circuit breaker: ${BREAKER_THRESHOLD} rows in a row got no reply from Hubby.`,
          },
        });
      }
    }
  };

  try {
    while (!stopped()) {
      if (sliceOver()) return { outcome: "more", noReplyRun };
      exhausted = false;
      await Promise.all(Array.from({ length: concurrency }, lane));
      // A claim started ahead of time may still be landing: its rows are handed back below with the rest.
      while (claiming) await (claiming as Promise<void>).catch(() => undefined);
      await settled();
      if (queue.length > 0) {
        // Claimed but not started when the campaign stopped: hand them back, with the intents written for them
        // (this worker knows they were never sent). A row whose intent existed before is reconciled when next taken.
        const unstarted = queue.splice(0);
        await releaseUnsentIntents(
          unstarted.flatMap((row) => (row.intentId ? [row.intentId] : [])),
          "Not sent: the campaign stopped before this row's turn",
          actorOf(campaign),
        );
        await db().campaignRow.updateMany({
          where: { id: { in: unstarted.map((row) => row.id) }, state: "sending" },
          data: { state: "pending", leaseUntil: null },
        });
      }
      if (stopped()) break;
      if (sliceOver()) return { outcome: "more", noReplyRun };
      const open = await db().campaignRow.count({
        where: { campaignId, state: { in: ["pending", "sending", "unknown"] } },
      });
      if (open === 0) {
        await db().campaign.updateMany({
          where: { id: campaignId, status: "running" },
          data: { status: "done", finishedAt: new Date() },
        });
        return { outcome: "done", noReplyRun };
      }
      // Rows held by another worker or waiting out a quiet period: look again shortly.
      await sleep(IDLE_POLL_MS);
    }
  } finally {
    clearInterval(watcher);
    await settled();
    await sentRows.flush();
  }
  return { outcome: "stopped", noReplyRun };
}
