import { describe, expect, it } from "vitest";
import { age, utc } from "./format";

describe("format", () => {
  it("prints UTC to the minute, and a dash for nothing", () => {
    expect(utc("2026-07-15T14:30:59.999Z")).toBe("2026-07-15 14:30 UTC");
    expect(utc(null)).toBe("—");
    expect(utc("not a date")).toBe("—");
  });

  it("says how old something is, coarsely", () => {
    const now = new Date("2026-07-15T12:00:00Z");
    expect(age("2026-07-15T11:59:30Z", now)).toBe("just now");
    expect(age("2026-07-15T11:48:00Z", now)).toBe("12 min ago");
    expect(age("2026-07-14T09:00:00Z", now)).toBe("27 h ago");
    expect(age("2026-07-10T12:00:00Z", now)).toBe("5 days ago");
  });
});
