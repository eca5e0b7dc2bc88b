/**
 * Phases that resolve but would measure nothing: a length or time limit of 0, a warmup that lasts
 * the whole phase, a rate so low no request is expected in the measured window. Each would run,
 * report no data and let thresholds judge an empty phase, so `validate` rejects it instead.
 */
import { formatDurationMs } from "../util/duration.js";
import { replaySpanMs, type LoadPhase, type Stage } from "./load-phase.js";

/** A problem with a resolved phase, and the raw field to point at. */
export interface PhaseSenseProblem {
  field: string;
  message: string;
}

/**
 * The expected number of arrivals between `fromMs` and `toMs` of a rate that starts at `start` and
 * moves linearly through `stages`, the last value holding after them: the integral of the rate.
 */
export function expectedArrivals(
  start: number,
  stages: readonly Stage[],
  fromMs: number,
  toMs: number,
): number {
  const points = [{ tMs: 0, rate: start }];
  for (const s of stages) points.push({ tMs: points[points.length - 1]!.tMs + s.overMs, rate: s.to });
  const last = points[points.length - 1]!;
  points.push({ tMs: Math.max(toMs, last.tMs), rate: last.rate });
  let total = 0;
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1]!;
    const b = points[i]!;
    const lo = Math.max(a.tMs, fromMs);
    const hi = Math.min(b.tMs, toMs);
    if (hi <= lo || b.tMs === a.tMs) continue;
    const rateAt = (t: number) => a.rate + ((b.rate - a.rate) * (t - a.tMs)) / (b.tMs - a.tMs);
    total += ((rateAt(lo) + rateAt(hi)) / 2) * ((hi - lo) / 1000);
  }
  return total;
}

/** When the phase stops starting requests, on its own clock (ms). */
function endMs(phase: LoadPhase): number {
  if (phase.kind === "sweep") return phase.stepDurationMs;
  // A replay's last request is due at its trace's span (at its speed).
  if (phase.kind === "replay")
    return Math.min(phase.durationMs ?? Infinity, replaySpanMs(phase), phase.timeLimitMs);
  return Math.min(phase.durationMs ?? Number.POSITIVE_INFINITY, phase.timeLimitMs);
}

const shown = (n: number) => (n >= 0.01 ? Number(n.toPrecision(3)).toString() : n.toExponential(1));

/** Every reason the phase would measure nothing; `timeLimitSet` says whether the suite set `time_limit`. */
export function phaseSenseProblems(phase: LoadPhase, timeLimitSet: boolean): PhaseSenseProblem[] {
  const out: PhaseSenseProblem[] = [];
  if (timeLimitSet && phase.timeLimitMs === 0)
    out.push({ field: "time_limit", message: "a time limit of 0s ends the phase before it starts" });
  const length = phase.kind === "sweep" ? phase.stepDurationMs : phase.durationMs;
  if (length === 0 && ["closed", "open", "sweep", "replay"].includes(phase.kind))
    out.push({ field: "duration", message: "a phase of 0s sends nothing: give it a length" });
  const end = endMs(phase);
  if (phase.warmupMs > 0 && phase.warmupMs >= end && end > 0)
    out.push({
      field: "warmup",
      message: `the warmup (${formatDurationMs(phase.warmupMs)}) lasts as long as the phase${phase.kind === "sweep" ? "'s steps" : ""} (${formatDurationMs(end)}): no request would be measured`,
    });
  if ((phase.kind === "open" || phase.kind === "ramp-rate") && end > phase.warmupMs) {
    const start = phase.kind === "open" ? phase.rate : phase.startRate;
    const stages = phase.kind === "open" ? [] : phase.stages;
    const expected = expectedArrivals(start, stages, phase.warmupMs, end);
    if (expected < 1)
      out.push({
        field: "rate",
        message: `the measured ${formatDurationMs(end - phase.warmupMs)} of this phase expect ${shown(expected)} requests at this rate: raise the rate or lengthen the phase`,
      });
  }
  return out;
}
