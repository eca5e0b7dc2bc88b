/**
 * Axis scales of report.html's charts: linear from zero (or a fixed range), or logarithmic where
 * the data spans decades, each with round tick values a reader can read off.
 */

/** Past this ratio of largest to smallest value (about 1.5 decades) a latency axis goes logarithmic. */
export const LOG_SPAN = 10 ** 1.5;

export type ScaleKind = "linear" | "log" | "auto";

/** Maps values onto pixels between `from` and `to`, with its ticks. */
export interface Scale {
  log: boolean;
  min: number;
  max: number;
  at(v: number): number;
  ticks: number[];
}

/** Round, readable ticks from `min` to `max` (about `count` of them). */
export function linearTicks(min: number, max: number, count = 5): number[] {
  const span = max - min;
  if (!(span > 0)) return [min];
  const raw = span / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw;
  const first = Math.ceil(min / step - 1e-9) * step;
  const out: number[] = [];
  for (let v = first; v <= max + step * 1e-9; v += step) out.push(Number(v.toPrecision(6)));
  return out;
}

/** 1, 2, 5 times each power of ten between `min` and `max`; only the powers when they are many. */
export function logTicks(min: number, max: number): number[] {
  const lo = Math.floor(Math.log10(min));
  const hi = Math.ceil(Math.log10(max));
  const steps = hi - lo > 4 ? [1] : [1, 2, 5];
  const out: number[] = [];
  for (let e = lo; e <= hi; e++) {
    for (const m of steps) {
      const v = Number((m * 10 ** e).toPrecision(6));
      if (v >= min * (1 - 1e-9) && v <= max * (1 + 1e-9)) out.push(v);
    }
  }
  return out;
}

/** Whether values span enough decades to read better on a log axis (all must be above 0). */
export function spansDecades(values: readonly number[]): boolean {
  const positive = values.filter((v) => v > 0);
  if (positive.length === 0 || positive.length < values.length) return false;
  return Math.max(...positive) / Math.min(...positive) > LOG_SPAN;
}

/**
 * A scale over `values` drawn from pixel `from` to pixel `to`. Linear scales start at 0 unless
 * `range` fixes them; log scales widen to whole 1-2-5 steps around the data.
 */
export function createScale(
  values: readonly number[],
  kind: ScaleKind,
  from: number,
  to: number,
  range?: [number, number],
): Scale {
  const log = kind === "log" || (kind === "auto" && !range && spansDecades(values));
  if (log) {
    const positive = values.filter((v) => v > 0);
    const min = niceLogFloor(Math.min(...positive));
    const max = niceLogCeil(Math.max(...positive));
    const [a, b] = [Math.log10(min), Math.log10(max)];
    return {
      log,
      min,
      max,
      at: (v) => from + ((Math.log10(Math.max(v, min)) - a) / (b - a || 1)) * (to - from),
      ticks: logTicks(min, max),
    };
  }
  // A linear axis starts at 0 (or below, for negative data) and ends on whole tick steps.
  const lo = range ? range[0] : Math.min(0, ...values);
  const hi = range ? range[1] : Math.max(...values, lo);
  const rough = linearTicks(lo, hi > lo ? hi : lo + 1);
  const step = rough.length > 1 ? (rough[1] as number) - (rough[0] as number) : 1;
  const min = range ? lo : Math.floor(lo / step + 1e-9) * step;
  const max = range ? hi : Math.max(Math.ceil(hi / step - 1e-9) * step, min + step);
  const ticks = range ? rough : linearTicks(min, max);
  return { log, min, max, at: (v) => from + ((v - min) / (max - min || 1)) * (to - from), ticks };
}

const niceLogFloor = (v: number) => {
  const e = 10 ** Math.floor(Math.log10(v));
  return ([5, 2, 1].map((m) => m * e).find((s) => s <= v) ?? e) as number;
};
const niceLogCeil = (v: number) => {
  const e = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 5, 10].map((m) => m * e).find((s) => s >= v * (1 - 1e-9)) ?? 10 * e;
};

/** A tick's text: no trailing zeros, thousands without decimals. */
export function tickText(v: number): string {
  if (Math.abs(v) >= 1000) return v.toFixed(0);
  return String(Number(v.toPrecision(3)));
}
