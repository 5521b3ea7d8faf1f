/**
 * The average level of something over the recent past (how many deliveries were waiting, say), weighted by time: told
 * each change of the level, it answers the mean over the last `windowMs`. The window slides: the previous full
 * window's mean counts for the part of the window the current one has not covered yet. Times are milliseconds on a
 * monotonic clock (performance.now()).
 */
export class LevelMeter {
  private level = 0;
  private lastChange: number;
  private windowStart: number;
  /** The level integrated over time since windowStart, up to lastChange. */
  private areaInWindow = 0;
  private previousMean = 0;

  constructor(
    private readonly windowMs: number,
    now: number,
  ) {
    this.windowStart = now;
    this.lastChange = now;
  }

  change(now: number, by: number): void {
    this.advance(now);
    this.level += by;
  }

  mean(now: number): number {
    this.advance(now);
    const covered = (now - this.windowStart) / this.windowMs;
    return this.previousMean * (1 - covered) + this.areaInWindow / this.windowMs;
  }

  private advance(now: number): void {
    const elapsed = now - this.windowStart;
    if (elapsed >= this.windowMs) {
      const areaToEnd = this.areaInWindow + this.level * (this.windowStart + this.windowMs - this.lastChange);
      // More than one window went by: the last full one held the level throughout.
      this.previousMean = elapsed >= 2 * this.windowMs ? this.level : areaToEnd / this.windowMs;
      this.windowStart = now - (elapsed % this.windowMs);
      this.areaInWindow = 0;
      this.lastChange = this.windowStart;
    }
    this.areaInWindow += this.level * (now - this.lastChange);
    this.lastChange = now;
  }
}
