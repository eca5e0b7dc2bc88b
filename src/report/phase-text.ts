import type { LoadPhase, Stage } from "../config/load-phase.js";
import { DEFAULT_FAIL_FAST, phaseMaxInFlight } from "../config/load-phase.js";
import { formatDurationMs as d } from "../util/duration.js";

const count = (n: number) => Number(n.toFixed(3)).toString();

/** `0 → 20 over 2s → 5 over 1s`, with `unit` after each figure. */
function ramp(start: number, stages: readonly Stage[], unit: string): string {
  return [`${count(start)}${unit}`, ...stages.map((s) => `${count(s.to)}${unit} over ${d(s.overMs)}`)].join(
    " → ",
  );
}

function arrivals(p: { arrival: string; burstiness?: number }): string {
  return `${p.arrival} arrivals${p.burstiness === undefined ? "" : ` (burstiness ${p.burstiness})`}`;
}

/** `for 5s`, `100 requests` or `for 5s or 100 requests`. */
function length(durationMs: number | undefined, requests: number | undefined): string {
  const parts = [
    durationMs === undefined ? "" : `for ${d(durationMs)}`,
    requests === undefined ? "" : `${requests} requests`,
  ];
  return parts.filter(Boolean).join(" or ");
}

/** The kind and shape of a phase, the part that differs between kinds. */
function shapeOf(p: LoadPhase): string[] {
  switch (p.kind) {
    case "closed":
      return ["closed loop", `${p.users} users`, length(p.durationMs, p.requests)];
    case "ramp-users":
      return ["ramp of users", ramp(p.startUsers, p.stages, ""), length(p.durationMs, p.requests)];
    case "open":
      return ["open loop", `${count(p.rate)}/s`, arrivals(p), length(p.durationMs, p.requests)];
    case "ramp-rate":
      return [
        "ramp of rate",
        ramp(p.startRate, p.stages, "/s"),
        arrivals(p),
        length(p.durationMs, p.requests),
      ];
    case "sweep":
      return [
        "sweep",
        p.capacitySlo.length
          ? `slo ${p.capacitySlo.map((t) => `${t.key} ${t.expression.trim()}`).join(" and ")}`
          : "",
        p.rates ? `rates ${p.rates.map((r) => `${count(r)}/s`).join(", ")}` : `${p.steps} rates`,
        `${p.refine} bisection steps`,
        arrivals(p),
        `${d(p.stepDurationMs)} and ${p.minStepRequests} requests per step (up to ${d(p.maxStepMs)} until served/offered settles)`,
      ];
  }
}

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
