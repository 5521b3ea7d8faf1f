import { describe, expect, it } from "vitest";
import {
  addMonths,
  auditCutoff,
  monthExpired,
  monthLabel,
  monthStartOf,
  monthsBefore,
  parseMonthLabel,
  webhookArchiveName,
} from "./periods";

const at = (iso: string) => new Date(iso);

describe("retention periods", () => {
  it("expires a month only once all of it is older than the months kept", () => {
    const now = at("2026-12-05T10:00:00Z");
    expect(monthExpired(at("2025-10-01T00:00:00Z"), 13, now)).toBe(true);
    expect(monthExpired(at("2025-11-01T00:00:00Z"), 13, now)).toBe(false);
    // On the last day of the month the next one is still kept; on the 1st after, it goes.
    expect(monthExpired(at("2025-11-01T00:00:00Z"), 13, at("2026-12-31T23:59:59Z"))).toBe(false);
    expect(monthExpired(at("2025-11-01T00:00:00Z"), 13, at("2027-01-01T00:00:00Z"))).toBe(true);
    expect(monthExpired(monthStartOf(now), 1, now)).toBe(false);
  });

  it("moves back by calendar months, clamping the day", () => {
    expect(monthsBefore(at("2026-03-31T12:00:00Z"), 1).toISOString()).toBe("2026-02-28T12:00:00.000Z");
    expect(auditCutoff(at("2028-02-29T00:00:00Z"), 1).toISOString()).toBe("2027-02-28T00:00:00.000Z");
    expect(addMonths(at("2026-01-01T00:00:00Z"), -2).toISOString()).toBe("2025-11-01T00:00:00.000Z");
  });

  it("names and parses months in UTC", () => {
    const october = at("2025-10-01T00:00:00Z");
    expect(monthStartOf(at("2025-10-31T23:59:59.999Z"))).toEqual(october);
    expect(monthLabel(october)).toBe("2025-10");
    expect(parseMonthLabel("2025-10")).toEqual(october);
    expect(parseMonthLabel("2025-13")).toBeNull();
    expect(parseMonthLabel("x")).toBeNull();
    expect(webhookArchiveName(october)).toBe("webhooks-2025-10.ndjson.gz");
  });
});
