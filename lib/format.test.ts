import { describe, expect, it } from "vitest";
import { formatDateTime, formatNumber, utcStamp } from "./format";

describe("utcStamp", () => {
  it("writes UTC digits to the precision asked, whatever the input's offset", () => {
    expect(utcStamp("2026-12-03T14:18:10.123+01:00")).toBe("2026-12-03 13:18 UTC");
    expect(utcStamp(new Date("2026-12-03T13:18:10.123Z"), { precision: "second" })).toBe("2026-12-03 13:18:10 UTC");
    expect(utcStamp("2026-12-03T13:18:10.123Z", { precision: "millisecond", suffix: false })).toBe(
      "2026-12-03 13:18:10.123",
    );
  });

  it("gives a dash for none or an unreadable value", () => {
    for (const value of [null, undefined, "", "not a date"]) expect(utcStamp(value)).toBe("—");
  });
});

describe("formatDateTime and formatNumber", () => {
  it("write UTC dates and grouped digits the same on every machine", () => {
    expect(formatDateTime("2026-12-03T23:30:00-02:00")).toBe("4 Dec 2026, 01:30");
    expect(formatDateTime("2026-12-03T13:18:10Z", "seconds")).toBe("3 Dec 2026, 13:18:10");
    expect(formatDateTime("2026-12-03T13:18:10Z", "day")).toBe("3 Dec 2026");
    expect(formatNumber(1234567)).toBe("1,234,567");
  });
});
