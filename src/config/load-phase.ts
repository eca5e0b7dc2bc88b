/**
 * A load phase as the plan resolves it: one type per executor kind, every duration in ms, every SLO
 * parsed, every default applied. Consumers (sharding, pool sizing, the load run, the sweep,
 * preflight, `validate`'s printout) switch on `kind` and never read the raw suite fields.
 */
import type { RequestSlo } from "../thresholds/request-slo.js";
import type { Threshold } from "../record/verdict.js";
import type { MetricName } from "../thresholds/metrics.js";
import type { ArrivalConfig, TokenCountConfig } from "./schema.js";
import type { Trace } from "./trace.js";

export type { PhaseKind } from "./phase-shape.js";

/** What every phase has, whatever its executor. */
interface PhaseCommon {
  name: string;
  /** The targets it runs on; undefined: every target of the run. */
  targets?: string[];
  /** Requests that start this long after the phase start or sooner are reported, left out of the statistics. */
  warmupMs: number;
  /** In-flight requests are aborted this long after the phase starts: `time_limit`, else derived from its length. */
  timeLimitMs: number;
  /** Per-request SLOs: a request that meets every one counts towards goodput. */
  slo: RequestSlo[];
  /** Synthetic requests instead of the suite's cases. */
  synthetic?: { input_tokens: TokenCountConfig; output_tokens: TokenCountConfig };
  /**
   * fail_fast: the phase stops when its first this-many completed requests all failed with a
   * non-retryable 4xx; false: never; undefined: DEFAULT_FAIL_FAST (the plan always sets it).
   */
  failFast?: number | false;
}

/** One stage of a ramp: a linear change to `to` (users or requests/s) over `overMs`. */
export interface Stage {
  to: number;
  overMs: number;
}

/** An open loop's arrival process. */
export interface Arrivals {
  arrival: ArrivalConfig;
  /** Gamma shape (arrival: gamma only): 1 is Poisson, below 1 burstier. */
  burstiness?: number;
}

/** Closed loop (`concurrency`): a fixed number of users, each sending when its last request ends. */
export interface ClosedLoopPhase extends PhaseCommon {
  kind: "closed";
  users: number;
  /** Ends at `durationMs` or after `requests`, whichever first; at least one is set. */
  durationMs?: number;
  requests?: number;
  thinkTimeMs?: number;
  /** `max_in_flight`: never more users than this. */
  maxInFlight?: number;
}

/** Open loop (`rate`): arrivals on a seeded schedule at a fixed rate, whatever the server does. */
export interface OpenLoopPhase extends PhaseCommon, Arrivals {
  kind: "open";
  /** Requests per second, finite and above 0. */
  rate: number;
  /** Ends at `durationMs` or after `requests`, whichever first; at least one is set. */
  durationMs?: number;
  requests?: number;
  /** `max_in_flight`: arrivals over it are dropped and counted (default per process, see phaseMaxInFlight). */
  maxInFlight?: number;
}

/** A ramp of users (`stages`, from `concurrency` or from 0): k6's ramping-vus. */
export interface UserRampPhase extends PhaseCommon {
  kind: "ramp-users";
  startUsers: number;
  stages: Stage[];
  /** `duration`, else the stages' total: the last stage's users hold until then. */
  durationMs: number;
  requests?: number;
  thinkTimeMs?: number;
  /** `max_in_flight`: never more users than this. */
  maxInFlight?: number;
}

/** A ramp of rate (`rate` with `stages`): k6's ramping-arrival-rate. */
export interface RateRampPhase extends PhaseCommon, Arrivals {
  kind: "ramp-rate";
  startRate: number;
  stages: Stage[];
  /** `duration`, else the stages' total: the last stage's rate holds until then. */
  durationMs: number;
  requests?: number;
  /** `max_in_flight`, as for the open loop. */
  maxInFlight?: number;
}

/**
 * A sweep to capacity at SLO: a synchronous step (1 user), a saturation step (`maxInFlight` users),
 * then open-loop steps at rising rates (constant arrivals unless `arrival` says otherwise) and a
 * bisection. Each step is a phase of its own built from this one (see sweepStep); `timeLimitMs`
 * applies to each step.
 */
export interface SweepPhase extends PhaseCommon, Arrivals {
  kind: "sweep";
  /** `sweep.slo`: every step is judged on these; the capacity is the highest rate that met them all. */
  capacitySlo: Array<Threshold<MetricName>>;
  /** Rates to try; undefined: `steps` rates between the synchronous and saturation throughputs. */
  rates?: number[];
  steps: number;
  /** Bisection steps between the last passing and first failing rate. */
  refine: number;
  /** How long each step runs at least (`duration`, default 5 s). */
  stepDurationMs: number;
  /** A step runs until it has measured this many requests too (warmup left out)... */
  minStepRequests: number;
  /** ...and while its served/offered share has not settled, but never past this. */
  maxStepMs: number;
  /** `max_in_flight`: the saturation step's users, and the open-loop steps' cap. */
  maxInFlight?: number;
  thinkTimeMs?: number;
}

/**
 * The replay of a recorded trace (`replay`): each row sent at its own time divided by `speed`, open
 * loop (a late server queues requests, it never delays the next), read and checked at plan time.
 */
export interface ReplayPhase extends PhaseCommon {
  kind: "replay";
  trace: Trace;
  /** Time scale: 2 sends the trace twice as fast (above 0). */
  speed: number;
  /** `requests`: only the first this-many rows are sent. */
  requests?: number;
  /** `duration`: rows due after it are never sent. */
  durationMs?: number;
  /** `max_in_flight`, as for the open loop: a row due over it is dropped and counted. */
  maxInFlight?: number;
}

export type LoadPhase =
  ClosedLoopPhase | OpenLoopPhase | UserRampPhase | RateRampPhase | SweepPhase | ReplayPhase;

/** The rows a replay sends: its trace's, up to `requests`. */
export function replayRowCount(phase: ReplayPhase): number {
  return Math.min(phase.trace.rows.length, phase.requests ?? Number.POSITIVE_INFINITY);
}

/** When a replay's last row is due, ms after its start (speed applied). */
export function replaySpanMs(phase: ReplayPhase): number {
  const n = replayRowCount(phase);
  return n === 0 ? 0 : (phase.trace.rows[n - 1]?.atMs ?? 0) / phase.speed;
}

/**
 * An open loop holds at most this many requests in flight unless `max_in_flight` says otherwise.
 * Defaults are per process: --shard splits a `max_in_flight` that is set, never a default.
 */
export const DEFAULT_OPEN_MAX_IN_FLIGHT = 1024;
/**
 * How many first requests all failing with a 4xx stop a phase unless the suite says: enough that a
 * few rejected requests at start (a cold cache, a rolling restart) never stop a healthy phase, few
 * enough that a wrong key costs a handful of requests, not a storm.
 */
export const DEFAULT_FAIL_FAST = 20;
/** A sweep's saturation users and in-flight cap unless `max_in_flight` says otherwise. */
export const DEFAULT_SWEEP_MAX_IN_FLIGHT = 256;

/** The most users a closed-loop phase ever has: its peak, capped by `max_in_flight`. */
function peakUsers(users: number, stages: readonly Stage[], cap: number | undefined): number {
  const peak = Math.max(users, ...stages.map((s) => Math.ceil(s.to)));
  return cap === undefined ? peak : Math.min(peak, cap);
}

/** The most requests a phase can have in flight: what the connection pool is sized to. */
export function phaseMaxInFlight(phase: LoadPhase): number {
  switch (phase.kind) {
    case "closed":
      return peakUsers(phase.users, [], phase.maxInFlight);
    case "ramp-users":
      return peakUsers(phase.startUsers, phase.stages, phase.maxInFlight);
    case "open":
    case "ramp-rate":
    case "replay":
      return phase.maxInFlight ?? DEFAULT_OPEN_MAX_IN_FLIGHT;
    case "sweep":
      return phase.maxInFlight ?? DEFAULT_SWEEP_MAX_IN_FLIGHT;
  }
}

/** The requests the phase stops after, if it has such a count. */
export function phaseRequests(phase: LoadPhase): number | undefined {
  if (phase.kind === "replay") return replayRowCount(phase);
  return phase.kind === "sweep" ? undefined : phase.requests;
}

/** Where the phase ends on the clock (ms), if it has an end there (a count alone does not). */
export function phaseDurationMs(phase: LoadPhase): number | undefined {
  return phase.kind === "sweep" ? undefined : phase.durationMs;
}
