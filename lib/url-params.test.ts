import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  calendarDate,
  decodePercentEncoding,
  hrefWith,
  isFiltered,
  parseRouteParams,
  parseSearchParams,
  searchParamsRecord,
  urlText,
} from "./url-params";

const schema = z.object({
  q: urlText(20).catch(""),
  from: calendarDate.optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100).catch(1),
  sort: z.enum(["name", "-name"]).catch("name"),
});

describe("calendarDate", () => {
  it.each(["2026-01-31", "2024-02-29", "2026-12-31", "0001-01-01", "9999-12-30"])("reads %s", (value) => {
    expect(calendarDate.safeParse(value).success).toBe(true);
  });

  it.each([
    "2026-13-45",
    "2026-02-30",
    "2025-02-29",
    "2026-04-31",
    "2026-00-10",
    "2026-01-00",
    "2026-1-5",
    "26-01-05",
    "0000-01-01",
    "9999-12-31",
  ])("refuses %s", (value) => {
    expect(calendarDate.safeParse(value).success).toBe(false);
  });

  it.each(["2026-01-05T00:00:00Z", " 2026-01-05", "2026-01-05\u0000", "２０２６-01-05", ""])("refuses %j", (value) => {
    expect(calendarDate.safeParse(value).success).toBe(false);
  });
});

describe("parseSearchParams", () => {
  it("reads valid values and ignores nothing", () => {
    expect(parseSearchParams(schema, { q: "abc", from: "2026-01-05", page: "3", sort: "-name" })).toEqual({
      values: { q: "abc", from: "2026-01-05", page: 3, sort: "-name" },
      ignored: [],
    });
  });

  it("falls back to defaults for what it cannot read, and names those parameters", () => {
    const parsed = parseSearchParams(schema, {
      q: "x".repeat(21),
      from: "2026-13-45",
      page: "-".repeat(36),
      sort: "zoë",
    });
    expect(parsed.values).toEqual({ q: "", from: undefined, page: 1, sort: "name" });
    expect(parsed.ignored.sort()).toEqual(["from", "page", "q", "sort"]);
  });

  it.each(["\u0000", "abc\u0000def", "a\u001fb", "line\nbreak", "\u007f", "\uD800", "a\uDFFFb"])(
    "refuses a value with a control character or a lone surrogate (%j): it never reaches the schema",
    (value) => {
      const parsed = parseSearchParams(schema, { q: value, from: value });
      expect(parsed.values.q).toBe("");
      expect(parsed.values.from).toBeUndefined();
      expect(parsed.ignored.sort()).toEqual(["from", "q"]);
    },
  );

  it("keeps unicode and the replacement character of bad percent-encoding as text", () => {
    expect(parseSearchParams(schema, { q: "Zoë 🚀 日本" }).values.q).toBe("Zoë 🚀 日本");
    expect(parseSearchParams(schema, "q=%E0%A4%A").values.q).toBe("\uFFFD%A");
  });

  it("does not report empty values (a submitted form sends every field) nor parameters it does not know", () => {
    expect(parseSearchParams(schema, { q: "", from: "", page: "", utm_source: "x\u0000" }).ignored).toEqual([]);
  });

  it("uses the first value of a repeated key, unless the key is repeatable", () => {
    expect(parseSearchParams(schema, { sort: ["-name", "name"], q: ["a", "\u0000"], page: ["\u0000", "2"] })).toEqual({
      values: { q: "a", from: undefined, page: 1, sort: "-name" },
      ignored: ["page"],
    });
    const tags = z.object({ tag: z.array(z.string()).catch([]) });
    expect(parseSearchParams(tags, "tag=a&tag=b", { repeatable: ["tag"] }).values.tag).toEqual(["a", "b"]);
    expect(parseSearchParams(tags, "tag=a&tag=%00", { repeatable: ["tag"] })).toEqual({
      values: { tag: [] },
      ignored: ["tag"],
    });
  });

  it("reads a query string and URLSearchParams the same way as a record", () => {
    const expected = parseSearchParams(schema, { q: "a b", page: "2" });
    expect(parseSearchParams(schema, "q=a+b&page=2")).toEqual(expected);
    expect(parseSearchParams(schema, "?q=a%20b&page=2")).toEqual(expected);
    expect(parseSearchParams(schema, new URLSearchParams({ q: "a b", page: "2" }))).toEqual(expected);
  });
});

describe("searchParamsRecord", () => {
  it("lists the keys it refused", () => {
    expect(searchParamsRecord({ a: "1", b: ["2", "x\u0000"], c: undefined }, { repeatable: ["b"] })).toEqual({
      record: { a: "1" },
      refused: ["b"],
    });
  });
});

describe("parseRouteParams", () => {
  const idParams = z.object({ id: z.uuid() });

  it("returns the parsed parameters", () => {
    const id = "0b8a2f1e-3c4d-4e5f-8a9b-0c1d2e3f4a5b";
    expect(parseRouteParams(idParams, { id })).toEqual({ id });
  });

  it.each(["-".repeat(36), "2026-13-45", "", "x".repeat(5000), "%00", "0b8a2f1e-3c4d-4e5f-8a9b-0c1d2e3f4a5b\u0000"])(
    "returns null for %j",
    (id) => {
      expect(parseRouteParams(idParams, { id })).toBeNull();
    },
  );

  it("decodes percent-encoding first, and refuses what does not decode", () => {
    const textParams = z.object({ name: urlText(20).min(1) });
    expect(parseRouteParams(textParams, { name: "a%2Fb%20zo%C3%AB" })).toEqual({ name: "a/b zoë" });
    for (const name of ["%E0%A4%A", "%", "%ED%A0%80", "%00", "a%0Ab"]) {
      expect(parseRouteParams(textParams, { name })).toBeNull();
    }
  });

  it("decodes every segment of a catch-all parameter", () => {
    const segments = z.object({ path: z.array(z.string()) });
    expect(parseRouteParams(segments, { path: ["a%20b", "c"] })).toEqual({ path: ["a b", "c"] });
    expect(parseRouteParams(segments, { path: ["a", "%E0%A4%A"] })).toBeNull();
  });
});

describe("decodePercentEncoding", () => {
  it("decodes, or gives null for bad encoding", () => {
    expect(decodePercentEncoding("%2Ftravelers%2Fzo%C3%AB")).toBe("/travelers/zoë");
    expect(decodePercentEncoding("/travelers/%E0%A4%A")).toBeNull();
  });
});

describe("isFiltered", () => {
  const listSchema = schema.extend({ user: urlText(20).optional().catch(undefined) });

  it("is false for the defaults, and for what a submitted empty form sends", () => {
    expect(isFiltered(listSchema, parseSearchParams(listSchema, "").values)).toBe(false);
    expect(isFiltered(listSchema, parseSearchParams(listSchema, "q=&from=&user=&page=3&sort=-name").values)).toBe(
      false,
    );
  });

  it("is true once any filter differs from its default", () => {
    expect(isFiltered(listSchema, parseSearchParams(listSchema, "q=zoë").values)).toBe(true);
    expect(isFiltered(listSchema, parseSearchParams(listSchema, "user=cust_1").values)).toBe(true);
    expect(isFiltered(listSchema, parseSearchParams(listSchema, "from=2026-01-01").values)).toBe(true);
  });
});

describe("hrefWith", () => {
  it("changes and removes the named parameters and keeps the others, encoded", () => {
    expect(hrefWith("/webhooks", "user=a%20b&page=3&sort=eventAt", { page: null, sort: "-eventAt" })).toBe(
      "/webhooks?user=a+b&sort=-eventAt",
    );
    expect(hrefWith("/audit", new URLSearchParams("q=x"), { page: "2" })).toBe("/audit?q=x&page=2");
  });
});
