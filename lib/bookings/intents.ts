import "server-only";
import crypto from "node:crypto";
import { db } from "../db";
import { getEnv } from "../env";
import { Prisma, type BookingIntentKind, type BookingIntentStatus } from "../generated/prisma/client";
import type { HubbyClient } from "../hubby/client";
import { HubbyApiError } from "../hubby/errors";
import type { Booking, CreateBookingInput } from "../hubby/schemas";
import { rememberBookedTravelers } from "../travelers/booked";
import type { PromoCodeBookingRequest } from "./promo-request";
import { bookingReference, type BookingRequest } from "./request";

/**
 * "Never twice": every booking is written as a BookingIntent before POST /api/bookings, the POST is made by
 * whoever atomically claims the PENDING row, and a lost reply leaves the intent UNKNOWN (never retried on its
 * own) until reconciliation finds the booking at Hubby by the reference sent as `booking_id`.
 *
 *   PENDING ─claim→ SENDING ─reply→ SENT
 *                          ├─4xx──→ FAILED ─manual retry (after a fresh check)→ PENDING
 *                          └─lost─→ UNKNOWN ─reconcile→ SENT | FAILED
 */

export type Actor = { id: string; email: string } | null;
export type BookingsHubby = Pick<HubbyClient, "createBooking" | "listBookings" | "getUserDashboard">;

export type IntentState = {
  id: string;
  status: BookingIntentStatus;
  hubbyBookingId: string | null;
  error: string | null;
  errorField: string | null;
  attempts: number;
};

const stateSelect = {
  id: true,
  status: true,
  hubbyBookingId: true,
  error: true,
  errorField: true,
  attempts: true,
} as const;

export type NewIntent = {
  clientKey: string;
  kind: BookingIntentKind;
  /** A booking for travelers, or one for promo codes (no external_user_id: lib/bookings/promo-request.ts). */
  request: BookingRequest | PromoCodeBookingRequest;
  quote?: unknown;
  destinations: string[];
  costCents?: number | null;
  priceCents?: number | null;
  currency?: string | null;
  reason?: string | null;
  /** Bytes per traveler counted against the support top-up limit (support agents' top-ups only). */
  supportTopUpBytes?: number | null;
  actor: Actor;
};

/** Where the intents are written: the database, or the caller's transaction (the support limit's check). */
type SqlRunner = Pick<Prisma.TransactionClient, "$queryRaw">;

const WRITTEN_NOTE = { issue: "Booking written before sending", top_up: "Top-up written before sending" } as const;
const SEND_NOTE = "POST /api/bookings";

/**
 * Writes the intent, or finds the one this form already created: the client key is unique, so a double click or
 * a second tab submitting the same rendered form never makes a second intent (and so never a second POST).
 * With `claimed`, the new intent is written already SENDING: the caller, and only the caller, then makes the POST
 * (postBooking) and records its outcome (settleSending).
 */
export async function createIntent(
  input: NewIntent,
  options: { claimed?: boolean; runner?: SqlRunner } = {},
): Promise<{ intent: IntentState; created: boolean }> {
  const created = await createIntents([input], options);
  const id = created.get(input.clientKey);
  if (id) {
    const status: BookingIntentStatus = options.claimed ? "SENDING" : "PENDING";
    return {
      intent: { id, status, hubbyBookingId: null, error: null, errorField: null, attempts: options.claimed ? 1 : 0 },
      created: true,
    };
  }
  const [intent] = await (options.runner ?? db()).$queryRaw<IntentState[]>`
    SELECT "id"::text AS "id", "status"::text AS "status", "hubbyBookingId", "error", "errorField", "attempts"
    FROM "BookingIntent" WHERE "clientKey" = ${input.clientKey}`;
  if (!intent) throw new Error(`Intent for client key ${input.clientKey} not found after a conflict.`);
  return { intent, created: false };
}

/**
 * Writes several intents in one statement: INSERT … ON CONFLICT DO NOTHING (a client key that exists, or that a
 * racing caller inserts first, is skipped) with each new intent's "written" event, and with `claimed` its
 * PENDING → SENDING event too (a campaign's claimed rows). Returns the new intents' ids by client key.
 */
export async function createIntents(
  inputs: NewIntent[],
  options: { claimed?: boolean; runner?: SqlRunner } = {},
): Promise<Map<string, string>> {
  if (inputs.length === 0) return new Map();
  const claimed = options.claimed === true;
  const sentAt = claimed ? new Date() : null;
  const values = inputs.map((input) => {
    const reference = bookingReference(input.clientKey);
    if (input.request.booking_id !== reference)
      throw new Error("The request's booking_id must be the intent's reference.");
    const externalUserIds = [
      ...new Set(
        input.request.package_specifications.flatMap((spec) =>
          "external_user_id" in spec && spec.external_user_id ? [spec.external_user_id] : [],
        ),
      ),
    ];
    return Prisma.sql`(${crypto.randomUUID()}::uuid, ${input.clientKey}, ${reference},
      ${input.kind}::"BookingIntentKind", ${claimed ? "SENDING" : "PENDING"}::"BookingIntentStatus",
      ${JSON.stringify(input.request)}::jsonb,
      ${input.quote === undefined ? null : JSON.stringify(input.quote ?? null)}::jsonb,
      ${externalUserIds}::text[], ${input.destinations}::text[], ${input.costCents ?? null}::int,
      ${input.priceCents ?? null}::int, ${input.currency ?? null}, ${input.reason ?? null},
      ${input.actor?.id ?? null}::uuid, ${input.actor?.email ?? "system"}, ${claimed ? 1 : 0}::int,
      ${sentAt}::timestamptz, now(), ${input.supportTopUpBytes ?? null}::bigint)`;
  });
  // An intent without an actor is stored as "system"; its events carry no actor.
  const eventActor = Prisma.sql`"actorId", CASE WHEN "actorId" IS NULL THEN NULL ELSE "actorEmail" END`;
  const sending = claimed
    ? Prisma.sql`UNION ALL SELECT "id", 'PENDING'::"BookingIntentStatus", 'SENDING'::"BookingIntentStatus", ${SEND_NOTE}, ${eventActor} FROM created`
    : Prisma.empty;
  const inserted = await (options.runner ?? db()).$queryRaw<{ id: string; clientKey: string }[]>`
    WITH created AS (
      INSERT INTO "BookingIntent" ("id", "clientKey", "reference", "kind", "status", "payload", "quote",
        "externalUserIds", "destinations", "costCents", "priceCents", "currency", "reason", "actorId", "actorEmail",
        "attempts", "sentAt", "updatedAt", "supportTopUpBytes")
      VALUES ${Prisma.join(values)}
      ON CONFLICT DO NOTHING
      RETURNING "id", "clientKey", "kind", "actorId", "actorEmail"
    ), events AS (
      INSERT INTO "BookingIntentEvent" ("intentId", "from", "to", "note", "actorId", "actorEmail")
      SELECT "id", NULL, 'PENDING'::"BookingIntentStatus",
        CASE WHEN "kind" = 'top_up' THEN ${WRITTEN_NOTE.top_up} ELSE ${WRITTEN_NOTE.issue} END, ${eventActor}
      FROM created
      ${sending}
    )
    SELECT "id"::text AS "id", "clientKey" FROM created`;
  return new Map(inserted.map((row) => [row.clientKey, row.id]));
}

/**
 * Gives back intents a caller claimed (createIntents with `claimed`) but never sent, e.g. a campaign paused before
 * their turn: SENDING → PENDING, the attempt not counted. Only the caller that holds them may say so.
 */
export async function releaseUnsentIntents(ids: string[], note: string, actor: Actor): Promise<void> {
  if (ids.length === 0) return;
  await db().$executeRaw`
    WITH released AS (
      UPDATE "BookingIntent" SET "status" = 'PENDING', "attempts" = GREATEST("attempts" - 1, 0), "sentAt" = NULL,
        "updatedAt" = now()
      WHERE "id" IN (${Prisma.join(ids.map((id) => Prisma.sql`${id}::uuid`))}) AND "status" = 'SENDING'
      RETURNING "id"
    )
    INSERT INTO "BookingIntentEvent" ("intentId", "from", "to", "note", "actorId", "actorEmail")
    SELECT "id", 'SENDING', 'PENDING', ${note}, ${actor?.id ?? null}::uuid, ${actor?.email ?? null} FROM released`;
}

/** The columns a status change may set; `attempts: "increment"` counts one more POST. */
type TransitionFields = {
  hubbyBookingId?: string | null;
  packages?: unknown;
  response?: unknown;
  error?: string | null;
  errorField?: string | null;
  sentAt?: Date;
  settledAt?: Date | null;
  attempts?: "increment";
};

export type SettledIntent = IntentState & { packages: unknown; payload: unknown };

/**
 * The intents a settling statement moved, as the ledger hands them to writes that belong in that same statement:
 * `ids` is a subquery of their ids (`… WHERE "intentId" IN (${moved.ids})`), `rows` one of their "id",
 * "externalUserIds", "hubbyBookingId" and "payload". Only the ledger makes one, so no caller depends on how the
 * statement is put together.
 */
export type MovedIntents = { readonly ids: Prisma.Sql; readonly rows: Prisma.Sql };

/**
 * A write that belongs in the statement that settles intents (a campaign row taking the outcome, the promo codes
 * a reply returned): one data-modifying statement (INSERT/UPDATE/DELETE) built from the moved intents, so it only
 * touches what this statement really settled; null when there is nothing to write.
 */
export type SettlementWrite = (moved: MovedIntents) => Prisma.Sql | null;

const MOVED: MovedIntents = {
  ids: Prisma.sql`SELECT "id" FROM moved`,
  rows: Prisma.sql`SELECT "id", "externalUserIds", "hubbyBookingId", "payload" FROM moved`,
};

/**
 * The writes that ride along a settlement, as data-modifying CTEs after `moved` and its event: the booked
 * travelers when the intents become SENT, then the caller's writes. Each one is named here, by position.
 */
function writesAlong(sent: boolean, writes: readonly SettlementWrite[]): Prisma.Sql {
  const statements = [
    ...(sent ? rememberBookedTravelers(MOVED.rows) : []),
    ...writes.map((write) => write(MOVED)).filter((statement): statement is Prisma.Sql => statement !== null),
  ];
  if (statements.length === 0) return Prisma.empty;
  return Prisma.sql`, ${Prisma.join(
    statements.map((statement, index) => Prisma.sql`${Prisma.raw(`along_${index}`)} AS (${statement})`),
    ", ",
  )}`;
}

/**
 * Moves an intent from one status to another if, and only if, it is still in `from`, and records the change:
 * one statement (the UPDATE and the event's INSERT in data-modifying CTEs), so it is atomic without a transaction.
 * Returns the intent after the change, or null when it was no longer in `from`. `writes` run in the same
 * statement, for the intent only if it moved (e.g. a campaign row recording the outcome).
 */
async function transition(
  id: string,
  from: BookingIntentStatus,
  to: BookingIntentStatus,
  fields: TransitionFields,
  note: string,
  actor: Actor,
  writes: readonly SettlementWrite[] = [],
): Promise<SettledIntent | null> {
  const sets: Prisma.Sql[] = [Prisma.sql`"status" = ${to}::"BookingIntentStatus"`, Prisma.sql`"updatedAt" = now()`];
  if ("hubbyBookingId" in fields) sets.push(Prisma.sql`"hubbyBookingId" = ${fields.hubbyBookingId ?? null}`);
  if ("packages" in fields) sets.push(Prisma.sql`"packages" = ${JSON.stringify(fields.packages ?? null)}::jsonb`);
  if ("response" in fields) sets.push(Prisma.sql`"response" = ${JSON.stringify(fields.response ?? null)}::jsonb`);
  if ("error" in fields) sets.push(Prisma.sql`"error" = ${fields.error ?? null}`);
  if ("errorField" in fields) sets.push(Prisma.sql`"errorField" = ${fields.errorField ?? null}`);
  if (fields.sentAt) sets.push(Prisma.sql`"sentAt" = ${fields.sentAt}::timestamptz`);
  if ("settledAt" in fields) sets.push(Prisma.sql`"settledAt" = ${fields.settledAt ?? null}::timestamptz`);
  if (fields.attempts === "increment") sets.push(Prisma.sql`"attempts" = "attempts" + 1`);
  const rows = await db().$queryRaw<SettledIntent[]>`
    WITH moved AS (
      UPDATE "BookingIntent" SET ${Prisma.join(sets, ", ")}
      WHERE "id" = ${id}::uuid AND "status" = ${from}::"BookingIntentStatus"
      RETURNING "id", "status", "hubbyBookingId", "error", "errorField", "attempts", "packages", "payload",
        "externalUserIds"
    ), event AS (
      INSERT INTO "BookingIntentEvent" ("intentId", "from", "to", "note", "actorId", "actorEmail")
      SELECT "id", ${from}::"BookingIntentStatus", ${to}::"BookingIntentStatus", ${note}, ${actor?.id ?? null}::uuid,
        ${actor?.email ?? null}
      FROM moved
    )${writesAlong(to === "SENT", writes)}
    SELECT "id"::text AS "id", "status"::text AS "status", "hubbyBookingId", "error", "errorField", "attempts",
      "packages", "payload"
    FROM moved`;
  return rows[0] ?? null;
}

async function readState(id: string): Promise<IntentState> {
  return db().bookingIntent.findUniqueOrThrow({ where: { id }, select: stateSelect });
}

function settledFields(booking: Pick<Booking, "id" | "package_specifications">, response: unknown): TransitionFields {
  return {
    hubbyBookingId: booking.id,
    packages: booking.package_specifications,
    response,
    error: null,
    errorField: null,
    settledAt: new Date(),
  };
}

/**
 * Sends the intent's POST /api/bookings, exactly once: only the caller whose UPDATE … WHERE status = 'PENDING'
 * matched makes the call; everyone else gets the intent's current state.
 */
export async function sendIntent(id: string, hubby: BookingsHubby, actor: Actor): Promise<IntentState> {
  const claimed = await transition(
    id,
    "PENDING",
    "SENDING",
    { attempts: "increment", sentAt: new Date() },
    SEND_NOTE,
    actor,
  );
  if (!claimed) return readState(id);
  const settled = await settleSending(id, await postBooking(claimed.payload as CreateBookingInput, hubby), actor);
  if (!settled) return readState(id);
  const { id: settledId, status, hubbyBookingId, error, errorField, attempts } = settled;
  return { id: settledId, status, hubbyBookingId, error, errorField, attempts };
}

/** What one POST /api/bookings led to, before it is recorded. */
export type SendOutcome = {
  to: "SENT" | "FAILED" | "UNKNOWN";
  fields: TransitionFields;
  note: string;
  hubbyBookingId: string | null;
  packageIds: string[];
  error: string | null;
};

/** The POST for an intent this caller holds in SENDING, and what its reply means (nothing is recorded yet). */
export async function postBooking(payload: CreateBookingInput, hubby: BookingsHubby): Promise<SendOutcome> {
  try {
    const booking = await hubby.createBooking(payload);
    return {
      to: "SENT",
      fields: settledFields(booking, booking),
      note: `Hubby confirmed booking ${booking.id}`,
      hubbyBookingId: booking.id,
      packageIds: booking.package_specifications.flatMap((spec) => {
        const id = (spec as { package_id?: unknown }).package_id;
        return typeof id === "string" ? [id] : [];
      }),
      error: null,
    };
  } catch (error) {
    const refused = error instanceof HubbyApiError && error.kind === "http" && (error.status ?? 500) < 500;
    const message = error instanceof Error ? error.message : "The call to Hubby failed unexpectedly.";
    if (refused) {
      return {
        to: "FAILED",
        fields: { error: message, errorField: error.fieldError?.field ?? null, settledAt: new Date() },
        note: `Hubby refused it (HTTP ${error.status})`,
        hubbyBookingId: null,
        packageIds: [],
        error: message,
      };
    }
    // No usable reply: Hubby may have created the booking. Only reconciliation may decide, never a resend.
    const unknown = `${message} The booking may exist at Hubby: reconcile before any retry.`;
    return {
      to: "UNKNOWN",
      fields: { error: unknown },
      note: error instanceof HubbyApiError ? `No reply (${error.kind})` : "No reply",
      hubbyBookingId: null,
      packageIds: [],
      error: unknown,
    };
  }
}

/** Records what the POST of a SENDING intent led to, with `writes` in the same statement. */
export function settleSending(
  id: string,
  outcome: SendOutcome,
  actor: Actor,
  writes: readonly SettlementWrite[] = [],
): Promise<SettledIntent | null> {
  return transition(id, "SENDING", outcome.to, outcome.fields, outcome.note, actor, writes);
}

/**
 * Records several confirmed POSTs (outcome SENT) in one statement: each intent still SENDING becomes SENT with its
 * event, and `writes` run in the same statement for the intents it moved. Returns the ids it moved (an intent
 * someone else settled meanwhile is left alone and not returned).
 */
export async function settleSentIntents(
  entries: { id: string; outcome: SendOutcome }[],
  actor: Actor,
  writes: readonly SettlementWrite[] = [],
): Promise<string[]> {
  if (entries.length === 0) return [];
  const values = entries.map(
    ({ id, outcome }) =>
      Prisma.sql`(${id}::uuid, ${outcome.hubbyBookingId}::text,
        ${JSON.stringify(outcome.fields.packages ?? null)}::jsonb,
        ${JSON.stringify(outcome.fields.response ?? null)}::jsonb, ${outcome.note}::text)`,
  );
  const moved = await db().$queryRaw<{ id: string }[]>`
    WITH sent ("id", "hubbyBookingId", "packages", "response", "note") AS (VALUES ${Prisma.join(values)}),
    moved AS (
      UPDATE "BookingIntent" AS intent SET "status" = 'SENT', "hubbyBookingId" = sent."hubbyBookingId",
        "packages" = sent."packages", "response" = sent."response", "error" = NULL, "errorField" = NULL,
        "settledAt" = now(), "updatedAt" = now()
      FROM sent
      WHERE intent."id" = sent."id" AND intent."status" = 'SENDING'
      RETURNING intent."id", sent."note", intent."externalUserIds", intent."hubbyBookingId", intent."payload"
    ), event AS (
      INSERT INTO "BookingIntentEvent" ("intentId", "from", "to", "note", "actorId", "actorEmail")
      SELECT "id", 'SENDING', 'SENT', "note", ${actor?.id ?? null}::uuid, ${actor?.email ?? null} FROM moved
    )${writesAlong(true, writes)}
    SELECT "id"::text AS "id" FROM moved`;
  return moved.map((row) => row.id);
}

// ── Reconciliation ──────────────────────────────────────────────────────────────────────────────────────────

type Found = { booking: Booking; via: string };

/**
 * What looking for an intent's booking at Hubby established. Only `found` and `absent` settle anything:
 * - found: a booking carrying the intent's reference (`booking_id`), by any lookup;
 * - absent: `GET /api/bookings?bookingId=<reference>` answered a well-formed list that counts its matches and
 *   the count is 0. That count (`meta.total`) is not in Hubby's documentation (reference §4.2), so only a Hubby
 *   that sends it can ever prove absence; against the documented shape nothing can;
 * - undetermined: anything less — an empty list without a count, an error, a timeout, dashboards that do not
 *   name bookings. The booking may exist, so it is never sent again without staff (the review queue).
 */
type Lookup = { found: Found } | { absent: string } | { undetermined: string };

const isNotFound = (error: unknown) => error instanceof HubbyApiError && error.status === 404;
const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));
const LIST_PAGES = 5;
const PER_PAGE = 100;

/**
 * Looks for the booking carrying this reference: GET /api/bookings?bookingId=<reference>; then the first
 * traveler's bookings; then the booking ids on the travelers' dashboards (queues created since the send) that no
 * intent accounts for, each checked against GET /api/bookings. A match is always on `booking_id`, never a guess.
 * A failed lookup does not stop the others (any of them may find the booking), but leaves the verdict undetermined.
 */
async function lookUpAtHubby(
  intent: { reference: string; externalUserIds: string[]; sentAt: Date | null },
  hubby: BookingsHubby,
): Promise<Lookup> {
  const matches = (booking: Booking) => booking.booking_id === intent.reference;
  let proof: string | undefined;
  let doubt = "";
  try {
    const byReference = await hubby.listBookings({ bookingId: intent.reference });
    const booking = byReference.bookings.find(matches);
    if (booking) return { found: { booking, via: "GET /api/bookings?bookingId" } };
    if (byReference.bookings.length === 0 && byReference.unreadable === 0 && byReference.total === 0) {
      proof = `GET /api/bookings?bookingId=${intent.reference} counted 0 matching bookings`;
    } else if (byReference.bookings.length === 0) {
      doubt =
        "GET /api/bookings?bookingId answered an empty list without a count of matches, which cannot prove absence";
    } else {
      doubt = "GET /api/bookings?bookingId answered bookings without this reference (the filter may not be supported)";
    }
  } catch (error) {
    doubt = `GET /api/bookings?bookingId failed: ${describe(error)}`;
  }

  const first = intent.externalUserIds[0];
  if (first) {
    for (let page = 1; page <= LIST_PAGES; page++) {
      let list;
      try {
        list = await hubby.listBookings({ externalUserId: first, perPage: PER_PAGE, page });
      } catch (error) {
        if (!isNotFound(error)) doubt ||= `GET /api/bookings?external_user_id failed: ${describe(error)}`;
        break;
      }
      const booking = list.bookings.find(matches);
      if (booking) return { found: { booking, via: "GET /api/bookings?external_user_id" } };
      if (list.bookings.length < PER_PAGE || (list.totalPages !== undefined && page >= list.totalPages)) break;
    }
  }

  const since = (intent.sentAt?.getTime() ?? 0) - 5 * 60_000;
  const candidates = new Set<string>();
  for (const externalUserId of intent.externalUserIds.slice(0, 5)) {
    try {
      const dashboard = await hubby.getUserDashboard(externalUserId);
      for (const queue of dashboard.package_queues) {
        const bookingId = (queue as { booking_id?: unknown }).booking_id;
        const created = queue.created_at ? Date.parse(queue.created_at) : NaN;
        if (typeof bookingId === "string" && !(created < since)) candidates.add(bookingId);
      }
    } catch (error) {
      if (!isNotFound(error)) doubt ||= `GET /api/native/user-dashboard failed: ${describe(error)}`;
    }
  }
  if (candidates.size > 0) {
    const known = await db().bookingIntent.findMany({
      where: { hubbyBookingId: { in: [...candidates] } },
      select: { hubbyBookingId: true },
    });
    for (const row of known) candidates.delete(row.hubbyBookingId!);
  }
  for (const bookingId of candidates) {
    try {
      const list = await hubby.listBookings({ bookingId });
      const booking = list.bookings.find(matches);
      if (booking) return { found: { booking, via: "the travelers' dashboards" } };
    } catch (error) {
      if (!isNotFound(error)) doubt ||= `GET /api/bookings?bookingId=${bookingId} failed: ${describe(error)}`;
    }
  }
  if (proof && !doubt) return { absent: proof };
  return { undetermined: doubt || "no lookup could prove the booking absent" };
}

/** A lookup found the intent's booking: whatever the intent was (`from`), it is SENT with Hubby's booking. */
async function recordFound(id: string, from: BookingIntentStatus, found: Found, actor: Actor): Promise<Booking> {
  const { booking, via } = found;
  await transition(
    id,
    from,
    "SENT",
    settledFields(booking, booking),
    `Reconciled: booking ${booking.id} found via ${via}`,
    actor,
  );
  return booking;
}

/**
 * found / absent / undetermined as above; `waiting` while a slow request could still commit (the quiet period);
 * `settled` when there was nothing to reconcile.
 */
export type ReconcileVerdict = "found" | "absent" | "undetermined" | "waiting" | "settled";

export type ReconcileOutcome = IntentState & { note: string; verdict: ReconcileVerdict };

export type ReconcileOptions = {
  /**
   * How long after the last send a booking may still appear at Hubby (a slow request can commit after the
   * console gave up). Until then "not found" settles nothing. Default: HUBBY_TIMEOUT_MS.
   */
  quietMs?: number;
  now?: () => number;
};

/**
 * Settles an UNKNOWN intent (or a SENDING one abandoned past the quiet period, e.g. after a crash) from what
 * Hubby has: SENT when the reference is found; FAILED only when Hubby proved it absent after the quiet period;
 * otherwise it stays (or becomes) UNKNOWN, for staff to review. A FAILED intent is re-checked too (before a
 * manual retry) and becomes SENT if the booking exists after all.
 */
export async function reconcileIntent(
  id: string,
  hubby: BookingsHubby,
  actor: Actor,
  options: ReconcileOptions = {},
): Promise<ReconcileOutcome> {
  const quietMs = options.quietMs ?? getEnv().HUBBY_TIMEOUT_MS;
  const now = (options.now ?? Date.now)();
  const intent = await db().bookingIntent.findUniqueOrThrow({
    where: { id },
    select: { ...stateSelect, reference: true, externalUserIds: true, sentAt: true },
  });
  const quiet = !intent.sentAt || now - intent.sentAt.getTime() >= quietMs;
  if (intent.status === "PENDING" || intent.status === "SENT") {
    return { ...intent, verdict: "settled", note: `Nothing to reconcile: the intent is ${intent.status}.` };
  }
  if (intent.status === "SENDING" && !quiet) {
    return { ...intent, verdict: "waiting", note: "The request is still being sent." };
  }

  const lookup = await lookUpAtHubby(intent, hubby);
  if ("found" in lookup) {
    const booking = await recordFound(id, intent.status, lookup.found, actor);
    return { ...(await readState(id)), verdict: "found", note: `Hubby has booking ${booking.id} for this intent.` };
  }
  if (intent.status === "FAILED") {
    return { ...intent, verdict: "absent", note: "Hubby has no booking for this intent." };
  }
  if (!quiet) {
    const wait = Math.ceil((intent.sentAt!.getTime() + quietMs - now) / 1000);
    return {
      ...intent,
      verdict: "waiting",
      note: `Hubby has no booking for this intent yet; a slow request could still arrive. Check again in ${wait} s.`,
    };
  }
  if ("undetermined" in lookup) {
    const note = `Not found, but not proven absent: ${lookup.undetermined}. Needs review.`;
    await transition(id, intent.status, "UNKNOWN", { error: note }, "Reconciled: not found, absence not proven", actor);
    return { ...(await readState(id)), verdict: "undetermined", note };
  }
  await transition(
    id,
    intent.status,
    "FAILED",
    { error: `Hubby has no booking with reference ${intent.reference}.`, errorField: null, settledAt: new Date() },
    `Reconciled: no booking at Hubby (${lookup.absent})`,
    actor,
  );
  return {
    ...(await readState(id)),
    verdict: "absent",
    note: "Hubby has no booking for this intent: it was not issued.",
  };
}

export type RetryOutcome = IntentState & { note: string; resent: boolean; verdict?: ReconcileVerdict };

/**
 * A manual retry of an UNKNOWN or FAILED intent: reconcile first (the booking may exist after all), and send
 * again only when Hubby confirms it has none. Same intent, same reference: reconciliation still finds it.
 */
export async function retryIntent(
  id: string,
  hubby: BookingsHubby,
  actor: Actor,
  options: ReconcileOptions = {},
): Promise<RetryOutcome> {
  const current = await readState(id);
  if (current.status !== "UNKNOWN" && current.status !== "FAILED") {
    return {
      ...current,
      resent: false,
      note: `Only an UNKNOWN or FAILED intent can be retried (this one is ${current.status}).`,
    };
  }
  const checked = await reconcileIntent(id, hubby, actor, options);
  if (checked.status !== "FAILED") {
    const note =
      checked.verdict === "undetermined"
        ? `${checked.note} If you have checked with Hubby that it does not exist, use "Not at Hubby: send once".`
        : checked.note;
    return { ...checked, resent: false, note };
  }
  const sent = await resendFailedIntent(id, hubby, actor, "Manual retry");
  if (!sent) return { ...(await readState(id)), resent: false, note: "Someone else is retrying this intent." };
  return { ...sent, resent: true, note: sent.status === "SENT" ? "Sent again and confirmed." : "Sent again." };
}

/**
 * Sends a FAILED intent again (same intent, same reference: reconciliation still finds it), for a caller that has
 * just confirmed Hubby has no booking for it. Null when someone else reopened it first.
 */
export async function resendFailedIntent(
  id: string,
  hubby: BookingsHubby,
  actor: Actor,
  note: string,
): Promise<IntentState | null> {
  const reopened = await transition(
    id,
    "FAILED",
    "PENDING",
    { error: null, errorField: null, settledAt: null },
    note,
    actor,
  );
  return reopened ? sendIntent(id, hubby, actor) : null;
}

export type ReviewOutcome = IntentState & { note: string; sent: boolean };

/**
 * Staff have confirmed with Hubby (outside the console) that an UNKNOWN intent's booking does not exist: look once
 * more (a booking found now settles it, nothing is sent), then UNKNOWN → FAILED with their confirmation, and send
 * it once. The status changes are conditional, so two clicks or two staff members cause one POST.
 */
export async function confirmAbsentAndSend(
  id: string,
  hubby: BookingsHubby,
  actor: NonNullable<Actor>,
): Promise<ReviewOutcome> {
  const current = await readState(id);
  if (current.status !== "UNKNOWN") {
    return {
      ...current,
      sent: false,
      note: `Only an UNKNOWN booking can be confirmed absent (this one is ${current.status}).`,
    };
  }
  const intent = await db().bookingIntent.findUniqueOrThrow({
    where: { id },
    select: { reference: true, externalUserIds: true, sentAt: true },
  });
  const lookup = await lookUpAtHubby(intent, hubby);
  if ("found" in lookup) {
    const booking = await recordFound(id, "UNKNOWN", lookup.found, actor);
    return {
      ...(await readState(id)),
      sent: false,
      note: `Hubby has booking ${booking.id} after all: nothing was sent.`,
    };
  }
  const confirmed = await transition(
    id,
    "UNKNOWN",
    "FAILED",
    { error: `Confirmed not at Hubby by ${actor.email}.`, errorField: null, settledAt: new Date() },
    "Staff confirmed the booking is not at Hubby",
    actor,
  );
  if (!confirmed)
    return { ...(await readState(id)), sent: false, note: "Someone else settled this booking meanwhile." };
  const sent = await resendFailedIntent(id, hubby, actor, "Sent once after staff confirmed it is not at Hubby");
  if (!sent) return { ...(await readState(id)), sent: false, note: "Someone else is sending this booking." };
  return {
    ...sent,
    sent: true,
    note: sent.status === "SENT" ? `Sent once: booking ${sent.hubbyBookingId}.` : `Sent once (${sent.status}).`,
  };
}

/** Staff have confirmed with Hubby that an UNKNOWN intent's booking exists: UNKNOWN → SENT, nothing is sent. */
export async function markIntentIssued(
  id: string,
  actor: NonNullable<Actor>,
  hubbyBookingId: string | null,
): Promise<ReviewOutcome> {
  const marked = await transition(
    id,
    "UNKNOWN",
    "SENT",
    { hubbyBookingId, error: null, errorField: null, settledAt: new Date() },
    hubbyBookingId ? `Marked as issued by staff (Hubby booking ${hubbyBookingId})` : "Marked as issued by staff",
    actor,
  );
  const state = await readState(id);
  return { ...state, sent: false, note: marked ? "Marked as issued." : `Not changed: the booking is ${state.status}.` };
}
