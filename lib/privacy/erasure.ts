import "server-only";
import crypto from "node:crypto";
import { getDatabase, type SqlRunner } from "../db";
import { getEnv } from "../env";
import { ActionError } from "../errors";
import { flushApiLog } from "../hubby/api-log";
import { asText, personalDataColumns, quoteIdent, type TableColumns } from "./catalog";
import {
  idForms,
  replaceIdInBytes,
  replaceValues,
  replaceValuesInBytes,
  scrubPersonalFields,
  tokenPattern,
} from "./matching";
import { isPseudonym, pseudonymFor } from "./pseudonym";

/**
 * Erasure (docs/decisions/0062): in one transaction, every form of the traveler's external_user_id (and of their
 * eSIM's ICCID) in every text, JSON, text-array and bytea column of every table is replaced by a pseudonym, and
 * personal keys (email, name, phone…) inside the bodies that mention the traveler are replaced by "erased". Rows stay,
 * so counts and projections keep their totals; the traveler remains as a pseudonymous row. A legal hold refuses it.
 */

export type ErasureTrigger = "staff" | "retention" | "late_event";

export type ErasureOutcome = {
  pseudonym: string;
  /** Rows rewritten per table. */
  rewritten: Record<string, number>;
  /** Nothing carried the id and it was erased before: a second erasure changes nothing. */
  alreadyErased: boolean;
};

export class LegalHoldError extends ActionError {
  constructor(reason: string) {
    super(
      `This traveler is under a legal hold (“${reason}”): their personal data cannot be erased until it is cleared.`,
    );
    this.name = "LegalHoldError";
  }
}

/** One identifier to replace and what replaces it. */
type Identifier = { value: string; replacement: string };
type Form = { literal: string; pattern: string; replacement: string };

function formsOf(identifiers: Identifier[]): Form[] {
  return identifiers.flatMap((identifier) =>
    idForms(identifier.value).map((literal) => ({
      literal,
      pattern: tokenPattern(literal),
      replacement: identifier.replacement,
    })),
  );
}

/** SQL pieces over forms bound as $1.. (literal, pattern, replacement for each form, in order). */
export function formParams(forms: Form[]): unknown[] {
  return forms.flatMap((form) => [form.literal, form.pattern, form.replacement]);
}

/** True when the text expression holds any form as a token (a cheap strpos first, then the token pattern). */
export function matchCondition(expression: string, forms: Form[], stride = 3): string {
  return forms
    .map((_, i) => `(strpos(${expression}, $${stride * i + 1}) > 0 AND ${expression} ~ $${stride * i + 2})`)
    .join(" OR ");
}

function replaced(expression: string, forms: Form[]): string {
  return forms.reduce((inner, _, i) => `regexp_replace(${inner}, $${3 * i + 2}, $${3 * i + 3}, 'g')`, expression);
}

function assignment(column: TableColumns["columns"][number], forms: Form[]): string {
  const name = quoteIdent(column.name);
  const condition = matchCondition(asText(column), forms);
  const value =
    column.kind === "json" || column.kind === "jsonb"
      ? `(${replaced(`${name}::text`, forms)})::${column.kind}`
      : column.kind === "array"
        ? `ARRAY(SELECT ${replaced("u.e", forms)} FROM unnest(${name}) WITH ORDINALITY AS u(e, o) ORDER BY u.o)`
        : replaced(name, forms);
  return `${name} = CASE WHEN ${condition} THEN ${value} ELSE ${name} END`;
}

/** The pseudonym of an ICCID: kept apart from traveler pseudonyms so the two are never confused. */
function iccidPseudonym(iccid: string): string {
  const secret = getEnv().NEXTAUTH_SECRET ?? "hubby-console-development-pseudonym-key";
  return `erased-iccid-${crypto.createHmac("sha256", secret).update(`iccid:${iccid}`).digest("hex").slice(0, 16)}`;
}

/** Serialises erasure and legal-hold changes of one traveler (both take it inside their transaction). */
export async function lockTraveler(sql: SqlRunner, externalUserId: string): Promise<void> {
  await sql.query(`SELECT pg_advisory_xact_lock(hashtext($1)) AS locked`, [`privacy:${externalUserId}`]);
}

export async function eraseTraveler(
  externalUserId: string,
  by: { trigger: ErasureTrigger; actor?: { id: string; email: string } | null },
): Promise<ErasureOutcome> {
  if (isPseudonym(externalUserId)) {
    throw new ActionError("This traveler was already erased: the id shown is their pseudonym.");
  }
  // API log rows are written in the background in batches: the ones already taken must land before the sweep.
  await flushApiLog();
  const pseudonym = pseudonymFor(externalUserId);
  return getDatabase().transaction(async (sql) => {
    await lockTraveler(sql, externalUserId);
    const [hold] = await sql.query<{ reason: string }>(
      `SELECT reason FROM "TravelerLegalHold" WHERE "externalUserId" = $1`,
      [externalUserId],
    );
    if (hold) throw new LegalHoldError(hold.reason);
    const [tombstone] = await sql.query<{ pseudonym: string }>(
      `SELECT pseudonym FROM "ErasedTraveler" WHERE pseudonym = $1`,
      [pseudonym],
    );

    const identifiers: Identifier[] = [{ value: externalUserId, replacement: pseudonym }];
    const [traveler] = await sql.query<{ iccid: string | null }>(
      `SELECT iccid FROM "Traveler" WHERE "externalUserId" = $1`,
      [externalUserId],
    );
    if (traveler?.iccid) identifiers.push({ value: traveler.iccid, replacement: iccidPseudonym(traveler.iccid) });

    // The traveler's events answered under a burst whose projection is not written yet (decision 0071): the
    // projector holds their facts, the real id among them, and would write them after this erasure. Without their
    // pending rows it writes nothing for them; the events stay, pseudonymised below, and can be replayed.
    await sql.query(
      `DELETE FROM "WebhookProjectionPending" p USING "WebhookEvent" e
        WHERE e."id" = p."eventId" AND e."receivedAt" = p."receivedAt" AND e."externalUserId" = $1`,
      [externalUserId],
    );
    // The traveler's events still in the forwarding outbox (docs/decisions/0079): locked until this commits, so a
    // fan-out skips them and makes their messages from the rewritten rows afterwards, and one already making them
    // commits first, its messages rewritten below. Without it, a fan-out reading the rows before this commits could
    // write the real id into a message's ordering key after ForwardMessage was rewritten.
    await sql.query(
      `SELECT 1 FROM "WebhookForwardPending" p JOIN "WebhookEvent" e
         ON e."id" = p."eventId" AND e."receivedAt" = p."receivedAt"
        WHERE e."externalUserId" = $1 FOR UPDATE OF p`,
      [externalUserId],
    );
    await mergeIntoPseudonym(sql, externalUserId, pseudonym);
    const forms = formsOf(identifiers);
    const rewritten: Record<string, number> = {};
    const count = (table: string, rows: number) => {
      if (rows > 0) rewritten[table] = (rewritten[table] ?? 0) + rows;
    };
    const tables = await personalDataColumns(sql);
    for (const table of tables) {
      const columns = table.columns.filter((column) => column.kind !== "bytea");
      if (columns.length > 0) {
        const rows = await sql.query(
          `UPDATE ${quoteIdent(table.table)} SET ${columns.map((column) => assignment(column, forms)).join(", ")}
            WHERE ${columns.map((column) => matchCondition(asText(column), forms)).join(" OR ")}
            RETURNING 1 AS one`,
          formParams(forms),
        );
        count(table.table, rows.length);
      }
      for (const column of table.columns.filter((candidate) => candidate.kind === "bytea")) {
        count(table.table, await rewriteBytes(sql, table.table, column.name, identifiers));
      }
    }
    await scrubBodies(sql, tables, pseudonym);

    const total = Object.values(rewritten).reduce((sum, rows) => sum + rows, 0);
    if (!tombstone) {
      await sql.query(
        `INSERT INTO "ErasedTraveler" (pseudonym, trigger, rewritten, "actorId", "actorEmail") VALUES ($1, $2, $3::jsonb, $4, $5)`,
        [pseudonym, by.trigger, JSON.stringify(rewritten), by.actor?.id ?? null, by.actor?.email ?? null],
      );
    }
    return { pseudonym, rewritten, alreadyErased: Boolean(tombstone) && total === 0 };
  });
}

/**
 * A traveler erased before whose id came back (a late event made a new row): the rows keyed by the id would collide
 * with the pseudonym's. The pseudonymous traveler row gives way (its first-seen time is kept), booking links that
 * exist under both are kept once.
 */
async function mergeIntoPseudonym(sql: SqlRunner, externalUserId: string, pseudonym: string): Promise<void> {
  await sql.query(
    `UPDATE "Traveler" t SET "firstSeenAt" = LEAST(t."firstSeenAt", p."firstSeenAt")
       FROM "Traveler" p WHERE t."externalUserId" = $1 AND p."externalUserId" = $2`,
    [externalUserId, pseudonym],
  );
  await sql.query(
    `DELETE FROM "Traveler" p WHERE p."externalUserId" = $2
        AND EXISTS (SELECT 1 FROM "Traveler" t WHERE t."externalUserId" = $1)`,
    [externalUserId, pseudonym],
  );
  await sql.query(
    `DELETE FROM "TravelerBooking" p WHERE p."externalUserId" = $2
        AND EXISTS (SELECT 1 FROM "TravelerBooking" t WHERE t."externalUserId" = $1 AND t."bookingId" = p."bookingId")`,
    [externalUserId, pseudonym],
  );
  await sql.query(
    `DELETE FROM "ReconciliationTarget" p WHERE p."externalUserId" = $2
        AND EXISTS (SELECT 1 FROM "ReconciliationTarget" t WHERE t."externalUserId" = $1 AND t."runId" = p."runId")`,
    [externalUserId, pseudonym],
  );
}

/**
 * A row's place, to rewrite exactly the row read: its ctid, and its table's oid, as a partitioned table's
 * partitions (WebhookEvent's months) each number their rows from the start.
 */
const ROW_ID = `tableoid::oid::text || ':' || ctid::text`;
const ROW_IS = (param: number) =>
  `tableoid = split_part($${param}, ':', 1)::oid AND ctid = split_part($${param}, ':', 2)::tid`;

/** Bytes (a body that was not UTF-8 text): found by position, rewritten here row by row (they are few). */
async function rewriteBytes(sql: SqlRunner, table: string, column: string, identifiers: Identifier[]) {
  const col = quoteIdent(column);
  const literals = identifiers.flatMap((identifier) =>
    idForms(identifier.value).map((form) => Buffer.from(form, "utf8").toString("hex")),
  );
  const rows = await sql.query<{ row: string; value: string }>(
    `SELECT ${ROW_ID} AS row, encode(${col}, 'hex') AS value FROM ${quoteIdent(table)}
      WHERE ${literals.map((_, i) => `position(decode($${i + 1}, 'hex') IN ${col}) > 0`).join(" OR ")}`,
    literals,
  );
  let changed = 0;
  for (const row of rows) {
    const original = Buffer.from(row.value, "hex");
    let bytes: Buffer = original;
    for (const identifier of identifiers) bytes = replaceIdInBytes(bytes, identifier.value, identifier.replacement);
    if (bytes.equals(original)) continue;
    await sql.query(`UPDATE ${quoteIdent(table)} SET ${col} = decode($1, 'hex') WHERE ${ROW_IS(2)}`, [
      bytes.toString("hex"),
      row.row,
    ]);
    changed++;
  }
  return changed;
}

/**
 * Personal keys (email, name, phone…) inside the JSON bodies that now carry the pseudonym: booking payloads with an
 * email, a campaign row's uploaded values, a webhook's payload. The values found are replaced too where the same row
 * keeps the body as text or bytes (a webhook's raw body and exact bytes; their signature no longer matters once
 * stored).
 */
async function scrubBodies(sql: SqlRunner, tables: TableColumns[], pseudonym: string): Promise<void> {
  for (const table of tables) {
    const json = table.columns.filter((column) => column.kind === "json" || column.kind === "jsonb");
    if (json.length === 0) continue;
    const text = table.columns.filter((column) => column.kind === "text");
    const bytes = table.columns.filter((column) => column.kind === "bytea");
    const selected = [
      ...json.map((column) => `${asText(column)} AS ${quoteIdent(column.name)}`),
      ...text.map((column) => quoteIdent(column.name)),
      ...bytes.map((column) => `encode(${quoteIdent(column.name)}, 'hex') AS ${quoteIdent(column.name)}`),
    ];
    const rows = await sql.query<Record<string, string | null>>(
      `SELECT ${ROW_ID} AS "__row", ${selected.join(", ")} FROM ${quoteIdent(table.table)}
        WHERE ${json.map((column) => `strpos(${asText(column)}, $1) > 0`).join(" OR ")}`,
      [pseudonym],
    );
    for (const row of rows) {
      const values: string[] = [];
      const updates: { sql: string; value: string }[] = [];
      for (const column of json) {
        const value = row[column.name];
        if (typeof value !== "string") continue;
        const scrubbed = scrubPersonalFields(JSON.parse(value));
        if (scrubbed.values.length === 0) continue;
        values.push(...scrubbed.values);
        updates.push({
          sql: `${quoteIdent(column.name)} = $${updates.length + 2}::${column.kind}`,
          value: JSON.stringify(scrubbed.value),
        });
      }
      if (values.length === 0) continue;
      for (const column of text) {
        const value = row[column.name];
        if (typeof value !== "string") continue;
        const replaced = replaceValues(value, values);
        if (replaced !== value)
          updates.push({ sql: `${quoteIdent(column.name)} = $${updates.length + 2}`, value: replaced });
      }
      for (const column of bytes) {
        const value = row[column.name];
        if (typeof value !== "string") continue;
        const replaced = replaceValuesInBytes(Buffer.from(value, "hex"), values).toString("hex");
        if (replaced !== value) {
          updates.push({ sql: `${quoteIdent(column.name)} = decode($${updates.length + 2}, 'hex')`, value: replaced });
        }
      }
      await sql.query(
        `UPDATE ${quoteIdent(table.table)} SET ${updates.map((update) => update.sql).join(", ")} WHERE ${ROW_IS(1)}`,
        [row.__row, ...updates.map((update) => update.value)],
      );
    }
  }
}
