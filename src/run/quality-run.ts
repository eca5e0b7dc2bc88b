import type { Plan, PlanTarget } from "../config/plan.js";
import { PhaseAggregator } from "../metrics/aggregate.js";
import { toSample } from "../metrics/sample.js";
import { createCollector, type ResponseRecord } from "../providers/collect.js";
import type { Provider } from "../providers/types.js";
import { scoreCase } from "../quality/score-case.js";
import { nowUs } from "../util/clock.js";
import type { CaseOutcome, RunEventSink } from "./events.js";
import { runClosedLoop } from "./pool.js";
import { retryDelayMs } from "./retry.js";

export const QUALITY_PHASE = "quality";

interface Attempt {
  record: ResponseRecord;
  startUs: number;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}

export interface QualityRunOptions {
  /** Stops scheduling new cases (Ctrl-C); in-flight ones finish or are aborted via `abort`. */
  stop: AbortSignal;
  /** Aborts in-flight requests (after the grace period). */
  abort: AbortSignal;
}

/**
 * Sends every case once to one target with bounded concurrency, scores it, and folds its timings
 * into the target's "quality" phase aggregate. `start` is when the worker became free (closed loop).
 * Busy-server and broken-connection failures are retried per `plan.retry` (quality calls only).
 */
export async function runQuality(
  plan: Plan,
  target: PlanTarget,
  provider: Provider,
  emit: RunEventSink,
  options: QualityRunOptions,
): Promise<{ aggregate: PhaseAggregator; outcomes: CaseOutcome[] }> {
  const aggregate = new PhaseAggregator(target.name, QUALITY_PHASE);
  const outcomes: CaseOutcome[] = [];
  emit({ type: "target_started", target: target.name, phase: QUALITY_PHASE, total: plan.cases.length });
  await runClosedLoop({
    count: plan.cases.length,
    concurrency: plan.qualityConcurrency,
    shouldStop: () => options.stop.aborted,
    send: async (i) => {
      const c = plan.cases[i]!;
      const attempts: Attempt[] = [];
      for (let attempt = 0; ; attempt++) {
        const { record, sink } = createCollector();
        // Closed loop: the request starts when its worker became free (or its retry was due): now.
        const startUs = nowUs();
        await provider.send({ messages: c.messages, params: target.params, stream: target.stream }, sink, {
          signal: options.abort,
        });
        attempts.push({ record, startUs });
        const delayMs = options.abort.aborted ? undefined : retryDelayMs(record, attempt, plan.retry);
        if (delayMs === undefined) return attempts;
        await sleep(delayMs, options.abort);
      }
    },
    settle: (i, attempts) => {
      const c = plan.cases[i]!;
      const meta = { target: target.name, phase: QUALITY_PHASE, caseId: c.id };
      // Every retried attempt was a real request: it counts (as a failure) and has its own line.
      for (const a of attempts.slice(0, -1)) {
        const failed = toSample(a.record, a.startUs, meta, { streamed: target.stream });
        aggregate.add(failed);
        emit({ type: "request_finished", sample: failed });
      }
      const { record, startUs } = attempts[attempts.length - 1]!;
      // A request cut short by the user's interrupt is not a data point about the server.
      if (options.abort.aborted && record.failure) return;
      // Quality calls are few: check the server's usage against the client tokenizer on them.
      const sample = toSample(record, startUs, meta, { checkUsage: true, streamed: target.stream });
      aggregate.add(sample);
      const outcome: CaseOutcome = {
        caseId: c.id,
        target: target.name,
        prompt: c.prompt,
        output: record.text,
        score: 0,
        pass: false,
        assertions: [],
        outputTokens: sample.outputTokens,
      };
      if (sample.ttftUs !== undefined) outcome.ttftMs = sample.ttftUs / 1000;
      if (sample.e2eUs !== undefined) outcome.e2eMs = sample.e2eUs / 1000;
      if (record.failure) {
        outcome.error = `${record.failure.kind}: ${record.failure.message}`;
      } else {
        const scored = scoreCase(record.text, c.assertions, c.threshold);
        Object.assign(outcome, { score: scored.score, pass: scored.pass, assertions: scored.results });
      }
      outcomes.push(outcome);
      emit({ type: "request_finished", sample, outcome });
    },
  });
  emit({ type: "target_finished", target: target.name, phase: QUALITY_PHASE });
  return { aggregate, outcomes };
}
