import { describe, expect, it } from "vitest";
import { failedTooLong, isSuccess, MAX_ATTEMPTS, MAX_HOLD_MS, mayForwardNow, nextAttemptAt } from "./schedule";

const at = new Date("2026-07-15T12:00:00Z");
const later = (ms: number) => new Date(at.getTime() + ms).toISOString();

describe("the retry schedule", () => {
  it("follows immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, then gives up", () => {
    const delays = Array.from({ length: MAX_ATTEMPTS }, (_, index) => nextAttemptAt(index + 1, at)?.toISOString());
    expect(delays).toEqual([
      later(5_000),
      later(5 * 60_000),
      later(30 * 60_000),
      later(2 * 3_600_000),
      later(5 * 3_600_000),
      later(10 * 3_600_000),
      later(10 * 3_600_000),
      undefined,
    ]);
    expect(MAX_ATTEMPTS).toBe(8);
    expect(nextAttemptAt(9, at)).toBeNull();
  });

  it("disables an endpoint only after 5 full days of failing", () => {
    expect(failedTooLong(null, at)).toBe(false);
    expect(failedTooLong(new Date(at.getTime() - 5 * 86_400_000 + 1), at)).toBe(false);
    expect(failedTooLong(new Date(at.getTime() - 5 * 86_400_000), at)).toBe(true);
  });

  it("counts only 2xx as delivered", () => {
    expect([200, 204, 299].map(isSuccess)).toEqual([true, true, true]);
    expect([199, 301, 410, 500].map(isSuccess)).toEqual([false, false, false, false]);
  });
});

describe("forwarding under a burst", () => {
  it("forwards at once while deliveries come and go", () => {
    expect(mayForwardNow(0, 5)).toBe(true);
    expect(mayForwardNow(0.8, 5)).toBe(true);
  });

  it("holds stored events while a burst lasts, a second at most", () => {
    expect(mayForwardNow(16, 5)).toBe(false);
    expect(mayForwardNow(4, MAX_HOLD_MS - 1)).toBe(false);
    expect(mayForwardNow(16, MAX_HOLD_MS)).toBe(true);
    expect(MAX_HOLD_MS).toBe(1_000);
  });

  it("lets a pass with nothing held in this process take what is in the outbox (a sweep, another instance's)", () => {
    expect(mayForwardNow(16, null)).toBe(true);
  });
});
