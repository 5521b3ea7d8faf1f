import "server-only";

import type { Facts } from "./facts";

/**
 * Writes an event's facts into the console's model with upserts whose merge rules are order-independent and
 * idempotent: times only widen (LEAST/GREATEST), usage only moves up, a state applies only if it is newer (ties
 * broken by value), and fill-in fields keep the greatest non-null value. Any set of events applied in any order,
 * any number of times, gives the same rows (tests/integration/webhook-projection.test.ts proves it).
 *
 * Each upsert is declared once (table, typed columns, merge rule) and its statement text is built from that, either
 * on its own (`project`, in the caller's transaction) or folded into the statement that stores the event
 * (`withProjection`, the intake's one round trip). The text depends only on the upsert and where its parameters
 * start, so it is built once per shape and cached: the intake's prepared statements see a handful of fixed texts.
 */

/** Byte counts travel as text and are cast in SQL: drivers disagree on BigInt parameters. */
const big = (value: bigint | null | undefined) => (value === null || value === undefined ? null : value.toString());

export type Statement = { text: string; values: unknown[] };
/** Runs one parameterised statement: a Prisma transaction's $executeRawUnsafe or a raw driver query. */
export type RunSql = (text: string, values: unknown[]) => Promise<unknown>;

type Column = readonly [name: string, type: string];

/** One table's upsert: INSERT INTO table AS alias (columns) <the row> ON CONFLICT <mergeRule>. */
type Upsert<Columns extends readonly Column[] = readonly Column[]> = {
  table: string;
  alias: string;
  columns: Columns;
  /** What follows ON CONFLICT: the conflict target and the merge rule, which reads the new row as EXCLUDED. */
  mergeRule: string;
};

/** An upsert with this event's values, in the upsert's column order. */
type UpsertRow = { upsert: Upsert; values: unknown[] };

function upsertRow<const Columns extends readonly Column[]>(
  upsert: Upsert<Columns>,
  values: { [Name in Columns[number][0]]: unknown },
): UpsertRow {
  return { upsert, values: upsert.columns.map(([name]) => values[name as Columns[number][0]]) };
}

const texts = new WeakMap<Upsert, Map<string, string>>();

/**
 * The upsert's statement with its parameters numbered from `offset + 1`. With `onlyIfStored`, the row comes from
 * `SELECT … WHERE EXISTS (SELECT 1 FROM ins)` instead of VALUES: inside withProjection's statement it runs only if
 * the event row was inserted (not a duplicate).
 */
function upsertText(upsert: Upsert, offset: number, onlyIfStored: boolean): string {
  let byPlace = texts.get(upsert);
  if (!byPlace) texts.set(upsert, (byPlace = new Map()));
  const key = `${offset}:${onlyIfStored}`;
  let text = byPlace.get(key);
  if (text === undefined) {
    const names = upsert.columns.map(([name]) => `"${name}"`).join(", ");
    const params = upsert.columns.map(([, type], index) => `$${offset + index + 1}::${type}`).join(", ");
    const row = onlyIfStored ? `SELECT ${params} WHERE EXISTS (SELECT 1 FROM ins)` : `VALUES (${params})`;
    text = `INSERT INTO "${upsert.table}" AS ${upsert.alias} (${names})\n${row}\nON CONFLICT ${upsert.mergeRule}`;
    byPlace.set(key, text);
  }
  return text;
}

const traveler = {
  table: "Traveler",
  alias: "t",
  columns: [
    ["externalUserId", "text"],
    ["firstSeenAt", "timestamptz"],
    ["lastSeenAt", "timestamptz"],
    ["iccid", "text"],
    ["esimState", "text"],
    ["esimStateAt", "timestamptz"],
    ["lastEventType", "text"],
    ["lastEventAt", "timestamptz"],
  ],
  mergeRule: `("externalUserId") DO UPDATE SET
        "firstSeenAt" = LEAST(t."firstSeenAt", EXCLUDED."firstSeenAt"),
        "lastSeenAt" = GREATEST(t."lastSeenAt", EXCLUDED."lastSeenAt"),
        "iccid" = CASE WHEN EXCLUDED."esimStateAt" IS NOT NULL AND (t."esimStateAt" IS NULL
            OR (EXCLUDED."esimStateAt", EXCLUDED."esimState", EXCLUDED."iccid") > (t."esimStateAt", t."esimState", COALESCE(t."iccid", '')))
          THEN EXCLUDED."iccid" ELSE COALESCE(t."iccid", EXCLUDED."iccid") END,
        "esimState" = CASE WHEN EXCLUDED."esimStateAt" IS NOT NULL AND (t."esimStateAt" IS NULL
            OR (EXCLUDED."esimStateAt", EXCLUDED."esimState", EXCLUDED."iccid") > (t."esimStateAt", t."esimState", COALESCE(t."iccid", '')))
          THEN EXCLUDED."esimState" ELSE t."esimState" END,
        "esimStateAt" = GREATEST(t."esimStateAt", EXCLUDED."esimStateAt"),
        "lastEventType" = CASE WHEN t."lastEventAt" IS NULL
            OR (EXCLUDED."lastEventAt", EXCLUDED."lastEventType") > (t."lastEventAt", t."lastEventType")
          THEN EXCLUDED."lastEventType" ELSE t."lastEventType" END,
        "lastEventAt" = GREATEST(t."lastEventAt", EXCLUDED."lastEventAt")`,
} as const satisfies Upsert;

const travelerBooking = {
  table: "TravelerBooking",
  alias: "b",
  columns: [
    ["bookingId", "text"],
    ["externalUserId", "text"],
    ["departureDate", "text"],
    ["withinCutoffAt", "timestamptz"],
    ["withinCutoffEsimInstalled", "boolean"],
    ["aboutToDepartAt", "timestamptz"],
    ["aboutToDepartEsimInstalled", "boolean"],
    ["firstSeenAt", "timestamptz"],
    ["lastSeenAt", "timestamptz"],
    ["departsAt", "timestamptz"],
  ],
  mergeRule: `("bookingId", "externalUserId") DO UPDATE SET
        -- departsAt is a function of departureDate, so it follows whichever text wins.
        "departsAt" = CASE WHEN EXCLUDED."departureDate" IS NOT NULL
            AND (b."departureDate" IS NULL OR EXCLUDED."departureDate" > b."departureDate")
          THEN EXCLUDED."departsAt" ELSE b."departsAt" END,
        "departureDate" = GREATEST(b."departureDate", EXCLUDED."departureDate"),
        "withinCutoffEsimInstalled" = CASE
          WHEN EXCLUDED."withinCutoffAt" IS NULL THEN b."withinCutoffEsimInstalled"
          WHEN b."withinCutoffAt" IS NULL OR EXCLUDED."withinCutoffAt" > b."withinCutoffAt" THEN EXCLUDED."withinCutoffEsimInstalled"
          WHEN EXCLUDED."withinCutoffAt" = b."withinCutoffAt" THEN (b."withinCutoffEsimInstalled" OR EXCLUDED."withinCutoffEsimInstalled")
          ELSE b."withinCutoffEsimInstalled" END,
        "withinCutoffAt" = GREATEST(b."withinCutoffAt", EXCLUDED."withinCutoffAt"),
        "aboutToDepartEsimInstalled" = CASE
          WHEN EXCLUDED."aboutToDepartAt" IS NULL THEN b."aboutToDepartEsimInstalled"
          WHEN b."aboutToDepartAt" IS NULL OR EXCLUDED."aboutToDepartAt" > b."aboutToDepartAt" THEN EXCLUDED."aboutToDepartEsimInstalled"
          WHEN EXCLUDED."aboutToDepartAt" = b."aboutToDepartAt" THEN (b."aboutToDepartEsimInstalled" OR EXCLUDED."aboutToDepartEsimInstalled")
          ELSE b."aboutToDepartEsimInstalled" END,
        "aboutToDepartAt" = GREATEST(b."aboutToDepartAt", EXCLUDED."aboutToDepartAt"),
        "firstSeenAt" = LEAST(b."firstSeenAt", EXCLUDED."firstSeenAt"),
        "lastSeenAt" = GREATEST(b."lastSeenAt", EXCLUDED."lastSeenAt")`,
} as const satisfies Upsert;

/** The usage reading with the higher (percent, used bytes, fewer remaining bytes) wins; ties keep what is there. */
const newerUsage = `(EXCLUDED."usagePercent", COALESCE(EXCLUDED."usedBytes", -1), -COALESCE(EXCLUDED."remainingBytes", -1))
  > (p."usagePercent", COALESCE(p."usedBytes", -1), -COALESCE(p."remainingBytes", -1))`;

const travelerPackage = {
  table: "TravelerPackage",
  alias: "p",
  columns: [
    ["packageId", "text"],
    ["externalUserId", "text"],
    ["bookingId", "text"],
    ["destination", "text"],
    ["size", "text"],
    ["packageType", "text"],
    ["activatedAt", "timestamptz"],
    ["expiresAt", "timestamptz"],
    ["usagePercent", "int"],
    ["usedBytes", "bigint"],
    ["remainingBytes", "bigint"],
    ["durationDays", "int"],
    ["elapsedDays", "int"],
    ["remainingDays", "int"],
    ["lastUsageAt", "timestamptz"],
    ["firstSeenAt", "timestamptz"],
    ["lastSeenAt", "timestamptz"],
  ],
  mergeRule: `("packageId") DO UPDATE SET
        "externalUserId" = GREATEST(p."externalUserId", EXCLUDED."externalUserId"),
        "bookingId" = GREATEST(p."bookingId", EXCLUDED."bookingId"),
        "destination" = GREATEST(p."destination", EXCLUDED."destination"),
        "size" = GREATEST(p."size", EXCLUDED."size"),
        "packageType" = GREATEST(p."packageType", EXCLUDED."packageType"),
        "activatedAt" = GREATEST(p."activatedAt", EXCLUDED."activatedAt"),
        "expiresAt" = GREATEST(p."expiresAt", EXCLUDED."expiresAt"),
        "durationDays" = GREATEST(p."durationDays", EXCLUDED."durationDays"),
        "usagePercent" = GREATEST(p."usagePercent", EXCLUDED."usagePercent"),
        "usedBytes" = CASE WHEN EXCLUDED."usagePercent" > 0 AND ${newerUsage} THEN EXCLUDED."usedBytes" ELSE p."usedBytes" END,
        "remainingBytes" = CASE WHEN EXCLUDED."usagePercent" > 0 AND ${newerUsage} THEN EXCLUDED."remainingBytes" ELSE p."remainingBytes" END,
        "elapsedDays" = GREATEST(p."elapsedDays", EXCLUDED."elapsedDays"),
        "remainingDays" = LEAST(p."remainingDays", EXCLUDED."remainingDays"),
        "lastUsageAt" = GREATEST(p."lastUsageAt", EXCLUDED."lastUsageAt"),
        "firstSeenAt" = LEAST(p."firstSeenAt", EXCLUDED."firstSeenAt"),
        "lastSeenAt" = GREATEST(p."lastSeenAt", EXCLUDED."lastSeenAt")`,
} as const satisfies Upsert;

const usageSample = {
  table: "UsageSample",
  alias: "s",
  columns: [
    ["packageId", "text"],
    ["percent", "int"],
    ["at", "timestamptz"],
    ["externalUserId", "text"],
    ["usedBytes", "bigint"],
    ["remainingBytes", "bigint"],
  ],
  mergeRule: `("packageId", "percent") DO UPDATE SET
          "at" = LEAST(s."at", EXCLUDED."at"),
          "externalUserId" = GREATEST(s."externalUserId", EXCLUDED."externalUserId"),
          "usedBytes" = GREATEST(s."usedBytes", EXCLUDED."usedBytes"),
          "remainingBytes" = LEAST(s."remainingBytes", EXCLUDED."remainingBytes")`,
} as const satisfies Upsert;

const promoRedemption = {
  table: "PromoRedemption",
  alias: "r",
  columns: [
    ["promoCode", "text"],
    ["bookingId", "text"],
    ["redeemedAt", "text"],
  ],
  mergeRule: `("promoCode", "bookingId") DO UPDATE SET "redeemedAt" = LEAST(r."redeemedAt", EXCLUDED."redeemedAt")`,
} as const satisfies Upsert;

/**
 * The code itself, marked redeemed: a code the console issued gains its redemption; one it did not issue is kept as
 * "issued outside the console" (intentId null) and claimed by its booking if that is stored later
 * (lib/promo-codes/store.ts). The earliest redemption wins; an outside code enters the list at it.
 */
const promoCode = {
  table: "PromoCode",
  alias: "c",
  columns: [
    ["code", "text"],
    ["redeemedAt", "timestamptz"],
    ["redemptionBookingId", "text"],
    ["firstSeenAt", "timestamptz"],
  ],
  mergeRule: `("code") DO UPDATE SET
        "redemptionBookingId" = CASE WHEN c."redeemedAt" IS NULL
            OR (EXCLUDED."redeemedAt", EXCLUDED."redemptionBookingId") < (c."redeemedAt", c."redemptionBookingId")
          THEN EXCLUDED."redemptionBookingId" ELSE c."redemptionBookingId" END,
        "redeemedAt" = LEAST(c."redeemedAt", EXCLUDED."redeemedAt"),
        "firstSeenAt" = CASE WHEN c."intentId" IS NULL THEN LEAST(c."firstSeenAt", EXCLUDED."firstSeenAt")
          ELSE c."firstSeenAt" END`,
} as const satisfies Upsert;

/** The upserts an event's facts call for, with their values. */
function projectionRows(facts: Facts): UpsertRow[] {
  const rows: UpsertRow[] = [];
  const at = facts.at;
  if (facts.externalUserId) {
    rows.push(
      upsertRow(traveler, {
        externalUserId: facts.externalUserId,
        firstSeenAt: at,
        lastSeenAt: at,
        iccid: facts.esim?.iccid ?? null,
        esimState: facts.esim?.state ?? null,
        esimStateAt: facts.esim ? at : null,
        lastEventType: facts.eventType,
        lastEventAt: at,
      }),
    );
  }

  if (facts.externalUserId && facts.bookingId) {
    const b = facts.booking;
    rows.push(
      upsertRow(travelerBooking, {
        bookingId: facts.bookingId,
        externalUserId: facts.externalUserId,
        departureDate: b?.departureDate ?? null,
        withinCutoffAt: b?.withinCutoff ? at : null,
        withinCutoffEsimInstalled: b?.withinCutoff?.esimInstalled ?? null,
        aboutToDepartAt: b?.aboutToDepart ? at : null,
        aboutToDepartEsimInstalled: b?.aboutToDepart?.esimInstalled ?? null,
        firstSeenAt: at,
        lastSeenAt: at,
        departsAt: b?.departsAt ?? null,
      }),
    );
  }

  if (facts.pkg && facts.packageId && facts.externalUserId) {
    const p = facts.pkg;
    const u = p.usage;
    rows.push(
      upsertRow(travelerPackage, {
        packageId: facts.packageId,
        externalUserId: facts.externalUserId,
        bookingId: facts.bookingId,
        destination: p.destination,
        size: p.size,
        packageType: p.packageType,
        activatedAt: p.activatedAt,
        expiresAt: p.expiresAt,
        usagePercent: u?.percent ?? 0,
        usedBytes: big(u?.usedBytes),
        remainingBytes: big(u?.remainingBytes),
        durationDays: p.durationDays,
        elapsedDays: u?.elapsedDays ?? null,
        remainingDays: u?.remainingDays ?? null,
        lastUsageAt: u ? at : null,
        firstSeenAt: at,
        lastSeenAt: at,
      }),
    );
    if (u) {
      rows.push(
        upsertRow(usageSample, {
          packageId: facts.packageId,
          percent: u.percent,
          at,
          externalUserId: facts.externalUserId,
          usedBytes: big(u.usedBytes),
          remainingBytes: big(u.remainingBytes),
        }),
      );
    }
  }

  if (facts.promo) {
    rows.push(
      upsertRow(promoRedemption, {
        promoCode: facts.promo.promoCode,
        bookingId: facts.promo.bookingId,
        redeemedAt: facts.promo.redeemedAt,
      }),
      upsertRow(promoCode, {
        code: facts.promo.promoCode,
        redeemedAt: facts.promo.redeemedOn,
        redemptionBookingId: facts.promo.bookingId,
        firstSeenAt: facts.promo.redeemedOn,
      }),
    );
  }
  return rows;
}

/** The projection's statements, each on its own (parameters from $1). */
export function projectionStatements(facts: Facts): Statement[] {
  return projectionRows(facts).map(({ upsert, values }) => ({ text: upsertText(upsert, 0, false), values }));
}

export async function project(run: RunSql, facts: Facts): Promise<void> {
  for (const statement of projectionStatements(facts)) await run(statement.text, statement.values);
}

/**
 * The projection folded into the statement that stores the event: each upsert becomes a data-modifying CTE that
 * runs only if the event row was inserted (not a duplicate). One round trip instead of one per table. `storeEvent`
 * is the CTEs that store the event, the last named `ins` and returning its "id"; the statement answers `returned`
 * from `ins` (its "id" as text unless the caller asks for more).
 */
export function withProjection(
  storeEvent: Statement,
  facts: Facts | undefined,
  returned = `"id"::text AS id`,
): Statement {
  const values = [...storeEvent.values];
  const parts = [storeEvent.text];
  for (const [index, { upsert, values: rowValues }] of (facts ? projectionRows(facts) : []).entries()) {
    parts.push(`p${index} AS (${upsertText(upsert, values.length, true)})`);
    values.push(...rowValues);
  }
  return { text: `WITH ${parts.join(",\n")}\nSELECT ${returned} FROM ins`, values };
}

/** Every upsert, in the order the projection applies them (its tables' lock order). */
const upsertOrder: Upsert[] = [traveler, travelerBooking, travelerPackage, usageSample, promoRedemption, promoCode];

/**
 * The rows an event's projection writes, as keys (table and conflict target values): the intake's group commit
 * (lib/webhooks/intake.ts) keeps events whose keys meet out of one statement, which cannot update a row twice.
 */
export function projectionKeys(facts: Facts): string[] {
  return projectionRows(facts).map(({ upsert, values }) => rowKey(upsert, values));
}

/**
 * Splits items into waves, each written by one statement: an item goes in the first wave that holds none of its
 * keys (one statement cannot update a row twice, and a resend within a batch must meet the committed first
 * delivery). Order within a wave follows the input. Usually one or two waves.
 */
export function inWaves<T>(items: T[], keysOf: (item: T) => string[]): T[][] {
  const result: { items: T[]; keys: Set<string> }[] = [];
  for (const item of items) {
    const keys = keysOf(item);
    let wave = result.find((candidate) => keys.every((key) => !candidate.keys.has(key)));
    if (!wave) result.push((wave = { items: [], keys: new Set() }));
    wave.items.push(item);
    for (const key of keys) wave.keys.add(key);
  }
  return result.map((wave) => wave.items);
}

function rowKey(upsert: Upsert, values: unknown[]): string {
  return JSON.stringify([upsert.table, ...conflictColumns(upsert).map((index) => values[index] ?? null)]);
}

/**
 * The projection of many events folded into one statement with their event rows, for the intake's group commit:
 * one data-modifying CTE per table, a multi-row upsert whose rows come from `unnest` over one text array per column
 * plus the event's key, kept only where `ins` returns that key as "dedupeKey": the event rows the intake inserted, or
 * the pending rows the projector (lib/webhooks/projector.ts) claimed, keyed by event id. Parameters
 * are numbered from `offset + 1`; the text depends only on the tables present and the offset, so the statement
 * stays prepared whatever the batch size. The same declared upserts and merge rules as `project`; no row key may
 * recur among the events (see projectionKeys).
 */
export function projectionCtes(
  events: { dedupeKey: string; facts: Facts }[],
  offset: number,
): { ctes: string[]; values: unknown[] } {
  const byUpsert = new Map<Upsert, { key: string; dedupeKey: string; values: unknown[] }[]>();
  for (const { dedupeKey, facts } of events) {
    for (const { upsert, values } of projectionRows(facts)) {
      let rows = byUpsert.get(upsert);
      if (!rows) byUpsert.set(upsert, (rows = []));
      rows.push({ key: rowKey(upsert, values), dedupeKey, values });
    }
  }
  const ctes: string[] = [];
  const values: unknown[] = [];
  for (const upsert of upsertOrder) {
    const rows = byUpsert.get(upsert);
    if (!rows) continue;
    // Rows by key, so that concurrent statements take their row locks in one order.
    rows.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    if (rows.some((row, index) => index > 0 && rows[index - 1]!.key === row.key)) {
      throw new Error(`A ${upsert.table} row recurs in one statement`);
    }
    ctes.push(`p${ctes.length} AS (${batchUpsertText(upsert, offset + values.length)})`);
    values.push(
      rows.map((row) => row.dedupeKey),
      ...upsert.columns.map((_, column) => rows.map((row) => asText(row.values[column]))),
    );
  }
  return { ctes, values };
}

/** A value as the text its column's cast reads (the drivers send parameters as text too). */
function asText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return value instanceof Date ? value.toISOString() : String(value);
}

const conflictIndexes = new WeakMap<Upsert, number[]>();

/** The columns of the upsert's conflict target, read from the start of its merge rule: `("a", "b") DO UPDATE`. */
function conflictColumns(upsert: Upsert): number[] {
  let indexes = conflictIndexes.get(upsert);
  if (!indexes) {
    const target = /^\(([^)]*)\)/.exec(upsert.mergeRule)?.[1];
    if (!target) throw new Error(`No conflict target in the ${upsert.table} upsert`);
    const names = target.split(",").map((name) => name.trim().replace(/^"|"$/g, ""));
    indexes = names.map((name) => upsert.columns.findIndex(([column]) => column === name));
    if (indexes.some((index) => index < 0)) throw new Error(`Conflict target of ${upsert.table} is not its columns`);
    conflictIndexes.set(upsert, indexes);
  }
  return indexes;
}

const batchTexts = new WeakMap<Upsert, Map<number, string>>();

function batchUpsertText(upsert: Upsert, offset: number): string {
  let byOffset = batchTexts.get(upsert);
  if (!byOffset) batchTexts.set(upsert, (byOffset = new Map()));
  let text = byOffset.get(offset);
  if (text === undefined) {
    const names = upsert.columns.map(([name]) => `"${name}"`).join(", ");
    const select = upsert.columns.map(([, type], index) => `v.c${index}::${type}`).join(", ");
    const arrays = ["k", ...upsert.columns].map((_, index) => `$${offset + index + 1}::text[]`).join(", ");
    const aliases = ["k", ...upsert.columns.map((_, index) => `c${index}`)].join(", ");
    // The rows in the order of the conflict target, by the typed values: the semi-join on `ins` may hand them over
    // in any order, and concurrent statements must lock a table's rows in one order (docs/decisions/0053).
    const order = conflictColumns(upsert)
      .map((index) => String(index + 1))
      .join(", ");
    text =
      `INSERT INTO "${upsert.table}" AS ${upsert.alias} (${names})\nSELECT ${select}\n` +
      `FROM unnest(${arrays}) AS v(${aliases})\nWHERE v.k IN (SELECT "dedupeKey" FROM ins)\n` +
      `ORDER BY ${order}\nON CONFLICT ${upsert.mergeRule}`;
    byOffset.set(offset, text);
  }
  return text;
}
