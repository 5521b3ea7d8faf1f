import { describe, expect, it } from "vitest";
import { dayRange, pageParam, pageWindow, readListPage } from "./list-query";

describe("dayRange", () => {
  it("runs from the start of `from` to the start of the day after `to`, in UTC", () => {
    expect(dayRange("2026-02-28", "2026-02-28")).toEqual({
      gte: new Date("2026-02-28T00:00:00Z"),
      lt: new Date("2026-03-01T00:00:00Z"),
    });
    expect(dayRange(undefined, "2026-12-31")).toEqual({ lt: new Date("2027-01-01T00:00:00Z") });
    expect(dayRange("2026-01-01", undefined)).toEqual({ gte: new Date("2026-01-01T00:00:00Z") });
    expect(dayRange(undefined, undefined)).toBeUndefined();
  });
});

describe("pageParam", () => {
  it("reads whole page numbers up to its maximum, else the first page", () => {
    expect(pageParam(10).parse("3")).toBe(3);
    for (const value of ["0", "-1", "1.5", "11", "x", undefined]) expect(pageParam(10).parse(value)).toBe(1);
  });
});

describe("readListPage", () => {
  it("reads the page's window and the total", async () => {
    const page = await readListPage(
      { page: 3, pageSize: 25 },
      { rows: async (window) => [window], total: async () => 120 },
    );
    expect(pageWindow(3, 25)).toEqual({ skip: 50, take: 25 });
    expect(page).toEqual({ rows: [{ skip: 50, take: 25 }], total: 120, pageSize: 25 });
  });
});
