/**
 * Which executor a load phase runs on, decided from the fields it sets, and the shape problems that
 * make a phase mean nothing runnable. The schema reports these problems and the plan resolves a phase
 * by its kind, so the two agree on which shapes exist.
 */

/** The executors, one per kind of phase (k6's constant-vus, constant-arrival-rate, ramping-vus, ramping-arrival-rate), the sweep and the replay of a trace. */
export const PHASE_KINDS = ["closed", "open", "ramp-users", "ramp-rate", "sweep", "replay"] as const;
export type PhaseKind = (typeof PHASE_KINDS)[number];

/** The fields of a raw phase that decide its kind and its shape. */
export interface PhaseShapeFields {
  concurrency?: number;
  rate?: number;
  stages?: readonly unknown[];
  sweep?: unknown;
  duration?: unknown;
  requests?: number;
  think_time?: unknown;
  arrival?: string;
  burstiness?: number;
  replay?: string;
  speed?: number;
  timestamp_unit?: string;
  synthetic?: unknown;
}

/**
 * The phase's kind: a replay of a trace; a sweep; `concurrency` (with `stages`: a ramp of users from it); `rate` (with
 * `stages`: a ramp of rate from it); `stages` alone, a ramp of users from 0 (as k6's ramping-vus
 * starts at 0). Undefined when it sets none of them.
 */
export function phaseKindOf(p: PhaseShapeFields): PhaseKind | undefined {
  if (p.replay !== undefined) return "replay";
  if (p.sweep !== undefined) return "sweep";
  if (p.concurrency !== undefined) return p.stages ? "ramp-users" : "closed";
  if (p.rate !== undefined) return p.stages ? "ramp-rate" : "open";
  if (p.stages) return "ramp-users";
  return undefined;
}

/** A problem with a phase's shape; `field` is the field to point at (none: the phase itself). */
export interface PhaseShapeProblem {
  field?: keyof PhaseShapeFields;
  message: string;
}

/** What a replay takes from its trace, never from the phase. */
const REPLAY_EXCLUDES = [
  "concurrency",
  "rate",
  "stages",
  "sweep",
  "think_time",
  "arrival",
  "burstiness",
  "synthetic",
] as const;

const CLOSED_KINDS: ReadonlySet<PhaseKind> = new Set(["closed", "ramp-users"]);
const OPEN_KINDS: ReadonlySet<PhaseKind> = new Set(["open", "ramp-rate"]);

/**
 * Every shape problem of a phase, so one `validate` lists them all: no kind, a closed and open loop
 * at once, a sweep that is also given users, a rate or stages (it picks its own), a phase that never
 * ends, and fields the phase's executor does not read (they would be silently ignored).
 */
export function phaseShapeProblems(p: PhaseShapeFields): PhaseShapeProblem[] {
  const kind = phaseKindOf(p);
  if (kind === undefined)
    return [
      {
        message:
          "expected one of concurrency (closed loop), rate (open loop), stages (a ramp of users from 0), sweep or replay (a trace)",
      },
    ];
  const out: PhaseShapeProblem[] = [];
  if (kind === "replay") {
    for (const field of REPLAY_EXCLUDES) {
      if (p[field] !== undefined)
        out.push({
          field,
          message: `a replay sends each request of its trace at the trace's time: remove ${field}`,
        });
    }
    return out;
  }
  for (const field of ["speed", "timestamp_unit"] as const) {
    if (p[field] !== undefined)
      out.push({
        field,
        message: `${field} applies to the replay of a trace: add replay: FILE or remove it`,
      });
  }
  if (kind === "sweep") {
    for (const field of ["concurrency", "rate", "stages", "requests"] as const) {
      if (p[field] !== undefined)
        out.push({
          field,
          message: `a sweep picks its own users and rates and runs each step for duration: remove ${field}`,
        });
    }
  }
  if (kind !== "sweep" && p.concurrency !== undefined && p.rate !== undefined)
    out.push({ message: "a phase is closed loop (concurrency) or open loop (rate), not both" });
  if ((kind === "closed" || kind === "open") && p.duration === undefined && p.requests === undefined)
    out.push({ message: "expected duration or requests, so the phase ends" });
  if (OPEN_KINDS.has(kind) && p.think_time !== undefined)
    out.push({
      field: "think_time",
      message: "think_time applies to users (concurrency or stages alone); an open loop follows its rate",
    });
  if (CLOSED_KINDS.has(kind)) {
    for (const field of ["arrival", "burstiness"] as const) {
      if (p[field] !== undefined)
        out.push({ field, message: `${field} shapes an open loop's arrivals (rate); this phase runs users` });
    }
  } else if (p.burstiness !== undefined && p.arrival !== "gamma")
    out.push({ field: "burstiness", message: "burstiness shapes gamma arrivals: add arrival: gamma" });
  return out;
}
