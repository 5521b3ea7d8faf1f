import { describe, expect, it } from "vitest";
import { axisTick, formatNumber, utcStamp } from "./format";

describe("utcStamp", () => {
  it("writes UTC digits to the precision asked, whatever the input's offset", () => {
    expect(utcStamp("2026-12-03T14:18:10.123+01:00")).toBe("2026-12-03 13:18 UTC");
    expect(utcStamp(new Date("2026-12-03T13:18:10.123Z"), { precision: "second" })).toBe("2026-12-03 13:18:10 UTC");
    expect(utcStamp("2026-12-03T13:18:10.123Z", { precision: "millisecond", suffix: false })).toBe(
      "2026-12-03 13:18:10.123",
    );
  });

  it("writes a day alone as its date", () => {
    expect(utcStamp("2026-12-03T23:30:00-02:00", { precision: "day", suffix: false })).toBe("2026-12-04");
  });

  it("gives a dash for none or an unreadable value", () => {
    for (const value of [null, undefined, "", "not a date"]) expect(utcStamp(value)).toBe("—");
  });
});

describe("axisTick and formatNumber", () => {
  it("write UTC chart ticks and grouped digits the same on every machine", () => {
    expect(axisTick("2026-12-03T23:30:00-02:00", "day")).toBe("4 Dec");
    expect(axisTick("2026-12-03T00:05:00Z", "hour")).toBe("00:05");
    expect(formatNumber(1234567)).toBe("1,234,567");
  });
});
