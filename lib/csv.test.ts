import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { csvField, csvLine } from "./csv";

describe("csv", () => {
  it("quotes fields with commas, quotes and line breaks", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
  });

  it("writes numbers, booleans and empty values as they are", () => {
    expect(csvLine([1, true, null, undefined, ""])).toBe("1,true,,,\r\n");
  });

  it("defuses text a spreadsheet would run as a formula", () => {
    expect(csvField("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
    expect(csvField("@cmd, x")).toBe(`"'@cmd, x"`);
    expect(csvField(-5)).toBe("-5");
  });

  it.each([
    ["=1+1", "'=1+1"],
    ["+1", "'+1"],
    ["-1", "'-1"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["\t=1", "'\t=1"],
    ["\tplain", "'\tplain"],
    ["\r=1", `"'\r=1"`],
    [" =1+1", "' =1+1"],
    ["   +cmd", "'   +cmd"],
    ["\n=1+1", `"'\n=1+1"`],
    ["\r\n@cmd", `"'\r\n@cmd"`],
    ["\u00a0=1", "'\u00a0=1"],
    ["\u3000=1", "'\u3000=1"],
    ["\uFF1D1+1", "'\uFF1D1+1"],
    ["\uFF0B1", "'\uFF0B1"],
    ["\uFF0D1", "'\uFF0D1"],
    ["\uFF20SUM(A1)", "'\uFF20SUM(A1)"],
    [" \uFF1DHYPERLINK(1)", "' \uFF1DHYPERLINK(1)"],
  ])("defuses %j (OWASP's triggers, after whitespace, full-width)", (value, expected) => {
    expect(csvField(value)).toBe(expected);
  });

  it.each(["plain text", " leading space", "a=b", "cust_123", "2026-01-05", "Zoë", "\uFF21", "", " "])(
    "leaves %j as it is",
    (value) => {
      expect(csvField(value)).toBe(value);
    },
  );

  it("defuses every field that starts with a tab or CR, or whose first character after whitespace starts a formula", () => {
    const whitespace = fc.string({ unit: fc.constantFrom(" ", "\t", "\r", "\n", "\u00a0", "\u3000", "\u2028") });
    const formula = fc.constantFrom("=", "+", "-", "@", "\uFF1D", "\uFF0B", "\uFF0D", "\uFF20");
    fc.assert(
      fc.property(whitespace, formula, fc.string(), (before, start, rest) => {
        expect(csvField(`${before}${start}${rest}`)).toMatch(/^"?'/);
      }),
    );
    fc.assert(
      fc.property(fc.constantFrom("\t", "\r"), fc.string(), (start, rest) => {
        expect(csvField(`${start}${rest}`)).toMatch(/^"?'/);
      }),
    );
  });
});
