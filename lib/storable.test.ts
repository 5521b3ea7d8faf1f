import { describe, expect, it } from "vitest";
import { isStorableDate, MAX_JSON_DEPTH, storableText, unstorableJsonReason, unstorableTextReason } from "./storable";

describe("what PostgreSQL stores as it is", () => {
  it("takes dates in the years 0001–9999 only (JavaScript writes others in a form PostgreSQL does not read)", () => {
    expect(isStorableDate(new Date("0001-01-01T00:00:00.000Z"))).toBe(true);
    expect(isStorableDate(new Date("9999-12-31T23:59:59.999Z"))).toBe(true);
    expect(isStorableDate(new Date("0000-12-31T23:59:59.999Z"))).toBe(false);
    expect(isStorableDate(new Date("+010000-01-01T00:00:00.000Z"))).toBe(false);
    expect(isStorableDate(new Date(Date.parse("-005000-01-01T00:00:00Z")))).toBe(false);
  });

  it("names U+0000 and lone surrogates, and not surrogate pairs", () => {
    expect(unstorableTextReason("a\u0000b")).toBe("U+0000");
    expect(unstorableTextReason("x\ud800")).toMatch(/surrogate/);
    expect(unstorableTextReason("\udc00x")).toMatch(/surrogate/);
    expect(unstorableTextReason("\udc00\ud800")).toMatch(/surrogate/);
    expect(unstorableTextReason("😀 \u2028 plain")).toBeNull();
  });

  it("makes text storable, and cuts it without leaving half a surrogate pair", () => {
    expect(storableText("a\u0000b\ud800c")).toBe("a\uFFFDb\uFFFDc");
    expect(storableText("ab😀", 3)).toBe("ab");
    expect(storableText("plain", 3)).toBe("pla");
  });

  it("finds what jsonb refuses anywhere in a value, even 20,000 levels deep, without recursing", () => {
    expect(unstorableJsonReason({ a: [{ b: "ok" }], c: 1 })).toBeNull();
    expect(unstorableJsonReason({ a: [{ b: "no\u0000" }] })).toMatch(/U\+0000 in a string/);
    expect(unstorableJsonReason({ a: { "k\ud800": 1 } })).toMatch(/surrogate in a key/);
    const nest = (depth: number) => JSON.parse(`${"[".repeat(depth)}${"]".repeat(depth)}`) as unknown;
    expect(unstorableJsonReason(nest(MAX_JSON_DEPTH))).toBeNull();
    expect(unstorableJsonReason(nest(MAX_JSON_DEPTH + 1))).toMatch(/deeper than/);
    expect(unstorableJsonReason(nest(20_000))).toMatch(/deeper than/);
  });
});
