import { describe, expect, it } from "vitest";
import { LevelMeter } from "./level-meter";

describe("LevelMeter", () => {
  it("is 0 when nothing happened, and the level when it held the whole window", () => {
    const meter = new LevelMeter(100, 0);
    expect(meter.mean(50)).toBe(0);
    meter.change(50, 16);
    expect(meter.mean(250)).toBe(16);
  });

  it("weights each level by how long it held", () => {
    const meter = new LevelMeter(100, 0);
    // One delivery at a time, waiting 1 ms in every 4, for three windows.
    for (let at = 0; at < 300; at += 4) {
      meter.change(at, 1);
      meter.change(at + 1, -1);
    }
    expect(meter.mean(300)).toBeCloseTo(0.25, 2);
  });

  it("slides: a busy window fades as a quiet one goes by", () => {
    const meter = new LevelMeter(100, 0);
    meter.change(0, 8);
    meter.change(100, -8);
    expect(meter.mean(100)).toBeCloseTo(8, 5);
    expect(meter.mean(150)).toBeCloseTo(4, 5);
    expect(meter.mean(200)).toBeCloseTo(0, 5);
    expect(meter.mean(1_000)).toBe(0);
  });

  it("counts a level that spans windows in each of them", () => {
    const meter = new LevelMeter(100, 0);
    meter.change(60, 2);
    expect(meter.mean(100)).toBeCloseTo(0.8, 5);
    expect(meter.mean(160)).toBeCloseTo(0.8 * 0.4 + 1.2, 5);
    meter.change(160, -2);
    expect(meter.mean(200)).toBeCloseTo(1.2, 5);
  });
});
