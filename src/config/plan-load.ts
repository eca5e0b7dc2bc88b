/**
 * Load phase resolution: each raw phase becomes the typed phase of its executor kind (see
 * load-phase.ts). Like k6's per-executor Validate, every problem a phase has is pushed as a located
 * issue, so `validate` exits 2 before anything is sent, and a run never meets a phase it cannot run.
 * Past 300 lines for one reason: the resolvers are one table, a kind each, kept side by side.
 */
import type { ConfigIssue } from "../errors.js";
import { parseRequestSlo, type RequestSlo } from "../thresholds/request-slo.js";
import type { Threshold } from "../record/verdict.js";
import type { MetricName } from "../thresholds/metrics.js";
import { parseThreshold } from "../thresholds/parse.js";
import { thresholdRangeProblem } from "../thresholds/range.js";
import { formatDurationMs, parseDurationMs } from "../util/duration.js";
import type { IssueAt } from "./issue-at.js";
import { LIMITS, overLimit } from "./limits.js";
import {
  DEFAULT_FAIL_FAST,
  replaySpanMs,
  type ReplayPhase,
  type Arrivals,
  type LoadPhase,
  type PhaseKind,
  type Stage,
} from "./load-phase.js";
import type { FieldPath } from "./locate.js";
import { phaseSenseProblems } from "./phase-sense.js";
import { phaseKindOf } from "./phase-shape.js";
import type { LoadPhaseConfig, Suite } from "./schema.js";
import type { Trace } from "./trace.js";

/** The most requests one process holds in flight (see LIMITS.inFlight). */
export const MAX_IN_FLIGHT_LIMIT = LIMITS.inFlight.max;
const DEFAULT_SWEEP_STEP_MS = 5_000;
const DEFAULT_SWEEP_STEPS = 5;
const DEFAULT_SWEEP_REFINE = 3;
/**
 * A sweep step's p95 read from fewer requests than this rests on its five slowest; and a served
 * share read from fewer moves by several points with one slow request.
 */
const SWEEP_STEP_MIN_REQUESTS = 100;
/** However unsettled or slow, a sweep step stops at this many times its duration. */
const SWEEP_STEP_MAX_FACTOR = 4;
/** A phase without `time_limit` gets its length again (at least 30 s) to finish; one with no length, 10 min. */
const UNBOUNDED_TIME_LIMIT_MS = 600_000;
const timeLimitFor = (lengthMs: number | undefined) =>
  lengthMs === undefined ? UNBOUNDED_TIME_LIMIT_MS : lengthMs + Math.max(30_000, lengthMs);

/** What resolving one phase has to hand: its raw config, where it is, and where issues go. */
interface PhaseInput {
  raw: LoadPhaseConfig;
  /** A replay's trace, read before (undefined when it could not be: its issues are pushed). */
  trace?: Trace;
  where: FieldPath;
  issue(field: FieldPath, message: string): void;
}

/** A duration the schema has accepted, in ms (the schema refines every duration with parseDurationMs). */
function durationMs(input: PhaseInput, field: FieldPath, value: string | number): number {
  const ms = parseDurationMs(value);
  if (ms === undefined) {
    input.issue(field, "expected a duration such as 500ms, 30s or 2m");
    return 0;
  }
  return ms;
}

const optionalMs = (input: PhaseInput, field: string, value: string | number | undefined) =>
  value === undefined ? undefined : durationMs(input, [field], value);

/** A count of users or requests in flight this process can hold. */
function inFlightCount(input: PhaseInput, field: FieldPath, n: number): number {
  if (n > MAX_IN_FLIGHT_LIMIT)
    input.issue(
      field,
      `at most ${MAX_IN_FLIGHT_LIMIT} requests in flight per process: split larger loads with --shard`,
    );
  return n;
}

/** A rate or a stage target, finite (YAML's .inf and .nan are numbers too). */
function finite(input: PhaseInput, field: FieldPath, n: number, what: string): number {
  if (!Number.isFinite(n)) input.issue(field, `expected a finite ${what}, got ${n}`);
  return n;
}

const maxInFlightOf = (input: PhaseInput) =>
  input.raw.max_in_flight === undefined
    ? undefined
    : inFlightCount(input, ["max_in_flight"], input.raw.max_in_flight);

function stagesOf(input: PhaseInput, what: "users" | "requests/s"): Stage[] {
  return (input.raw.stages ?? []).map((s, j) => {
    const to = finite(input, ["stages", j, "to"], s.to, what === "users" ? "number of users" : "rate");
    if (what === "users") inFlightCount(input, ["stages", j, "to"], Math.ceil(to));
    return { to, overMs: durationMs(input, ["stages", j, "over"], s.over) };
  });
}

/** A ramp's length: `duration`, else its stages' total, which must then be more than 0. */
function rampLengthMs(input: PhaseInput, stages: Stage[]): number {
  const set = optionalMs(input, "duration", input.raw.duration);
  if (set !== undefined) return set;
  const total = stages.reduce((t, s) => t + s.overMs, 0);
  if (total === 0) input.issue(["stages"], "the stages last 0s in all: give one a length, or add duration");
  if (total > LIMITS.duration.max)
    input.issue(["stages"], `the stages last ${formatDurationMs(total)} in all: ${overLimit("duration")}`);
  return total;
}

/**
 * The arrival process and its shape. An open loop or a ramp of rate defaults to Poisson arrivals;
 * a sweep's rate steps default to constant ones, so a step that meets its SLO does not fail the
 * served/offered rule on a chance burst (its steps are judged one by one, each a few seconds long).
 */
function arrivalsOf(raw: LoadPhaseConfig, fallback: Arrivals["arrival"] = "poisson"): Arrivals {
  return {
    arrival: raw.arrival ?? fallback,
    ...(raw.burstiness !== undefined ? { burstiness: raw.burstiness } : {}),
  };
}

function requestSlos(input: PhaseInput): RequestSlo[] {
  const out: RequestSlo[] = [];
  for (const [key, expression] of Object.entries(input.raw.slo ?? {})) {
    try {
      const slo = parseRequestSlo(key, expression);
      const asThreshold = { key, expression, metric: slo.metric, op: slo.op, limit: slo.limitMs };
      const outOfRange = thresholdRangeProblem({ ...asThreshold, tags: {}, abortOnFail: false });
      if (outOfRange) input.issue(["slo", key], outOfRange);
      else out.push(slo);
    } catch (err) {
      input.issue(["slo", key], (err as Error).message);
    }
  }
  return out;
}

/** `sweep.slo`: thresholds judged on each step's own aggregate, so no tags and no run-wide metric. */
function capacitySlo(input: PhaseInput, slo: Record<string, string>): Array<Threshold<MetricName>> {
  const out: Array<Threshold<MetricName>> = [];
  for (const [key, expression] of Object.entries(slo)) {
    try {
      const t = parseThreshold(key, expression);
      if (Object.keys(t.tags).length > 0)
        input.issue(
          ["sweep", "slo", key],
          `${key}: a sweep's SLO applies to each of its steps; remove the tags`,
        );
      else if (/^(quality|compare|cost)\./.test(t.metric))
        input.issue(
          ["sweep", "slo", key],
          `${key}: a sweep step is judged on its own latency, throughput and errors, not ${t.metric}`,
        );
      else {
        const outOfRange = thresholdRangeProblem(t);
        if (outOfRange) input.issue(["sweep", "slo", key], outOfRange);
        else out.push(t);
      }
    } catch (err) {
      input.issue(["sweep", "slo", key], (err as Error).message);
    }
  }
  return out;
}

type Common = Pick<LoadPhase, "name" | "warmupMs" | "slo"> &
  Partial<Pick<LoadPhase, "targets" | "synthetic" | "failFast">>;

/** Resolves a phase of one kind; the common fields come resolved. */
type PhaseResolver = (input: PhaseInput, common: Common) => LoadPhase;

const optionalField = <K extends string, V>(key: K, value: V | undefined) =>
  (value === undefined ? {} : { [key]: value }) as Partial<Record<K, V>>;

const RESOLVERS: Record<PhaseKind, PhaseResolver> = {
  closed(input, common) {
    const { raw } = input;
    const durationMsValue = optionalMs(input, "duration", raw.duration);
    return {
      ...common,
      kind: "closed",
      users: inFlightCount(input, ["concurrency"], raw.concurrency ?? 0),
      ...optionalField("durationMs", durationMsValue),
      ...optionalField("requests", raw.requests),
      ...optionalField("thinkTimeMs", optionalMs(input, "think_time", raw.think_time)),
      ...optionalField("maxInFlight", maxInFlightOf(input)),
      timeLimitMs: optionalMs(input, "time_limit", raw.time_limit) ?? timeLimitFor(durationMsValue),
    };
  },
  open(input, common) {
    const { raw } = input;
    const durationMsValue = optionalMs(input, "duration", raw.duration);
    return {
      ...common,
      ...arrivalsOf(raw),
      kind: "open",
      rate: finite(input, ["rate"], raw.rate ?? 0, "rate"),
      ...optionalField("durationMs", durationMsValue),
      ...optionalField("requests", raw.requests),
      ...optionalField("maxInFlight", maxInFlightOf(input)),
      timeLimitMs: optionalMs(input, "time_limit", raw.time_limit) ?? timeLimitFor(durationMsValue),
    };
  },
  "ramp-users"(input, common) {
    const { raw } = input;
    const stages = stagesOf(input, "users");
    const length = rampLengthMs(input, stages);
    return {
      ...common,
      kind: "ramp-users",
      // Stages alone ramp from 0 users, as k6's ramping-vus does.
      startUsers: inFlightCount(input, ["concurrency"], raw.concurrency ?? 0),
      stages,
      durationMs: length,
      ...optionalField("requests", raw.requests),
      ...optionalField("thinkTimeMs", optionalMs(input, "think_time", raw.think_time)),
      ...optionalField("maxInFlight", maxInFlightOf(input)),
      timeLimitMs: optionalMs(input, "time_limit", raw.time_limit) ?? timeLimitFor(length),
    };
  },
  "ramp-rate"(input, common) {
    const { raw } = input;
    const stages = stagesOf(input, "requests/s");
    const length = rampLengthMs(input, stages);
    return {
      ...common,
      ...arrivalsOf(raw),
      kind: "ramp-rate",
      startRate: finite(input, ["rate"], raw.rate ?? 0, "rate"),
      stages,
      durationMs: length,
      ...optionalField("requests", raw.requests),
      ...optionalField("maxInFlight", maxInFlightOf(input)),
      timeLimitMs: optionalMs(input, "time_limit", raw.time_limit) ?? timeLimitFor(length),
    };
  },
  replay(input, common) {
    const { raw } = input;
    const trace = input.trace ?? { file: raw.replay ?? "", shape: "gauntlet", rows: [], spanMs: 0 };
    const speed = raw.speed ?? 1;
    const durationMsValue = optionalMs(input, "duration", raw.duration);
    const phase: ReplayPhase = {
      ...common,
      kind: "replay",
      trace,
      speed,
      ...optionalField("requests", raw.requests),
      ...optionalField("durationMs", durationMsValue),
      ...optionalField("maxInFlight", maxInFlightOf(input)),
      timeLimitMs: 0,
    };
    const spanMs = replaySpanMs(phase);
    phase.timeLimitMs =
      optionalMs(input, "time_limit", raw.time_limit) ??
      timeLimitFor(Math.min(durationMsValue ?? spanMs, spanMs));
    return phase;
  },
  sweep(input, common) {
    const { raw } = input;
    const sweep = raw.sweep ?? { slo: {} };
    const stepDurationMs = optionalMs(input, "duration", raw.duration) ?? DEFAULT_SWEEP_STEP_MS;
    const maxStepMs = stepDurationMs * SWEEP_STEP_MAX_FACTOR;
    return {
      ...common,
      ...arrivalsOf(raw, "constant"),
      kind: "sweep",
      capacitySlo: capacitySlo(input, sweep.slo),
      ...optionalField(
        "rates",
        sweep.rates?.map((r, j) => finite(input, ["sweep", "rates", j], r, "rate")),
      ),
      steps: sweep.steps ?? DEFAULT_SWEEP_STEPS,
      refine: sweep.refine ?? DEFAULT_SWEEP_REFINE,
      stepDurationMs,
      minStepRequests: SWEEP_STEP_MIN_REQUESTS,
      maxStepMs,
      ...optionalField("maxInFlight", maxInFlightOf(input)),
      ...optionalField("thinkTimeMs", optionalMs(input, "think_time", raw.think_time)),
      timeLimitMs: optionalMs(input, "time_limit", raw.time_limit) ?? timeLimitFor(maxStepMs),
    };
  },
};

/**
 * Resolves every load phase into its typed form, pushing each problem as a located issue: duplicate
 * names, unknown targets, unreadable SLOs and sweep SLOs, rates and stage targets that are not
 * finite, ramps of no length, more in flight than a process holds, phases that would measure nothing
 * (see phase-sense.ts). `traces` holds each replay phase's trace by phase index (see readTraces). The names are returned for
 * threshold tags; a phase with a problem is still returned, but the plan is never built then.
 */
export function resolveLoadPhases(
  suite: Suite,
  at: IssueAt,
  issues: ConfigIssue[],
  traces: ReadonlyMap<number, Trace> = new Map(),
): { phases: LoadPhase[]; names: Set<string> } {
  const names = new Set<string>();
  const phases: LoadPhase[] = [];
  suite.load.forEach((raw, i) => {
    const where: FieldPath = ["load", i];
    const trace = traces.get(i);
    const input: PhaseInput = {
      raw,
      ...(trace ? { trace } : {}),
      where,
      issue: (field, message) => issues.push(at([...where, ...field], message)),
    };
    if (names.has(raw.name)) input.issue(["name"], `duplicate phase name "${raw.name}"`);
    names.add(raw.name);
    for (const [j, t] of (raw.targets ?? []).entries()) {
      if (!Object.hasOwn(suite.targets, t)) input.issue(["targets", j], `unknown target "${t}"`);
    }
    const kind = phaseKindOf(raw);
    // The schema reports a phase of no kind; this keeps the plan total should it ever not.
    if (kind === undefined)
      return input.issue([], "expected one of concurrency, rate, stages, sweep or replay");
    const common: Common = {
      name: raw.name,
      warmupMs: optionalMs(input, "warmup", raw.warmup) ?? 0,
      slo: requestSlos(input),
      ...optionalField("targets", raw.targets),
      ...optionalField("synthetic", raw.synthetic),
      failFast: raw.fail_fast ?? suite.fail_fast ?? DEFAULT_FAIL_FAST,
    };
    const phase = RESOLVERS[kind](input, common);
    for (const problem of phaseSenseProblems(phase, raw.time_limit !== undefined))
      input.issue([problem.field], problem.message);
    phases.push(phase);
  });
  return { phases, names };
}
