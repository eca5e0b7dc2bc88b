import type { Plan, PlanTarget } from "../config/plan.js";
import type { SweepPhase } from "../config/load-phase.js";
import type { ExecutablePhase } from "../load/phase-executor.js";
import { settling, type Completion, type Settling } from "../metrics/served-rate.js";
import type { PhaseAggregate } from "../record/aggregate.js";
import { SERVED_SHARE_RULE, sweepStepPhase } from "../record/sweep.js";
import type { Provider } from "../providers/types.js";
import { nowUs } from "../util/clock.js";
import type { RunEventSink } from "./events.js";
import { runLoadPhase, type LoadPhaseOptions } from "./load-run.js";

/** How a step differs from the others: its users (closed loop) or its rate (open loop). */
export type StepLoad = { users: number } | { rate: number };

/**
 * One step of a sweep as a phase of its own, named `<phase>:<label>`: it keeps the sweep's warmup,
 * time limit, per-request SLOs, synthetic requests and targets. It may run up to the sweep's
 * longest step; runSweepStep stops it as soon as it can be judged.
 */
export function sweepStep(phase: SweepPhase, label: string, load: StepLoad): ExecutablePhase {
  const common = {
    name: sweepStepPhase(phase.name, label),
    warmupMs: phase.warmupMs,
    timeLimitMs: phase.timeLimitMs,
    slo: phase.slo,
    durationMs: phase.maxStepMs,
    ...(phase.targets ? { targets: phase.targets } : {}),
    ...(phase.synthetic ? { synthetic: phase.synthetic } : {}),
    ...(phase.failFast !== undefined ? { failFast: phase.failFast } : {}),
  };
  if ("users" in load)
    return {
      ...common,
      kind: "closed",
      users: load.users,
      ...(phase.thinkTimeMs !== undefined ? { thinkTimeMs: phase.thinkTimeMs } : {}),
    };
  return {
    ...common,
    kind: "open",
    rate: load.rate,
    arrival: phase.arrival,
    ...(phase.burstiness !== undefined ? { burstiness: phase.burstiness } : {}),
    // Unset, each open-loop step has the open loop's default cap, not the sweep's.
    ...(phase.maxInFlight !== undefined ? { maxInFlight: phase.maxInFlight } : {}),
  };
}

/** What one step measured. */
export interface StepRun {
  aggregate: PhaseAggregate;
  /** Each measured request's start, end and success (warmup left out), for the served rate. */
  completions: Completion[];
  dropped: number;
  /** How long it sent requests (s). */
  durationS: number;
  /** Open-loop steps: whether served/offered had settled when it stopped. */
  settling?: Settling;
  /** Requests recorded (warmup included), how many succeeded, and why fail_fast stopped it: for run health. */
  recorded: number;
  succeeded: number;
  failedFast?: string;
}

/** How often, at most, a running step's requests are read to decide whether it can stop (µs). */
const CHECK_EVERY_US = 100_000;

/**
 * Runs one step for as long as it takes to judge it: at least the step duration and the sweep's
 * minimum of measured requests, and, on an open-loop step, until its served/offered share has
 * settled (see settling); never past the sweep's longest step. In-flight requests complete after
 * it stops sending, so a backlog shows in the step's figures.
 */
export async function runSweepStep(
  plan: Plan,
  phase: SweepPhase,
  step: { label: string; load: StepLoad },
  target: PlanTarget,
  provider: Provider,
  emit: RunEventSink,
  options: LoadPhaseOptions,
): Promise<StepRun> {
  const config = sweepStep(phase, step.label, step.load);
  const open = "rate" in step.load;
  const completions: Completion[] = [];
  const stop = new AbortController();
  const stopWithRun = () => stop.abort();
  if (options.stop.aborted) stop.abort();
  options.stop.addEventListener("abort", stopWithRun, { once: true });
  const startedUs = nowUs();
  let stoppedUs: number | undefined;
  let checkedUs = 0;
  const judgeable = (now: number): boolean => {
    if (now - startedUs < phase.stepDurationMs * 1000 || completions.length < phase.minStepRequests)
      return false;
    return !open || settling(completions, SERVED_SHARE_RULE).settled;
  };
  const watch: RunEventSink = (event) => {
    emit(event);
    if (event.type !== "request_finished" || event.warmup) return;
    const { sample } = event;
    if (sample.phase !== config.name || sample.target !== target.name) return;
    completions.push({ startUs: sample.startUs, endUs: sample.endUs, ok: sample.ok });
    const now = nowUs();
    if (stop.signal.aborted || now - checkedUs < CHECK_EVERY_US) return;
    checkedUs = now;
    if (judgeable(now)) {
      stoppedUs = now;
      stop.abort();
    }
  };
  let r: Awaited<ReturnType<typeof runLoadPhase>>;
  try {
    r = await runLoadPhase(plan, config, target, provider, watch, { ...options, stop: stop.signal });
  } finally {
    options.stop.removeEventListener("abort", stopWithRun);
  }
  const lastStartUs = completions.reduce((m, c) => Math.max(m, c.startUs), startedUs);
  return {
    aggregate: r.aggregate.toAggregate(),
    completions,
    dropped: r.dropped,
    recorded: r.recorded,
    succeeded: r.succeeded,
    ...(r.failedFast ? { failedFast: r.failedFast } : {}),
    durationS: ((stoppedUs ?? lastStartUs) - startedUs) / 1e6,
    ...(open ? { settling: settling(completions, SERVED_SHARE_RULE) } : {}),
  };
}
