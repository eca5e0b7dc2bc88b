import type { Plan, PlanCase, PlanTarget } from "../config/plan.js";
import { PhaseAggregator } from "../metrics/aggregate.js";
import { watchClient } from "./client-watch.js";
import { toSample } from "../metrics/sample.js";
import { createCollector } from "../providers/collect.js";
import type { ResponseRecord, TokenLogprob } from "../record/response.js";
import type { Provider } from "../providers/types.js";
import type { Graders } from "../quality/assertion-types.js";
import { scoreCase } from "../quality/score-case.js";
import { scoringContext } from "../quality/scoring-context.js";
import { nowUs } from "../util/clock.js";
import type { RunEventSink } from "./events.js";
import type { CaseOutcome, OutcomeLogprobs } from "../record/case-outcome.js";
import { createClientErrorWatch } from "./client-errors.js";
import { redactSample } from "./redact-sample.js";
import { NO_SECRETS, type Redactor } from "../util/redact.js";
import { runWorkerPool } from "./pool.js";
import { cacheableUrl, cacheKey, type ResponseCache } from "./response-cache.js";
import { sendWithRetry } from "../providers/retry.js";

export const QUALITY_PHASE = "quality";

interface Attempt {
  record: ResponseRecord;
  startUs: number;
}

export interface QualityRunOptions {
  /** Stops scheduling new cases (Ctrl-C); in-flight ones finish or are aborted via `abort`. */
  stop: AbortSignal;
  /** Aborts in-flight requests (after the grace period). */
  abort: AbortSignal;
  /** Answers quality calls already made (absent unless the cache is on); never used for `sim` targets. */
  cache?: ResponseCache;
  /** What the target's server says about its model, part of every cache key (see CacheKeyParts). */
  serverIdentity?: Record<string, string | number>;
  /** Calls the suite's judge and embeddings targets for llm-judge and similar assertions. */
  graders?: Graders;
  /** The suite's secrets: removed from answers and failure messages as they enter the record. */
  redact?: Redactor;
}

/** An answer's logprobs as run.json keeps them: each token with its top-k alternatives. */
const toOutcomeLogprobs = (tokens: TokenLogprob[]): OutcomeLogprobs => ({
  tokens: tokens.map((t) => ({ token: t.token, top: t.top })),
});

/** One run of one case: the case and which of its `repeat` runs this is. */
interface Job {
  c: PlanCase;
  attempt: number;
  key?: string;
}

/** The outcome fields that come from the case itself rather than from the answer. */
function caseFields(c: PlanCase, attempt: number): Partial<CaseOutcome> {
  const repeated = c.repeat > 1;
  const cluster = c.cluster ?? (repeated ? `case:${c.id}` : undefined);
  return {
    ...(c.label !== undefined ? { label: c.label } : {}),
    ...(c.expected !== undefined ? { expected: c.expected } : {}),
    ...(cluster !== undefined ? { cluster } : {}),
    ...(repeated ? { attempt } : {}),
  };
}

/**
 * Sends every case `repeat` times (default once) to one target with bounded concurrency, scores it,
 * and folds its timings into the target's "quality" phase aggregate. `start` is when the worker
 * became free (closed loop). Busy-server and broken-connection failures are retried per
 * `plan.retry` (quality calls only). With a cache, answers already stored are scored without a
 * request, marked `cached`, and kept out of every latency figure; successful new answers are stored.
 */
export async function runQuality(
  plan: Plan,
  target: PlanTarget,
  provider: Provider,
  emit: RunEventSink,
  options: QualityRunOptions,
): Promise<{ aggregate: PhaseAggregator; outcomes: CaseOutcome[] }> {
  const aggregate = new PhaseAggregator(target.name, QUALITY_PHASE);
  const stopWatch = watchClient();
  const redact = options.redact ?? NO_SECRETS;
  const outcomes: CaseOutcome[] = [];
  const cacheUrl = options.cache ? cacheableUrl(target) : undefined;
  const cache = cacheUrl !== undefined ? options.cache : undefined;
  // `logprobs:` asks quality calls (never load samples) for top-k alternatives; each provider says
  // how on its wire. It is part of what an answer is cached under.
  const params = target.params;
  const topLogprobs = target.logprobs;
  const jobs: Job[] = plan.cases.flatMap((c) =>
    Array.from({ length: c.repeat }, (_, attempt): Job => {
      if (cacheUrl === undefined) return { c, attempt };
      const key = cacheKey({
        target: target.name,
        provider: target.provider,
        baseUrl: cacheUrl,
        model: target.model,
        params: topLogprobs ? { ...params, top_logprobs: topLogprobs } : params,
        stream: target.stream,
        messages: c.messages,
        attempt,
        ...(options.serverIdentity ? { server: options.serverIdentity } : {}),
      });
      return { c, attempt, key };
    }),
  );
  const hits = cache ? await Promise.all(jobs.map((j) => cache.get(j.key!))) : [];
  const toSend = jobs.filter((_, i) => !hits[i]);
  const writes: Array<Promise<void>> = [];
  // Scoring may call a judge, so it is async; cached answers are scored together.
  await Promise.all(
    jobs.map(async (j, i) => {
      const hit = hits[i];
      if (!hit) return;
      // Cached: no request was sent, so there is no sample and no latency; only the answer counts.
      const outcome: CaseOutcome = {
        caseId: j.c.id,
        target: target.name,
        prompt: j.c.prompt,
        output: redact(hit.text),
        score: 0,
        pass: false,
        assertions: [],
        outputTokens: hit.usage?.completionTokens ?? 0,
        ...caseFields(j.c, j.attempt),
        ...(hit.logprobs ? { logprobs: toOutcomeLogprobs(hit.logprobs) } : {}),
        cached: true,
      };
      const tokens = { inputTokens: hit.usage?.promptTokens, outputTokens: hit.usage?.completionTokens ?? 0 };
      const ctx = scoringContext(j.c, target, tokens, options.graders, options.abort, redact);
      const scored = await scoreCase(hit.text, j.c.assertions, j.c.threshold, ctx);
      Object.assign(outcome, { score: scored.score, pass: scored.pass, assertions: scored.results });
      outcomes.push(outcome);
    }),
  );
  if (cache && toSend.length < jobs.length) {
    emit({
      type: "warning",
      message: `${target.name}: ${jobs.length - toSend.length} of ${jobs.length} quality answers from the cache, not timed (without --cache they are all sent)`,
    });
  }
  emit({ type: "target_started", target: target.name, phase: QUALITY_PHASE, total: toSend.length });
  const watchClientErrors = createClientErrorWatch(emit, `${target.name}/${QUALITY_PHASE}`);
  await runWorkerPool({
    count: toSend.length,
    concurrency: plan.qualityConcurrency,
    shouldStop: () => options.stop.aborted,
    send: (i) => {
      const { c } = toSend[i]!;
      const request = { messages: c.messages, params, stream: target.stream };
      return sendWithRetry(
        async (): Promise<Attempt> => {
          const { record, sink } = createCollector();
          // Closed loop: the request starts when its worker became free (or its retry was due): now.
          const startUs = nowUs();
          await provider.send(topLogprobs ? { ...request, topLogprobs } : request, sink, {
            signal: options.abort,
          });
          return { record, startUs };
        },
        (a) => a.record.failure,
        plan.retry,
        { signal: options.abort },
      );
    },
    settle: async (i, attempts) => {
      const { c, attempt, key } = toSend[i]!;
      const meta = { target: target.name, phase: QUALITY_PHASE, caseId: c.id };
      // Every retried attempt was a real request: it counts (as a failure) and has its own line.
      for (const a of attempts.slice(0, -1)) {
        const failed = redactSample(toSample(a.record, a.startUs, meta, { streamed: target.stream }), redact);
        aggregate.add(failed);
        watchClientErrors(failed);
        emit({ type: "request_finished", sample: failed, retried: true });
      }
      // The last attempt is the case's answer; one the interrupt cut off is recorded as interrupted.
      const { record, startUs } = attempts[attempts.length - 1]!;
      // Quality calls are few: check the server's usage against the client tokenizer on them.
      const sample = redactSample(
        toSample(record, startUs, meta, { checkUsage: true, streamed: target.stream }),
        redact,
      );
      aggregate.add(sample);
      watchClientErrors(sample);
      const outcome: CaseOutcome = {
        caseId: c.id,
        target: target.name,
        prompt: c.prompt,
        // Scored raw (an assertion may look for the key itself), recorded redacted.
        output: redact(record.text),
        score: 0,
        pass: false,
        assertions: [],
        outputTokens: sample.outputTokens,
        ...caseFields(c, attempt),
        ...(record.logprobs && !record.failure ? { logprobs: toOutcomeLogprobs(record.logprobs) } : {}),
      };
      if (sample.ttftUs !== undefined) outcome.ttftMs = sample.ttftUs / 1000;
      if (sample.e2eUs !== undefined) outcome.e2eMs = sample.e2eUs / 1000;
      if (sample.inputTokens !== undefined) outcome.inputTokens = sample.inputTokens;
      if (record.requestId !== undefined) outcome.requestId = record.requestId;
      if (record.failure) {
        outcome.error = `${record.failure.kind}: ${redact(record.failure.message)}`;
        outcome.errorKind = record.failure.kind;
        if (record.failure.serverRequestId !== undefined)
          outcome.serverRequestId = record.failure.serverRequestId;
      } else {
        const ctx = scoringContext(c, target, sample, options.graders, options.abort, redact);
        const scored = await scoreCase(record.text, c.assertions, c.threshold, ctx);
        Object.assign(outcome, { score: scored.score, pass: scored.pass, assertions: scored.results });
      }
      outcomes.push(outcome);
      if (cache && key && !record.failure) {
        const { text, reasoning, toolCalls, usage, finishReason, logprobs } = record;
        // A cache that cannot be written costs a re-send next time, never this run.
        writes.push(
          cache
            .put(key, {
              text,
              reasoning,
              toolCalls,
              ...(usage ? { usage } : {}),
              ...(finishReason ? { finishReason } : {}),
              ...(logprobs ? { logprobs } : {}),
            })
            .catch(() => {}),
        );
      }
      emit({ type: "request_finished", sample, outcome });
    },
  });
  await Promise.all(writes);
  aggregate.watched(stopWatch());
  emit({ type: "target_finished", target: target.name, phase: QUALITY_PHASE });
  return { aggregate, outcomes };
}
