/**
 * A load phase's kind and shape in words (`closed loop, 8 users, for 5s`): `validate`'s phase lines,
 * the CI start lines and the live view all say a phase's shape with these.
 */
import { replayRowCount, replaySpanMs, type LoadPhase, type ReplayPhase, type Stage } from "./load-phase.js";
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

/** `replay of t.jsonl (mooncake trace)`, `1200 requests over 10m` (the trace's span), `speed 2: 5m`, `cut at 1m`. */
function replayShape(p: ReplayPhase): string[] {
  const rows = replayRowCount(p);
  const traceSpanMs = p.trace.rows[rows - 1]?.atMs ?? 0;
  return [
    `replay of ${p.trace.file}${p.trace.shape === "gauntlet" ? "" : ` (${p.trace.shape} trace)`}`,
    `${rows} requests over ${d(traceSpanMs)}${rows < p.trace.rows.length ? ` (first ${rows} of ${p.trace.rows.length})` : ""}`,
    p.speed === 1 ? "" : `speed ${count(p.speed)}: ${d(replaySpanMs(p))}`,
    p.durationMs === undefined ? "" : `cut at ${d(p.durationMs)}`,
  ];
}

/** The kind and shape of a phase, the part that differs between kinds. */
export function phaseShapeParts(p: LoadPhase): string[] {
  switch (p.kind) {
    case "closed":
      return [
        "closed loop",
        `${p.users} ${p.users === 1 ? "user" : "users"}`,
        length(p.durationMs, p.requests),
      ];
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
    case "replay":
      return replayShape(p);
  }
}

/** The shape as one line: `open loop, 40/s, poisson arrivals, for 5s`. */
export function phaseShapeText(p: LoadPhase): string {
  return phaseShapeParts(p).filter(Boolean).join(", ");
}
