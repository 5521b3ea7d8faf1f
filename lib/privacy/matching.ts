/**
 * How a traveler's id is found inside stored text (pure; lib/privacy/erasure.ts and export.ts run it in SQL and
 * on bytes). An id is matched as a whole token: not preceded or followed by a character ids are made of, so erasing
 * "anna" leaves "anna_b" and "joanna" alone; a full stop ends a token unless a letter or digit follows ("anna.b" is
 * another id, "… for anna." is this one). Each way the id is written in stored bodies is matched: as is, escaped
 * inside JSON text, and URL-encoded in a path or query.
 */

/** The forms the id takes in stored text, without repeats. */
export function idForms(externalUserId: string): string[] {
  const json = JSON.stringify(externalUserId).slice(1, -1);
  const url = encodeURIComponent(externalUserId);
  const form = new URLSearchParams({ v: externalUserId }).toString().slice(2);
  return [...new Set([externalUserId, json, url, form])].filter((value) => value.length > 0);
}

/** A PostgreSQL (ARE) and JavaScript regular expression source matching `literal` as a whole token. */
export function tokenPattern(literal: string): string {
  const escaped = literal.replace(/[^A-Za-z0-9\u0080-\uffff]/g, (char) => `\\${char}`);
  return `(?<![A-Za-z0-9_@+.-])${escaped}(?![A-Za-z0-9_@+-]|\\.[A-Za-z0-9])`;
}

/** Replaces every whole-token occurrence of every form of the id in `text`. */
export function replaceId(text: string, externalUserId: string, replacement: string): string {
  let result = text;
  for (const literal of idForms(externalUserId)) {
    result = result.replace(new RegExp(tokenPattern(literal), "g"), replacement);
  }
  return result;
}

/** The same on bytes (a body stored as bytes because it was not UTF-8 text): the id's UTF-8 bytes as a token. */
export function replaceIdInBytes(bytes: Uint8Array, externalUserId: string, replacement: string): Buffer {
  // latin1 maps each byte to one character, so the pattern runs on bytes and the result maps back exactly.
  const asLatin1 = Buffer.from(bytes).toString("latin1");
  let result = asLatin1;
  for (const literal of idForms(externalUserId)) {
    const latin1Literal = Buffer.from(literal, "utf8").toString("latin1");
    result = result.replace(new RegExp(tokenPattern(latin1Literal), "g"), replacement);
  }
  return Buffer.from(result, "latin1");
}

export function bytesContainId(bytes: Uint8Array, externalUserId: string): boolean {
  const asLatin1 = Buffer.from(bytes).toString("latin1");
  return idForms(externalUserId).some((literal) =>
    new RegExp(tokenPattern(Buffer.from(literal, "utf8").toString("latin1"))).test(asLatin1),
  );
}

/** JSON keys whose values are a person's details: replaced inside a traveler's stored bodies on erasure. */
const PERSONAL_KEYS =
  /^(e[-_]?mail|email_address|phone|phone_number|mobile|first_?name|last_?name|full_?name|name|surname|address|date_?of_?birth|birth_?date)$/i;

export const ERASED_VALUE = "erased";

/**
 * A copy of a JSON value with every personal key's string value replaced; `values` lists what was replaced, so the
 * same values can be replaced where the body is also kept as text or bytes.
 */
export function scrubPersonalFields(value: unknown): { value: unknown; values: string[] } {
  const values: string[] = [];
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (node && typeof node === "object") {
      return Object.fromEntries(
        Object.entries(node as Record<string, unknown>).map(([key, inner]) => {
          if (PERSONAL_KEYS.test(key) && typeof inner === "string" && inner !== "" && inner !== ERASED_VALUE) {
            values.push(inner);
            return [key, ERASED_VALUE];
          }
          return [key, walk(inner)];
        }),
      );
    }
    return node;
  };
  const result = walk(value);
  return { value: result, values };
}

/** Replaces each value (as written inside JSON text) in a stored body kept as text or bytes; short values are kept. */
export function replaceValues(text: string, values: readonly string[]): string {
  let result = text;
  for (const value of values) {
    if (value.length < 3) continue;
    result = result.split(JSON.stringify(value).slice(1, -1)).join(ERASED_VALUE);
  }
  return result;
}

export function replaceValuesInBytes(bytes: Buffer, values: readonly string[]): Buffer {
  let latin1 = bytes.toString("latin1");
  for (const value of values) {
    if (value.length < 3) continue;
    const literal = Buffer.from(JSON.stringify(value).slice(1, -1), "utf8").toString("latin1");
    latin1 = latin1.split(literal).join(ERASED_VALUE);
  }
  return Buffer.from(latin1, "latin1");
}
