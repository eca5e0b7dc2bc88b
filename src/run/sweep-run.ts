import type { Plan, PlanTarget } from "../config/plan.js";
import { phaseMaxInFlight, type SweepPhase } from "../config/load-phase.js";
import { summarizePhase } from "../metrics/aggregate.js";
import { servedRate } from "../metrics/served-rate.js";
import type { PhaseAggregate } from "../record/aggregate.js";
import { SERVED_SHARE_RULE, type SweepResult, type SweepStep } from "../record/sweep.js";
import type { Provider } from "../providers/types.js";
import { judge } from "../thresholds/judge.js";
import { runFigures } from "../thresholds/read.js";
import type { RunEventSink } from "./events.js";
import { capacityOf } from "./sweep-capacity.js";
import { runSweepStep, type StepLoad, type StepRun } from "./sweep-step.js";
import type { LoadPhaseOptions } from "./load-run.js";

const pct = (x: number) => `${Math.floor(x * 100)}%`;

/**
 * The served/offered rule on an open-loop step: the share it served (successes per second against
 * requests started per second) must be SERVED_SHARE_RULE or more. A step that settled is judged on
 * its whole length; one that had not settled at its longest, on its later half (what the server
 * does once the step has run longest), and says so.
 */
function servedShare(run: StepRun): { share?: number; failure?: string } {
  const rule = `needs ${pct(SERVED_SHARE_RULE)} or more`;
  const whole = servedRate(run.completions);
  if (!whole)
    return { failure: `too few requests completed to read a served rate (${run.completions.length})` };
  const s = run.settling;
  if (!s || s.settled || s.second === undefined) {
    return whole.ratio >= SERVED_SHARE_RULE
      ? { share: whole.ratio }
      : { share: whole.ratio, failure: `served ${pct(whole.ratio)} of offered (${rule})` };
  }
  const note = `served/offered did not settle in ${run.durationS.toFixed(1)}s (earlier half ${pct(s.first ?? 0)})`;
  return s.second >= SERVED_SHARE_RULE
    ? { share: s.second }
    : { share: s.second, failure: `served ${pct(s.second)} of offered in the later half (${rule}); ${note}` };
}

/** A finished step as the sweep records it, with every rule it broke. */
function stepOf(label: string, load: StepLoad, run: StepRun, phase: SweepPhase): SweepStep {
  const s = summarizePhase(run.aggregate);
  // Judged on this step's aggregate alone, under the sweep's own name: untagged thresholds leave
  // out aggregates named as sweep steps, and sweep.slo has no tags.
  const verdicts = judge(
    phase.capacitySlo,
    runFigures({ phases: [{ ...run.aggregate, phase: phase.name }] }),
  );
  const served = "rate" in load ? servedShare(run) : {};
  const failures = [
    ...verdicts.filter((v) => !v.pass).map((v) => `${v.key} ${v.reason}`),
    ...(run.dropped > 0
      ? [`${run.dropped} arrivals dropped at max_in_flight ${phaseMaxInFlight(phase)}`]
      : []),
    ...(served.failure ? [served.failure] : []),
  ];
  const pick = (d: { p50: number; p95: number; p99: number }) => ({ p50: d.p50, p95: d.p95, p99: d.p99 });
  return {
    label,
    ...("rate" in load ? { rate: load.rate } : { concurrency: load.users }),
    achievedRps: servedRate(run.completions)?.servedRps ?? s.requestThroughput,
    ...(served.share !== undefined ? { servedShare: served.share } : {}),
    durationS: run.durationS,
    requests: run.aggregate.requests,
    ttftMs: pick(s.latencyMs.ttft),
    itlMs: pick(s.latencyMs.itl),
    e2eMs: pick(s.latencyMs.e2e),
    errorRate: s.errorRate,
    sloPass: failures.length === 0,
    slo: verdicts,
    failures,
  };
}

/** A sweep's curve, its steps' aggregates, and what run health reads of it (see PhaseRunResult). */
export interface SweepRunResult {
  sweep: SweepResult;
  aggregates: PhaseAggregate[];
  recorded: number;
  succeeded: number;
  failedFast?: string;
}

/**
 * Sweep: a synchronous run (1 user), a saturation run (max_in_flight users), then open-loop rates
 * from the synchronous throughput to 20% past saturation, then bisection between the last passing
 * and first failing rate, reporting the curve and the capacity at SLO (see capacityOf). Each step
 * is an ordinary load phase named `<phase>:<step>`, run until it can be judged (see
 * runSweepStep); its aggregate is kept too.
 */
export async function runSweep(
  plan: Plan,
  phase: SweepPhase,
  target: PlanTarget,
  provider: Provider,
  emit: RunEventSink,
  options: LoadPhaseOptions,
): Promise<SweepRunResult> {
  const aggregates: PhaseAggregate[] = [];
  const steps: SweepStep[] = [];
  const health: Pick<SweepRunResult, "recorded" | "succeeded" | "failedFast"> = { recorded: 0, succeeded: 0 };
  const run = async (label: string, load: StepLoad): Promise<SweepStep> => {
    const r = await runSweepStep(plan, phase, { label, load }, target, provider, emit, options);
    aggregates.push(r.aggregate);
    health.recorded += r.recorded;
    health.succeeded += r.succeeded;
    // A step stopped by fail_fast ends the sweep: every later step would fail the same way, harder.
    if (r.failedFast) health.failedFast = r.failedFast;
    const step = stepOf(label, load, r, phase);
    steps.push(step);
    if (!step.sloPass && "rate" in load)
      emit({
        type: "warning",
        message: `${target.name}/${phase.name}: step ${label} failed: ${step.failures?.join("; ")}`,
      });
    return step;
  };
  const result = (): SweepRunResult => ({
    sweep: { target: target.name, phase: phase.name, steps, ...capacityOf(steps) },
    aggregates,
    ...health,
  });

  const synchronous = await run("synchronous", { users: 1 });
  if (options.stop.aborted || health.failedFast) return result();
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
    if (options.stop.aborted || health.failedFast) break;
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
    i < phase.refine &&
    pass !== undefined &&
    fail !== undefined &&
    !options.stop.aborted &&
    !health.failedFast;
    i++
  ) {
    const rate = (pass + fail) / 2;
    const step = await run(`${rate.toFixed(2)}rps`, { rate });
    if (step.sloPass) pass = rate;
    else fail = rate;
  }
  return result();
}
