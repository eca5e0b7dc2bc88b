import { PhaseAggregator } from "../../src/metrics/aggregate.js";
import { ServerTimelineRecorder } from "../../src/metrics/server-timeline.js";
import type { ServerTelemetry } from "../../src/record/server-telemetry.js";
import type { RequestSample } from "../../src/record/request-sample.js";
import type { CaseOutcome } from "../../src/record/case-outcome.js";
import { RUN_SCHEMA_VERSION, type RunResult } from "../../src/record/run-result.js";
import type { Verdict } from "../../src/record/verdict.js";

/** A finished sample: ttft and e2e in ms from a start at `i` ms; 4 output tokens, 3 gaps. */
export function sample(target: string, phase: string, i: number, ttftMs: number, ok = true): RequestSample {
  const startUs = i * 1000;
  const e2eUs = (ttftMs + 30) * 1000;
  return {
    target,
    phase,
    startUs,
    dispatchDelayUs: 50,
    ttftUs: ttftMs * 1000,
    e2eUs,
    itlGapsUs: [10_000, 10_000, 10_000],
    tpotUs: 10_000,
    outputTokens: 4,
    outputTokensEstimated: false,
    inputTokens: 10,
    chunks: 4,
    ok,
    ...(ok ? {} : { failure: { kind: "http_5xx" as const, message: "500 Internal Server Error" } }),
    endUs: startUs + e2eUs,
  };
}

export function outcome(target: string, caseId: string, over: Partial<CaseOutcome> = {}): CaseOutcome {
  return {
    caseId,
    target,
    prompt: { name: "q", version: 1 },
    output: "Paris",
    score: 1,
    pass: true,
    assertions: [{ type: "equals", score: 1, pass: true, reason: 'equals "Paris"' }],
    ttftMs: 12,
    e2eMs: 42,
    outputTokens: 4,
    ...over,
  };
}

/**
 * What a vLLM's /metrics said over the load phase: three one-second slices of every vocabulary
 * series (a queue that builds then drains), the client's in-flight count and one raw series.
 */
export function serverTelemetry(): ServerTelemetry {
  const r = new ServerTimelineRecorder();
  [0, 4, 2].forEach((waiting, s) =>
    r.add((1_700_000_000 + s) * 1e6, {
      requests_running: 8,
      requests_waiting: waiting,
      kv_cache_usage: 0.5 + waiting / 10,
      preemptions: waiting > 2 ? 1 : 0,
      batch_size: 8,
      tokens_per_step: 12,
      prompt_throughput: 400,
      generation_throughput: 900,
      "client.in_flight": 8 + waiting,
      "raw:vllm:prefix_cache_hits_total": 10 * s,
    }),
  );
  return {
    url: "http://127.0.0.1:8000/metrics",
    engine: "vllm",
    intervalMs: 1000,
    scrapes: 3,
    failures: 0,
    timeline: r.toTimeline(),
  };
}

/**
 * A small but complete run: two targets with quality cases (a pass, a failed answer, a failed
 * request), one load phase with real histograms, and a passing and a failing threshold.
 */
export function fixtureRun(over: Partial<RunResult> = {}): RunResult {
  const load = new PhaseAggregator("a", "steady");
  for (let i = 0; i < 50; i++) load.add(sample("a", "steady", i * 10, 20 + (i % 10), i !== 7));
  load.watched({
    watchedMs: 500,
    cpuShare: 0.1,
    loopDelayP50Ms: 0.05,
    loopDelayP99Ms: 0.4,
    loopDelayMaxMs: 1.2,
  });
  load.scraped(serverTelemetry());
  const quality = new PhaseAggregator("a", "quality");
  for (let i = 0; i < 3; i++) quality.add(sample("a", "quality", i, 15));
  const cases = [
    outcome("a", "c1"),
    outcome("a", "c2", {
      output: "Lyon | <b>bold</b>\nsecond line",
      score: 0,
      pass: false,
      assertions: [{ type: "equals", score: 0, pass: false, reason: 'expected "Paris", got "Lyon"' }],
    }),
    outcome("a", "c3", {
      output: "",
      error: "timeout: no first token in 60s",
      score: 0,
      pass: false,
      assertions: [],
    }),
    outcome("b", "c1", { output: "=cmd()", prompt: { name: "q", version: 2 } }),
  ];
  const thresholds: Verdict[] = [
    {
      key: "ttft.p95{phase:steady}",
      expression: "< 200ms",
      pass: true,
      observed: 29,
      limit: 200,
      unit: "ms",
      reason: "observed 29.00ms, limit < 200ms",
    },
    {
      key: "quality.pass_rate",
      expression: ">= 0.9",
      pass: false,
      observed: 0.5,
      limit: 0.9,
      unit: "fraction",
      reason: "observed 50.00%, limit >= 90.00%",
    },
  ];
  return {
    schemaVersion: RUN_SCHEMA_VERSION,
    tool: { name: "gauntlet", version: "0.1.0" },
    suite: { name: "fixture", file: "suites/fixture.yaml" },
    startedAt: "2026-11-24T10:30:00.000Z",
    finishedAt: "2026-11-24T10:30:05.500Z",
    status: "completed",
    seed: 1,
    targets: [
      {
        name: "a",
        provider: "sim",
        model: "m-a",
        url: "http://127.0.0.1:1",
        reachable: true,
        economics: { inputPerMtok: 1, outputPerMtok: 2 },
      },
      {
        name: "b",
        provider: "openai-chat",
        model: "m-b",
        url: "http://gpu-b:8000/v1",
        reachable: true,
        economics: {},
      },
    ],
    quality: {
      totals: [
        { target: "a", cases: 3, scored: 2, passed: 1, errored: 1, passRate: 1 / 3 },
        { target: "b", cases: 1, scored: 1, passed: 1, errored: 0, passRate: 1 },
      ],
      cases,
    },
    comparisons: [],
    phases: [quality.toAggregate(), load.toAggregate()],
    sweeps: [],
    thresholds,
    ...over,
  };
}
