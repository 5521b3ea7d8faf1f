import "server-only";
import crypto from "node:crypto";
import { PassThrough, Readable, Transform, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip, createGzip } from "node:zlib";
import { getDatabase } from "../db";
import type { ArchiveStore } from "./archive-store";
import { addMonths } from "./periods";

/**
 * A month of webhook events as gzipped NDJSON: one JSON object per line with every column of the row, read page
 * by page (keyset on id) and streamed through gzip to the store, so memory holds one page at a time. Byte columns
 * are base64 (the exact bytes of a body that was not UTF-8 text); everything else is PostgreSQL's own JSON of the
 * row. Reading back hashes the stored bytes and counts the lines.
 */

/** Rows per read; with one page buffered ahead of gzip, memory holds about two pages whatever the month's size. */
const PAGE_ROWS = 1_000;

export type ArchiveDigest = { rows: number; bytes: number; sha256: string };

/** Counts and hashes the bytes passing through. */
function digestTap() {
  const hash = crypto.createHash("sha256");
  let bytes = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  return { stream, result: () => ({ bytes, sha256: hash.digest("hex") }) };
}

/**
 * The SQL for one NDJSON line: the row as JSON, its bytea columns (read from the catalog) as base64, and its `json`
 * columns (the body, kept verbatim: docs/decisions/0063) as their exact text, which to_jsonb would reformat.
 */
async function rowJsonExpression(): Promise<string> {
  const columns = await getDatabase().sql.query<{ name: string; type: string }>(
    `SELECT column_name AS name, data_type AS type FROM information_schema.columns
      WHERE table_schema = current_schema() AND table_name = 'WebhookEvent' AND data_type IN ('bytea', 'json')
      ORDER BY ordinal_position`,
  );
  const bytes = columns.map(({ name, type }) => {
    const ident = `"${name.replace(/"/g, '""')}"`;
    const value = type === "json" ? `e.${ident}::text` : `encode(e.${ident}, 'base64')`;
    return `'${name.replace(/'/g, "''")}', ${value}`;
  });
  return bytes.length === 0 ? `to_jsonb(e)::text` : `(to_jsonb(e) || jsonb_build_object(${bytes.join(", ")}))::text`;
}

async function* monthLines(monthStart: Date, counter: { rows: number }): AsyncGenerator<string> {
  const expression = await rowJsonExpression();
  const { sql } = getDatabase();
  const monthEnd = addMonths(monthStart, 1);
  let after = "0";
  for (;;) {
    const page = await sql.query<{ id: string; line: string }>(
      `SELECT e.id::text AS id, ${expression} AS line FROM "WebhookEvent" e
        WHERE e."receivedAt" >= $1 AND e."receivedAt" < $2 AND e.id > $3::bigint
        ORDER BY e.id LIMIT ${PAGE_ROWS}`,
      [monthStart, monthEnd, after],
    );
    if (page.length === 0) return;
    counter.rows += page.length;
    yield page.map((row) => `${row.line}\n`).join("");
    after = page.at(-1)!.id;
    if (page.length < PAGE_ROWS) return;
  }
}

/** Writes the month's events to the store under `name`; answers what was written. */
export async function writeWebhookMonthArchive(
  store: ArchiveStore,
  name: string,
  monthStart: Date,
): Promise<ArchiveDigest> {
  const counter = { rows: 0 };
  const tap = digestTap();
  const out = new PassThrough();
  const produced = pipeline(
    // One page (a string of many lines) waiting at most: Readable.from would otherwise read 16 pages ahead.
    Readable.from(monthLines(monthStart, counter), { highWaterMark: 1 }),
    createGzip(),
    tap.stream,
    out,
  );
  const written = store.write(name, out).catch((error: unknown) => {
    // The store gave up: stop reading the database too.
    out.destroy(error instanceof Error ? error : new Error(String(error)));
    throw error;
  });
  const [production, writing] = await Promise.allSettled([produced, written]);
  if (writing.status === "rejected") throw writing.reason;
  if (production.status === "rejected") throw production.reason;
  return { rows: counter.rows, ...tap.result() };
}

/** Reads an archive back from the store: its bytes hashed, its lines counted after gunzip. */
export async function readBackArchive(store: ArchiveStore, name: string): Promise<ArchiveDigest> {
  const tap = digestTap();
  let rows = 0;
  let last = 0x0a;
  const lines = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const byte of chunk) if (byte === 0x0a) rows++;
      if (chunk.length > 0) last = chunk[chunk.length - 1]!;
      done();
    },
  });
  await pipeline(await store.read(name), tap.stream, createGunzip(), lines);
  if (last !== 0x0a) throw new Error(`The archive ${name} ends inside a line: it is incomplete.`);
  return { rows, ...tap.result() };
}
