import type { LoadPhase } from "../config/load-phase.js";
import { DEFAULT_FAIL_FAST, phaseMaxInFlight } from "../config/load-phase.js";
import { phaseShapeParts as shapeOf } from "../config/phase-shape-text.js";
import { formatDurationMs as d } from "../util/duration.js";

/**
 * One line of `validate`'s plan for a phase: its name, kind and shape, how it ends, then what else
 * it sets, e.g. `ramp: ramp of users, 0 → 20 over 2s, for 2s, at most 16 in flight, time limit 32s`.
 */
export function describePhase(p: LoadPhase): string {
  const extras = [
    p.kind === "closed" || p.kind === "ramp-users"
      ? p.maxInFlight !== undefined
        ? `at most ${phaseMaxInFlight(p)} users`
        : ""
      : `at most ${phaseMaxInFlight(p)} in flight`,
    p.kind === "closed" || p.kind === "ramp-users" || p.kind === "sweep"
      ? p.thinkTimeMs !== undefined
        ? `think time ${d(p.thinkTimeMs)}`
        : ""
      : "",
    p.warmupMs > 0 ? `warmup ${d(p.warmupMs)}` : "",
    `time limit ${d(p.timeLimitMs)}${p.kind === "sweep" ? " per step" : ""}`,
    p.slo.length ? `goodput slo ${p.slo.map((s) => `${s.key} ${s.expression.trim()}`).join(" and ")}` : "",
    p.synthetic ? "synthetic requests" : "",
    // The default (20) goes unsaid; a phase that changed it or turned it off says so.
    p.failFast === false
      ? "fail_fast off"
      : p.failFast !== undefined && p.failFast !== DEFAULT_FAIL_FAST
        ? `fail_fast ${p.failFast}`
        : "",
    p.targets ? `on ${p.targets.join(", ")}` : "",
  ];
  return `${p.name}: ${[...shapeOf(p), ...extras].filter(Boolean).join(", ")}`;
}
