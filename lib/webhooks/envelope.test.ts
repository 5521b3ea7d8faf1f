import { describe, expect, it } from "vitest";
import { dedupeKeyFor, parseWebhookBytes } from "./envelope";

describe("parsing the bytes of a delivery", () => {
  it("quarantines bytes that are not UTF-8 text before reading them as JSON", () => {
    const notUtf8 = parseWebhookBytes(Buffer.from([0x7b, 0xed, 0xa0, 0x80, 0x7d]), null);
    expect(notUtf8).toMatchObject({ ok: false, error: expect.stringMatching(/not valid UTF-8/) });
    const nul = parseWebhookBytes(Buffer.from('{"event":"x"}\u0000'), null);
    expect(nul).toMatchObject({ ok: false, error: expect.stringMatching(/NUL bytes/) });
    const escaped = parseWebhookBytes(Buffer.from('{"event":"esim.installed","data":{"a":"\\u0000"}}'), null);
    expect(escaped).toMatchObject({ ok: false, payload: null, error: expect.stringMatching(/U\+0000/) });
  });
});

describe("dedupe keys", () => {
  it("keep short ids as they are, and hash long or unstorable ids the same way every time", () => {
    expect(dedupeKeyFor("evt_1", "body")).toBe("id:evt_1");
    const long = "e".repeat(3_000);
    expect(dedupeKeyFor(long, "one body")).toBe(dedupeKeyFor(long, "another body"));
    expect(dedupeKeyFor(long, "body")).toMatch(/^id-sha256:[0-9a-f]{64}$/);
    expect(dedupeKeyFor(`${long}x`, "body")).not.toBe(dedupeKeyFor(long, "body"));
    // Two lone surrogates would both become U+FFFD in a text column; hashed, they stay apart.
    expect(dedupeKeyFor("a\ud800", "b")).not.toBe(dedupeKeyFor("a\ud801", "b"));
    expect(dedupeKeyFor(null, "body")).toMatch(/^sha256:/);
  });
});
