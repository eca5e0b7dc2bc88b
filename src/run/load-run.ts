import { setMaxListeners } from "node:events";
import type { Plan, PlanTarget } from "../config/plan.js";
import type { LoadPhaseConfig } from "../config/schema.js";
import { constantRate, createGapSampler, stagedRate } from "../load/arrivals.js";
import { runClosedLoop } from "../load/closed-loop.js";
import { realTimers, type ExecutorContext, type ExecutorResult } from "../load/executor.js";
import { runOpenLoop } from "../load/open-loop.js";
import { createWorkload } from "../load/workload.js";
import { PhaseAggregator } from "../metrics/aggregate.js";
import { createRequestSlos } from "../metrics/request-slo.js";
import { toSample } from "../metrics/sample.js";
import { createCollector } from "../providers/collect.js";
import type { Provider } from "../providers/types.js";
import { nowUs } from "../util/clock.js";
import { parseDurationMs } from "../util/duration.js";
import type { RunEventSink } from "./events.js";

export interface PhaseRunResult {
  aggregate: PhaseAggregator;
  sent: number;
  dropped: number;
  warmupRequests: number;
}

const seconds = (d: string | number | undefined) =>
  d === undefined ? undefined : parseDurationMs(d)! / 1000;

/** The most requests a phase can have in flight: what the connection pool is sized to. */
export function phaseMaxInFlight(phase: LoadPhaseConfig): number {
  if (phase.sweep) return phase.max_in_flight ?? 256;
  if (phase.concurrency !== undefined) {
    return Math.max(phase.concurrency, ...(phase.stages ?? []).map((s) => Math.ceil(s.to)));
  }
  return phase.max_in_flight ?? 1024;
}

/**
 * Runs one load phase on one target. Every request is a data point: failures are counted, never
 * retried. Requests that started within `warmup` are reported but left out of the aggregates; the
 * phase stops at `duration`/`requests`, and in-flight requests are aborted at `time_limit`.
 */
export async function runLoadPhase(
  plan: Plan,
  phase: LoadPhaseConfig,
  target: PlanTarget,
  provider: Provider,
  emit: RunEventSink,
  options: { stop: AbortSignal; abort: AbortSignal; running?: PhaseAggregator[] },
): Promise<PhaseRunResult> {
  const aggregate = new PhaseAggregator(target.name, phase.name, createRequestSlos(phase.slo));
  // Visible while the phase runs, for thresholds with abort_on_fail.
  options.running?.push(aggregate);
  const next = createWorkload({
    cases: plan.cases,
    params: target.params,
    stream: target.stream,
    seed: plan.seed,
    synthetic: phase.synthetic,
  });
  const durationS =
    seconds(phase.duration) ??
    (phase.stages ? phase.stages.reduce((t, s) => t + seconds(s.over)!, 0) : Number.POSITIVE_INFINITY);
  const warmupUs = (seconds(phase.warmup) ?? 0) * 1e6;
  const limitS =
    seconds(phase.time_limit) ?? (Number.isFinite(durationS) ? durationS + Math.max(30, durationS) : 600);
  const phaseAbort = new AbortController();
  const stopAll = new AbortController();
  // Every in-flight request and timer listens on these; thousands of listeners are expected.
  setMaxListeners(0, phaseAbort.signal, stopAll.signal);
  const abortAll = () => phaseAbort.abort();
  options.abort.addEventListener("abort", abortAll, { once: true });
  const stopPhase = () => stopAll.abort();
  options.stop.addEventListener("abort", stopPhase, { once: true });
  const limitTimer = setTimeout(() => {
    emit({ type: "warning", message: `${target.name}/${phase.name}: hit its time limit of ${limitS}s` });
    stopAll.abort();
    phaseAbort.abort();
  }, limitS * 1000);

  let warmupRequests = 0;
  const startedUs = nowUs();
  const ctx: ExecutorContext = {
    clock: nowUs,
    timers: realTimers,
    stop: stopAll.signal,
    async send(startUs) {
      const { record, sink } = createCollector();
      await provider.send(next(), sink, { signal: phaseAbort.signal });
      if (phaseAbort.signal.aborted && record.failure) return;
      const sample = toSample(
        record,
        startUs,
        { target: target.name, phase: phase.name },
        { streamed: target.stream },
      );
      if (startUs - startedUs < warmupUs) {
        warmupRequests++;
        emit({ type: "request_finished", sample, warmup: true });
        return;
      }
      aggregate.add(sample);
      emit({ type: "request_finished", sample });
    },
  };
  emit({
    type: "target_started",
    target: target.name,
    phase: phase.name,
    total: phase.requests,
    ...(Number.isFinite(durationS) ? { durationS } : {}),
  });
  let result: ExecutorResult;
  try {
    if (phase.concurrency !== undefined) {
      const stages = (phase.stages ?? []).map((s) => ({ to: s.to, overS: seconds(s.over)! }));
      const users = stages.length ? stagedRate(phase.concurrency, stages) : constantRate(phase.concurrency);
      result = await runClosedLoop(ctx, {
        usersAt: (t) => users.rateAt(t),
        maxUsers: phaseMaxInFlight(phase),
        durationS,
        maxRequests: phase.requests,
        thinkTimeMs: phase.think_time === undefined ? undefined : parseDurationMs(phase.think_time),
      });
    } else {
      const rate = phase.rate!;
      const stages = (phase.stages ?? []).map((s) => ({ to: s.to, overS: seconds(s.over)! }));
      result = await runOpenLoop(ctx, {
        profile: stages.length ? stagedRate(rate, stages) : constantRate(rate),
        gap: createGapSampler(phase.arrival ?? "poisson", plan.seed, phase.burstiness),
        durationS,
        maxRequests: phase.requests,
        maxInFlight: phaseMaxInFlight(phase),
      });
    }
  } finally {
    clearTimeout(limitTimer);
    // The run's signals outlive the phase: a sweep runs many phases on them.
    options.abort.removeEventListener("abort", abortAll);
    options.stop.removeEventListener("abort", stopPhase);
  }
  aggregate.addDropped(result.dropped);
  options.running?.splice(options.running.indexOf(aggregate), 1);
  emit({ type: "target_finished", target: target.name, phase: phase.name });
  return { aggregate, sent: result.sent, dropped: result.dropped, warmupRequests };
}
