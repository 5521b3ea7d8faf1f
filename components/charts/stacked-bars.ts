/**
 * The geometry of a stacked bar chart, drawn as plain SVG on the server (no charting library in the browser): for
 * each point one bar per key stacked bottom up, in units of a 0–100 box, and a "nice" axis maximum with its ticks.
 */

export type StackedSegment = { key: string; value: number; x: number; width: number; y: number; height: number };
export type StackedBars = { max: number; ticks: number[]; segments: StackedSegment[][] };

/** The smallest of 1, 2, 2.5, 5 × 10^n at or above `value` (at least 1), so the axis reads in round steps. */
export function niceMax(value: number): number {
  if (!(value > 0)) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 2.5, 5, 10].find((factor) => factor * magnitude >= value)!;
  return Math.max(1, step * magnitude);
}

/** Bars for `points` (each a record of counts by key), `gap` the share of each slot left empty between bars. */
export function stackedBars(points: Record<string, number | string>[], keys: string[], gap = 0.2): StackedBars {
  const totals = points.map((point) => keys.reduce((sum, key) => sum + (Number(point[key]) || 0), 0));
  const max = niceMax(Math.max(0, ...totals));
  const slot = points.length ? 100 / points.length : 100;
  const segments = points.map((point, index) => {
    let base = 0;
    return keys.flatMap((key) => {
      const value = Number(point[key]) || 0;
      if (value <= 0) return [];
      const height = (value / max) * 100;
      base += height;
      return [{ key, value, x: index * slot + (slot * gap) / 2, width: slot * (1 - gap), y: 100 - base, height }];
    });
  });
  // Integer ticks only (counts): four steps when the maximum allows, else every whole number.
  const ticks = max >= 4 ? [0, 0.25, 0.5, 0.75, 1].map((share) => share * max) : [...Array(max + 1).keys()];
  return { max, ticks: ticks.filter((tick) => Number.isInteger(tick)), segments };
}
