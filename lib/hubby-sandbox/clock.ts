/**
 * The sandbox's simulation clock. At speed 1 it is the wall clock; faster speeds compress traveler behaviour
 * (installs, usage, expiry) for demos; tests set speed 0 and step it explicitly.
 */
export class SimClock {
  private anchorReal: number;
  private anchorSim: number;

  constructor(
    private speed: number,
    start: number = Date.now(),
    private readonly realNow: () => number = Date.now,
  ) {
    this.anchorReal = realNow();
    this.anchorSim = start;
  }

  now(): number {
    return this.anchorSim + (this.realNow() - this.anchorReal) * this.speed;
  }

  getSpeed(): number {
    return this.speed;
  }

  setSpeed(speed: number) {
    this.anchorSim = this.now();
    this.anchorReal = this.realNow();
    this.speed = speed;
  }

  /** Moves simulated time forward (never back: events already sent cannot be unsent). */
  step(ms: number) {
    this.anchorSim = this.now() + Math.max(0, ms);
    this.anchorReal = this.realNow();
  }

  set(time: number) {
    this.anchorSim = Math.max(this.now(), time);
    this.anchorReal = this.realNow();
  }
}
