import type { Plan, PlanTarget } from "../config/plan.js";
import { phaseMaxInFlight, type SweepPhase } from "../config/load-phase.js";
import type { ExecutablePhase } from "../load/phase-executor.js";
import { summarizePhase, type PhaseAggregator, type PhaseSummary } from "../metrics/aggregate.js";
import { type PhaseAggregate } from "../record/aggregate.js";
import type { Provider } from "../providers/types.js";
import { type Verdict } from "../record/verdict.js";
import { judge } from "../thresholds/judge.js";
import { runFigures } from "../thresholds/read.js";
import type { RunEventSink } from "./events.js";
import { runLoadPhase } from "./load-run.js";

/** One point of a sweep's curve. */
export interface SweepStep {
  label: string;
  /** Offered open-loop rate (req/s); undefined for the closed-loop synchronous and saturation runs. */
  rate?: number;
  concurrency?: number;
  achievedRps: number;
  ttftMs: { p50: number; p95: number; p99: number };
  itlMs: { p50: number; p95: number; p99: number };
  e2eMs: { p50: number; p95: number; p99: number };
  errorRate: number;
  sloPass: boolean;
  slo: Verdict[];
}

export interface SweepResult {
  target: string;
  phase: string;
  steps: SweepStep[];
  /** Highest offered rate whose step met every SLO; undefined when even the lowest failed. */
  capacityRps?: number;
}

/**
 * The rate the server served during a step: successes over the window less one mean latency. The
 * window runs from the first start to the last completion, so it includes the last request's own
 * latency; a server that keeps up finishes within about one latency of the last arrival, while a
 * backlog drains for longer and lowers this figure below the offered rate.
 */
function servedRps(s: PhaseSummary): number {
  const busyS = s.windowS - s.latencyMs.e2e.mean / 1000;
  return busyS > 0 ? s.successes / busyS : 0;
}

/** How a step differs from the others: its users (closed loop) or its rate (open loop). */
type StepLoad = { users: number } | { rate: number };

/**
 * One step of a sweep as a phase of its own, named `<phase>:<label>`: it keeps the sweep's warmup,
 * time limit, per-request SLOs, synthetic requests and targets, and runs for the step duration.
 */
export function sweepStep(phase: SweepPhase, label: string, load: StepLoad): ExecutablePhase {
  const common = {
    name: `${phase.name}:${label}`,
    warmupMs: phase.warmupMs,
    timeLimitMs: phase.timeLimitMs,
    slo: phase.slo,
    durationMs: phase.stepDurationMs,
    ...(phase.targets ? { targets: phase.targets } : {}),
    ...(phase.synthetic ? { synthetic: phase.synthetic } : {}),
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

/**
 * Sweep: a synchronous run (1 user), a saturation run (max_in_flight users), then open-loop rates
 * from the synchronous throughput to 20% past saturation, then bisection between the last passing
 * and first failing rate, reporting the curve and the capacity at SLO. Each step is an ordinary load
 * phase named `<phase>:<step>`; its aggregate is kept too.
 */
export async function runSweep(
  plan: Plan,
  phase: SweepPhase,
  target: PlanTarget,
  provider: Provider,
  emit: RunEventSink,
  options: { stop: AbortSignal; abort: AbortSignal; running?: PhaseAggregator[] },
): Promise<{ sweep: SweepResult; aggregates: PhaseAggregate[] }> {
  const aggregates: PhaseAggregate[] = [];
  const steps: SweepStep[] = [];
  const run = async (label: string, load: StepLoad): Promise<SweepStep> => {
    const r = await runLoadPhase(plan, sweepStep(phase, label, load), target, provider, emit, options);
    const rate = "rate" in load ? load.rate : undefined;
    const aggregate = r.aggregate.toAggregate();
    aggregates.push(aggregate);
    const s = summarizePhase(aggregate);
    const verdicts = judge(phase.capacitySlo, runFigures({ phases: [aggregate] }));
    const pick = (d: { p50: number; p95: number; p99: number }) => ({ p50: d.p50, p95: d.p95, p99: d.p99 });
    const step: SweepStep = {
      label,
      ...("rate" in load ? { rate: load.rate } : { concurrency: load.users }),
      achievedRps: s.requestThroughput,
      ttftMs: pick(s.latencyMs.ttft),
      itlMs: pick(s.latencyMs.itl),
      e2eMs: pick(s.latencyMs.e2e),
      errorRate: s.errorRate,
      // A rate passes when every SLO holds and the server kept up: nothing dropped, and it served at
      // least 95% of the offered rate (a short step can meet a latency SLO while a backlog builds).
      sloPass:
        verdicts.every((v) => v.pass) &&
        r.dropped === 0 &&
        (rate === undefined || servedRps(s) >= 0.95 * rate),
      slo: verdicts,
    };
    steps.push(step);
    return step;
  };

  const synchronous = await run("synchronous", { users: 1 });
  if (options.stop.aborted) return { sweep: { target: target.name, phase: phase.name, steps }, aggregates };
  const saturation = await run("saturation", { users: phaseMaxInFlight(phase) });
  // Rates from just above the synchronous throughput to 20% past the saturation throughput, so
  // the failing edge is inside the range and bisection can find it.
  const low = Math.max(0.1, synchronous.achievedRps);
  const high = Math.max(low * 1.25, saturation.achievedRps * 1.2);
  const count = phase.steps;
  const rates =
    phase.rates ?? Array.from({ length: count }, (_, i) => low + ((high - low) * (i + 1)) / count);
  let pass: number | undefined;
  let fail: number | undefined;
  for (const rate of [...rates].sort((a, b) => a - b)) {
    if (options.stop.aborted) break;
    const step = await run(`${rate.toFixed(2)}rps`, { rate });
    if (step.sloPass) pass = rate;
    else {
      fail = rate;
      break;
    }
  }
  // Bisection between the last passing and the first failing rate.
  for (
    let i = 0;
    i < phase.refine && pass !== undefined && fail !== undefined && !options.stop.aborted;
    i++
  ) {
    const rate = (pass + fail) / 2;
    const step = await run(`${rate.toFixed(2)}rps`, { rate });
    if (step.sloPass) pass = rate;
    else fail = rate;
  }
  const result: SweepResult = { target: target.name, phase: phase.name, steps };
  if (pass !== undefined) result.capacityRps = pass;
  return { sweep: result, aggregates };
}
