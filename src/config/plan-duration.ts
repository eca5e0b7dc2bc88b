/**
 * How long a plan's load phases take, before anything is sent, as k6 prints "max duration": the
 * planned length (each phase's duration, or every step of a sweep at its minimum length) and the most
 * it can take (each phase's time limit, every sweep step at its longest). Targets run one after
 * another, so each phase counts once per target it runs on. Quality calls take what the server takes
 * and are not estimated; a phase bounded only by a request count has no planned length.
 */
import { replaySpanMs, type LoadPhase } from "./load-phase.js";
import type { Plan } from "./plan.js";

export interface DurationEstimate {
  /** Known lengths summed, ms. */
  plannedMs: number;
  /** Time limits summed, ms: the run's load part cannot take longer. */
  maxMs: number;
  /** Phases (per target) that end after a request count, with no planned length. */
  requestBounded: number;
  /** Phase runs counted: one per phase per target it runs on. */
  phaseRuns: number;
}

/** The synchronous and saturation steps every sweep starts with. */
const SWEEP_FIRST_STEPS = 2;

/** One phase's planned length (undefined: ends after a request count) and longest time, ms. */
function phaseLength(p: LoadPhase): { plannedMs?: number; maxMs: number } {
  switch (p.kind) {
    case "closed":
    case "open":
      return { ...(p.durationMs !== undefined ? { plannedMs: p.durationMs } : {}), maxMs: p.timeLimitMs };
    case "ramp-users":
    case "ramp-rate":
      return { plannedMs: p.durationMs, maxMs: p.timeLimitMs };
    case "sweep": {
      // Every step is run when every rate meets the SLO: the most steps a sweep takes.
      const steps = SWEEP_FIRST_STEPS + (p.rates?.length ?? p.steps) + p.refine;
      return { plannedMs: steps * p.stepDurationMs, maxMs: steps * Math.max(p.maxStepMs, p.timeLimitMs) };
    }
    case "replay":
      // The last row is sent at the trace's span (at its speed), unless `duration` cuts it.
      return { plannedMs: Math.min(p.durationMs ?? Infinity, replaySpanMs(p)), maxMs: p.timeLimitMs };
  }
}

/** The estimate for the run's targets (the plan's non-grader targets unless `targets` narrows them). */
export function estimateLoadDuration(plan: Plan, targets?: readonly string[]): DurationEstimate {
  const names = plan.targets
    .filter((t) => !t.grader && (!targets?.length || targets.includes(t.name)))
    .map((t) => t.name);
  const estimate: DurationEstimate = { plannedMs: 0, maxMs: 0, requestBounded: 0, phaseRuns: 0 };
  for (const name of names)
    for (const p of plan.load) {
      if (p.targets && !p.targets.includes(name)) continue;
      const { plannedMs, maxMs } = phaseLength(p);
      estimate.phaseRuns += 1;
      estimate.maxMs += maxMs;
      if (plannedMs === undefined) estimate.requestBounded += 1;
      else estimate.plannedMs += plannedMs;
    }
  return estimate;
}
