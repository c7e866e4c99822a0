// The arithmetic of the charts, apart from drawing so it can be tested: a "nice" axis, bar
// segments in percent of the width, line and area paths, which x labels fit.
import type { Datum } from "./types";

/** The smallest 1, 2, 2.5 or 5 × 10^k at or above `max` (a round top for an axis); 1 for
 * nothing to show, so an all-zero chart still has a scale. */
export function niceMax(max: number): number {
  if (!Number.isFinite(max) || max <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(max));
  const step = [1, 2, 2.5, 5, 10].find((s) => s * magnitude >= max * (1 - 1e-9)) ?? 10;
  return step * magnitude;
}

/** Evenly spaced axis values from 0 to niceMax(max), `count` intervals. */
export function ticks(max: number, count = 4): number[] {
  const top = niceMax(max);
  return Array.from({ length: count + 1 }, (_, i) => (top * i) / count);
}

/** The largest value a chart must fit: the largest sum of a category when stacked, else the
 * largest single value. Negative values (none in the reports) count as 0. */
export function chartMax(data: Datum[], stacked: boolean): number {
  let max = 0;
  for (const d of data) {
    const values = d.values.map((v) => Math.max(0, v));
    max = Math.max(max, stacked ? values.reduce((a, b) => a + b, 0) : Math.max(0, ...values));
  }
  return max;
}

export interface Segment {
  /** where the segment starts, in percent of the bar area */
  offset: number;
  /** its width, in percent of the bar area */
  width: number;
}

/** The bars of one category: stacked ones one after another, grouped ones each from 0. */
export function barSegments(values: number[], max: number, stacked: boolean): Segment[] {
  const scale = max > 0 ? 100 / max : 0;
  let offset = 0;
  return values.map((raw) => {
    const width = Math.max(0, raw) * scale;
    const segment = { offset: stacked ? offset : 0, width };
    if (stacked) offset += width;
    return segment;
  });
}

/** x of the i-th of n points in percent of the width, inset by `pad` percent on each side
 * (a single point sits in the middle). */
export function pointX(i: number, n: number, pad = 3): number {
  if (n <= 1) return 50;
  return pad + (i * (100 - 2 * pad)) / (n - 1);
}

/** y in pixels of a value between `top` (the axis maximum) and `bottom` (0). */
export function pointY(value: number, max: number, top: number, bottom: number): number {
  const ratio = max > 0 ? Math.min(1, Math.max(0, value) / max) : 0;
  return bottom - ratio * (bottom - top);
}

const round = (n: number) => Math.round(n * 10) / 10;

/** The SVG path of a line through the values, x in a 0…1000 wide viewBox. */
export function linePath(values: number[], max: number, top: number, bottom: number): string {
  return values
    .map(
      (v, i) => `${i === 0 ? "M" : "L"}${round(pointX(i, values.length) * 10)},${round(pointY(v, max, top, bottom))}`,
    )
    .join(" ");
}

/** The line's path closed down to the axis: the area under it. */
export function areaPath(values: number[], max: number, top: number, bottom: number): string {
  if (values.length === 0) return "";
  const first = round(pointX(0, values.length) * 10);
  const last = round(pointX(values.length - 1, values.length) * 10);
  return `${linePath(values, max, top, bottom)} L${last},${bottom} L${first},${bottom} Z`;
}

/** Label every k-th category so at most `room` labels are drawn (1 = every one). */
export function labelStep(count: number, room: number): number {
  if (count <= room || room <= 0) return 1;
  return Math.ceil(count / room);
}

/** Whether the i-th of n categories gets a label: every `step`-th, and always the last (then
 * the one before it is skipped if they would be closer than `step`). */
export function showLabel(i: number, n: number, step: number): boolean {
  if (i === n - 1) return true;
  return i % step === 0 && n - 1 - i >= step;
}

/** `value` as a percentage of `whole`, rounded to a whole percent (0 when whole is 0). */
export function shareOf(value: number, whole: number): number {
  if (!(whole > 0)) return 0;
  return Math.round((Math.max(0, value) / whole) * 100);
}

/** A label cut to `max` characters with an ellipsis (an SVG text does not wrap). */
export function clip(label: string, max: number): string {
  return label.length <= max ? label : `${label.slice(0, Math.max(1, max - 1)).trimEnd()}…`;
}
