import { setMaxListeners } from "node:events";
import type { Plan, PlanTarget } from "../config/plan.js";
import { DEFAULT_FAIL_FAST, phaseRequests } from "../config/load-phase.js";
import { realTimers, type ExecutorContext, type ExecutorResult } from "../load/executor.js";
import { executePhase, offeredAt, phaseDurationS, type ExecutablePhase } from "../load/phase-executor.js";
import { phaseShapeText } from "../config/phase-shape-text.js";
import { createReplayWorkload, createWorkload } from "../load/workload.js";
import { PhaseAggregator } from "../metrics/aggregate.js";
import { requestSloChecks } from "../thresholds/request-slo.js";
import { toSample } from "../metrics/sample.js";
import { createCollector } from "../providers/collect.js";
import type { GenerationRequest, Provider } from "../providers/types.js";
import { CutOff } from "../record/failure.js";
import { nowUs } from "../util/clock.js";
import { startScraper, type ScrapeTarget } from "../telemetry/scraper.js";
import { watchClient } from "./client-watch.js";
import type { RunEventSink } from "./events.js";
import { createFailFast } from "./health.js";
import { createClientErrorWatch } from "./client-errors.js";
import { redactSample } from "./redact-sample.js";
import { NO_SECRETS, type Redactor } from "../util/redact.js";

export interface PhaseRunResult {
  aggregate: PhaseAggregator;
  sent: number;
  dropped: number;
  warmupRequests: number;
  /** Requests recorded (warmup included) and how many of them succeeded: what run health reads. */
  recorded: number;
  succeeded: number;
  /** Set when fail_fast stopped the phase: why. */
  failedFast?: string;
}

/** How often a running phase reports in-flight and offered load. */
const PROGRESS_EVERY_MS = 500;

/** What a load phase runs under: the run's stop and abort signals, its running aggregates, its redactor. */
export interface LoadPhaseOptions {
  /** Stops scheduling (Ctrl-C, abort_on_fail, an output that cannot be written). */
  stop: AbortSignal;
  /** Cuts in-flight requests off (after the grace); its reason is a CutOff. */
  abort: AbortSignal;
  running?: PhaseAggregator[];
  /** The suite's secrets, removed from failure messages as they enter the record. */
  redact?: Redactor;
  /** The target's metrics endpoint, scraped while the phase runs. */
  metrics?: ScrapeTarget;
  /** Awaited once the phase has ended, before the next starts (see RunOptions.settle). */
  settle?: () => Promise<void>;
}

/**
 * Runs one load phase on one target. Every request sent is a data point: failures are counted, never
 * retried. Requests that started within `warmup` are reported but left out of the aggregates; the
 * phase stops at `duration`/`requests`, and requests still in flight at `time_limit` are cut off and
 * recorded as `cut_off_at_phase_end` (those ended by the run's abort, `interrupted`): a phase's tail
 * is part of its result, so a server that never answers cannot pass by being waited out. When its
 * first `failFast` completed requests all failed with a non-retryable 4xx, it stops sending at once:
 * the requests in flight finish and are recorded like every other.
 */
export async function runLoadPhase(
  plan: Plan,
  phase: ExecutablePhase,
  target: PlanTarget,
  provider: Provider,
  emit: RunEventSink,
  options: LoadPhaseOptions,
): Promise<PhaseRunResult> {
  const redact = options.redact ?? NO_SECRETS;
  const aggregate = new PhaseAggregator(target.name, phase.name, requestSloChecks(phase.slo));
  // Visible while the phase runs, for thresholds with abort_on_fail.
  options.running?.push(aggregate);
  const workload = { params: target.params, stream: target.stream, seed: plan.seed };
  const next =
    phase.kind === "replay"
      ? createReplayWorkload({ ...workload, rows: phase.trace.rows })
      : createWorkload({ ...workload, cases: plan.loadCases ?? plan.cases, synthetic: phase.synthetic });
  const durationS = phaseDurationS(phase);
  const warmupUs = phase.warmupMs * 1000;
  const limitS = phase.timeLimitMs / 1000;
  const phaseAbort = new AbortController();
  const stopAll = new AbortController();
  // Every in-flight request and timer listens on these; thousands of listeners are expected.
  setMaxListeners(0, phaseAbort.signal, stopAll.signal);
  const abortAll = () => phaseAbort.abort(options.abort.reason);
  options.abort.addEventListener("abort", abortAll, { once: true });
  const stopPhase = () => stopAll.abort();
  options.stop.addEventListener("abort", stopPhase, { once: true });
  const limitTimer = setTimeout(() => {
    emit({ type: "warning", message: `${target.name}/${phase.name}: hit its time limit of ${limitS}s` });
    stopAll.abort();
    phaseAbort.abort(
      new CutOff("cut_off_at_phase_end", `still in flight at the phase's time limit (${limitS}s)`),
    );
  }, limitS * 1000);

  let warmupRequests = 0;
  let recorded = 0;
  let succeeded = 0;
  let failedFast: string | undefined;
  const failFast = createFailFast(
    phase.failFast === false ? undefined : (phase.failFast ?? DEFAULT_FAIL_FAST),
  );
  const watchClientErrors = createClientErrorWatch(emit, `${target.name}/${phase.name}`);
  let inFlight = 0;
  let sent = 0;
  const startedUs = nowUs();
  // Requests built (and encoded by the provider) ahead of their slot's time; each taken by its send.
  const ahead = new Map<number, GenerationRequest>();
  const take = (slot: number) => {
    const request = ahead.get(slot) ?? next(slot);
    ahead.delete(slot);
    return request;
  };
  const ctx: ExecutorContext = {
    clock: nowUs,
    timers: realTimers,
    stop: stopAll.signal,
    prepare(slot) {
      const request = next(slot);
      provider.prepare?.(request);
      ahead.set(slot, request);
    },
    async send(startUs, slot) {
      const { record, sink } = createCollector();
      // Never dropped: a request the time limit or the interrupt cut off is a failure of that kind.
      inFlight++;
      sent++;
      await provider.send(take(slot ?? 0), sink, { signal: phaseAbort.signal });
      inFlight--;
      const sample = redactSample(
        toSample(record, startUs, { target: target.name, phase: phase.name }, { streamed: target.stream }),
        redact,
      );
      recorded++;
      if (sample.ok) succeeded++;
      const stopReason = failedFast ? undefined : failFast.observe(sample);
      if (stopReason) {
        failedFast = stopReason;
        emit({ type: "warning", message: `${target.name}/${phase.name}: ${stopReason}` });
        stopAll.abort();
      }
      watchClientErrors(sample);
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
    total: phaseRequests(phase),
    ...(Number.isFinite(durationS) ? { durationS } : {}),
    shape: phaseShapeText(phase),
  });
  // Off the request path: a timer reports in-flight and offered load for the live view and CI lines.
  const progress = setInterval(
    () =>
      emit({
        type: "phase_progress",
        target: target.name,
        phase: phase.name,
        inFlight,
        sent,
        offered: offeredAt(phase, (nowUs() - startedUs) / 1e6),
      }),
    PROGRESS_EVERY_MS,
  );
  progress.unref();
  let result: ExecutorResult;
  const stopWatch = watchClient();
  const scraper = options.metrics
    ? startScraper({ ...options.metrics, inFlight: () => inFlight, clock: nowUs })
    : undefined;
  try {
    result = await executePhase(ctx, phase, plan.seed);
  } finally {
    clearInterval(progress);
    aggregate.watched(stopWatch());
    const server = await scraper?.stop();
    if (server) aggregate.scraped(server);
    clearTimeout(limitTimer);
    // The run's signals outlive the phase: a sweep runs many phases on them.
    options.abort.removeEventListener("abort", abortAll);
    options.stop.removeEventListener("abort", stopPhase);
  }
  aggregate.addDropped(result.dropped);
  options.running?.splice(options.running.indexOf(aggregate), 1);
  emit({ type: "target_finished", target: target.name, phase: phase.name });
  await options.settle?.();
  return {
    aggregate,
    sent: result.sent,
    dropped: result.dropped,
    warmupRequests,
    recorded,
    succeeded,
    ...(failedFast ? { failedFast } : {}),
  };
}
