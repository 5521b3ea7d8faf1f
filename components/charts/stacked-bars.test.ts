import { describe, expect, it } from "vitest";
import { niceMax, stackedBars } from "./stacked-bars";

describe("niceMax", () => {
  it("rounds up to 1, 2, 2.5 or 5 times a power of ten", () => {
    expect([0, 0.5, 1, 3, 7, 11, 24, 26, 480, 501].map(niceMax)).toEqual([1, 1, 1, 5, 10, 20, 25, 50, 500, 1000]);
  });
});

describe("stackedBars", () => {
  it("stacks each point's keys bottom up in a 0–100 box, skipping zeros", () => {
    const { max, segments, ticks } = stackedBars(
      [
        { hour: "h1", a: 3, b: 1 },
        { hour: "h2", a: 0, b: 5 },
      ],
      ["a", "b"],
      0,
    );
    expect(max).toBe(5);
    expect(ticks).toEqual([0, 5]);
    expect(segments[0]).toEqual([
      { key: "a", value: 3, x: 0, width: 50, y: 40, height: 60 },
      { key: "b", value: 1, x: 0, width: 50, y: 20, height: 20 },
    ]);
    expect(segments[1]).toEqual([{ key: "b", value: 5, x: 50, width: 50, y: 0, height: 100 }]);
  });

  it("draws nothing, on a 0–1 axis, when every count is zero", () => {
    const { max, segments, ticks } = stackedBars([{ hour: "h1", a: 0 }], ["a"]);
    expect(max).toBe(1);
    expect(ticks).toEqual([0, 1]);
    expect(segments).toEqual([[]]);
  });

  it("keeps whole-number ticks only", () => {
    expect(stackedBars([{ a: 2 }], ["a"]).ticks).toEqual([0, 1, 2]);
    expect(stackedBars([{ a: 18 }], ["a"]).ticks).toEqual([0, 5, 10, 15, 20]);
    expect(stackedBars([{ a: 9 }], ["a"]).ticks).toEqual([0, 5, 10]);
  });
});
