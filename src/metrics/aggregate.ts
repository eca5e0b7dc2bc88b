import {
  DISTRIBUTIONS,
  type DistributionName,
  type PhaseAggregate,
  type TargetEconomics,
  type EncodedHistogram,
  type ShardWindow,
} from "../record/aggregate.js";
import { FAILURE_KINDS, type FailureKind } from "../record/failure.js";
import { createRecorder, Recorder, summarize, type DistributionSummary } from "./histogram.js";
import type { RequestSample } from "../record/request-sample.js";
import { TimelineRecorder } from "./timeline.js";
import { failureSampleOf, keepFailureSample } from "./failure-samples.js";
import type { FailureSample } from "../record/aggregate.js";
import type { ClientWatch } from "../record/measurement-health.js";
import { assessHealth, HEALTH_RULES } from "./measurement-health.js";
import type { ServerTelemetry } from "../record/server-telemetry.js";

/** What a client watch measures of the process; the aggregator adds the ITL gap counts. */
export type ProcessWatch = Omit<ClientWatch, "itlGaps" | "coalescedItlGaps">;

/** Derived figures for people: latencies in ms, throughputs per second. */
export interface PhaseSummary {
  target: string;
  phase: string;
  requests: number;
  successes: number;
  dropped: number;
  errorRate: number;
  errorsByKind: Partial<Record<FailureKind, number>>;
  /**
   * Seconds from the first start to the last completion; merged from shards, the time one process
   * takes at their summed request rate (see ratesOf).
   */
  windowS: number;
  requestThroughput: number;
  outputThroughput: number;
  totalThroughput: number;
  goodput: number;
  /** Output tokens per second per GPU, when the target says how many GPUs serve it. */
  outputThroughputPerGpu?: number;
  cost?: { perRequest: number; per1k: number; perSuccess: number; total: number };
  outputTokensEstimated: boolean;
  latencyMs: Record<Exclude<DistributionName, "output_tokens">, DistributionSummary>;
  outputTokens: DistributionSummary;
}

/** Folds samples of one (target, phase) into histograms and counters; memory stays flat. */
export class PhaseAggregator {
  private readonly recorders: Record<DistributionName, Recorder>;
  private readonly timeline = new TimelineRecorder();
  private requests = 0;
  private clientErrors = 0;
  private readonly failureSamples: FailureSample[] = [];
  private dropped = 0;
  private good = 0;
  private successes = 0;
  private outputTokens = 0;
  private inputTokens = 0;
  private estimated = 0;
  private readonly usageCheck = { requests: 0, usageTokens: 0, tokenizerTokens: 0 };
  private coalescedGaps = 0;
  private watch: ProcessWatch | undefined;
  private server: ServerTelemetry | undefined;
  private windowStartUs = Number.POSITIVE_INFINITY;
  private windowEndUs = Number.NEGATIVE_INFINITY;
  private readonly errors = Object.fromEntries(FAILURE_KINDS.map((k) => [k, 0])) as Record<
    FailureKind,
    number
  >;

  constructor(
    readonly target: string,
    readonly phase: string,
    /** Per-request SLOs for goodput; a request is "good" when it succeeds and meets all of them. */
    private readonly slos: ReadonlyArray<(s: RequestSample) => boolean> = [],
  ) {
    this.recorders = {
      ttft: createRecorder("latency"),
      e2e: createRecorder("latency"),
      itl: createRecorder("latency"),
      tpot: createRecorder("latency"),
      dispatch_delay: createRecorder("latency"),
      output_tokens: createRecorder("tokens"),
    };
  }

  add(s: RequestSample): void {
    if (s.failure) keepFailureSample(this.failureSamples, failureSampleOf(s, s.failure));
    if (s.failure?.kind === "client_error") {
      this.clientErrors++;
      this.errors.client_error++;
      return;
    }
    this.requests++;
    this.windowStartUs = Math.min(this.windowStartUs, s.startUs);
    this.windowEndUs = Math.max(this.windowEndUs, s.endUs);
    this.recorders.dispatch_delay.record(s.dispatchDelayUs);
    this.timeline.add(s.startUs, s.ok, s.ok ? s.ttftUs : undefined, s.ok ? s.itlGapsUs : [], {
      endUs: s.endUs,
      ...(s.failure ? { failureKind: s.failure.kind } : {}),
    });
    if (!s.ok) {
      this.errors[s.failure!.kind]++;
      return;
    }
    this.successes++;
    if (this.slos.every((meets) => meets(s))) this.good++;
    this.outputTokens += s.outputTokens;
    this.inputTokens += s.inputTokens ?? 0;
    if (s.outputTokensEstimated) this.estimated++;
    if (s.tokenizerTokens !== undefined) {
      this.usageCheck.requests++;
      this.usageCheck.usageTokens += s.outputTokens;
      this.usageCheck.tokenizerTokens += s.tokenizerTokens;
    }
    this.recorders.output_tokens.record(s.outputTokens);
    if (s.ttftUs !== undefined) this.recorders.ttft.record(s.ttftUs);
    if (s.e2eUs !== undefined) this.recorders.e2e.record(s.e2eUs);
    if (s.tpotUs !== undefined) this.recorders.tpot.record(s.tpotUs);
    for (const gap of s.itlGapsUs) {
      this.recorders.itl.record(gap);
      if (gap < HEALTH_RULES.coalescedGapUs) this.coalescedGaps++;
    }
  }

  /** What the server's metrics endpoint said during the phase. */
  scraped(t: ServerTelemetry): void {
    this.server = t;
  }

  /** What the client saw of its own process during the phase: the aggregate then carries health verdicts. */
  watched(w: ProcessWatch): void {
    this.watch = w;
  }

  addDropped(count: number): void {
    this.dropped += count;
  }

  toAggregate(): PhaseAggregate {
    const histograms = Object.fromEntries(
      DISTRIBUTIONS.map((d) => [d, this.recorders[d].encode()]),
    ) as Record<DistributionName, EncodedHistogram>;
    const aggregate: PhaseAggregate = {
      target: this.target,
      phase: this.phase,
      requests: this.requests,
      successes: this.successes,
      failures: this.requests - this.successes,
      dropped: this.dropped,
      goodRequests: this.good,
      errorsByKind: { ...this.errors },
      ...(this.clientErrors ? { clientErrors: this.clientErrors } : {}),
      ...(this.failureSamples.length ? { failureSamples: [...this.failureSamples] } : {}),
      outputTokens: this.outputTokens,
      inputTokens: this.inputTokens,
      estimatedTokenRequests: this.estimated,
      usageCheck: { ...this.usageCheck },
      windowStartUs: this.requests ? this.windowStartUs : 0,
      windowEndUs: this.requests ? this.windowEndUs : 0,
      histograms,
      timeline: this.timeline.toTimeline(),
      ...(this.server ? { server: this.server } : {}),
    };
    if (!this.watch) return aggregate;
    const client = { ...this.watch, itlGaps: this.recorders.itl.count, coalescedItlGaps: this.coalescedGaps };
    return { ...aggregate, measurement: assessHealth(aggregate, client) };
  }
}

/** Reads an aggregate into figures people read. Pure: reports call this, never the raw samples. */
export function summarizePhase(a: PhaseAggregate, target?: TargetEconomics): PhaseSummary {
  const { windowS, per } = ratesOf(a);
  const ms = (name: DistributionName) => summarize(Recorder.decode(a.histograms[name]), 1000);
  const errorsByKind: PhaseSummary["errorsByKind"] = {};
  for (const [k, v] of Object.entries(a.errorsByKind)) if (v > 0) errorsByKind[k as FailureKind] = v;
  return {
    target: a.target,
    phase: a.phase,
    requests: a.requests,
    successes: a.successes,
    dropped: a.dropped,
    errorRate: a.requests ? a.failures / a.requests : 0,
    errorsByKind,
    windowS,
    requestThroughput: per((w) => w.successes),
    outputThroughput: per((w) => w.outputTokens),
    totalThroughput: per((w) => w.outputTokens + w.inputTokens),
    goodput: per((w) => w.goodRequests),
    ...(target?.gpus ? { outputThroughputPerGpu: per((w) => w.outputTokens) / target.gpus } : {}),
    ...(target ? costOf(a, windowS, target) : {}),
    outputTokensEstimated: a.estimatedTokenRequests > 0,
    latencyMs: {
      ttft: ms("ttft"),
      e2e: ms("e2e"),
      itl: ms("itl"),
      tpot: ms("tpot"),
      dispatch_delay: ms("dispatch_delay"),
    },
    outputTokens: summarize(Recorder.decode(a.histograms.output_tokens)),
  };
}

type Counts = Omit<ShardWindow, "startUs" | "endUs">;

/**
 * An aggregate's rates: a count over its window, or, merged from shards, the sum of each shard's
 * count over its own window, so shards that ran at different times add up to the rate one process
 * would have driven. The window is then the time one process takes at that summed request rate
 * (what a GPU-hour price is charged over), not the span from the first shard's start to the last
 * one's end.
 */
function ratesOf(a: PhaseAggregate): { windowS: number; per: (pick: (c: Counts) => number) => number } {
  const seconds = (startUs: number, endUs: number) => Math.max(0, (endUs - startUs) / 1e6);
  const spanS = seconds(a.windowStartUs, a.windowEndUs);
  const shards = a.shardWindows?.filter((w) => w.endUs > w.startUs) ?? [];
  if (shards.length === 0) return { windowS: spanS, per: (pick) => (spanS > 0 ? pick(a) / spanS : 0) };
  const per = (pick: (c: Counts) => number) =>
    shards.reduce((n, w) => n + pick(w) / seconds(w.startUs, w.endUs), 0);
  const requestRate = per((w) => w.requests);
  return { windowS: requestRate > 0 ? a.requests / requestRate : spanS, per };
}

function costOf(a: PhaseAggregate, windowS: number, t: TargetEconomics): Pick<PhaseSummary, "cost"> {
  let total: number | undefined;
  if (t.gpuHourUsd !== undefined) total = (windowS / 3600) * t.gpuHourUsd * (t.gpus ?? 1);
  else if (t.inputPerMtok !== undefined || t.outputPerMtok !== undefined) {
    total = (a.inputTokens * (t.inputPerMtok ?? 0) + a.outputTokens * (t.outputPerMtok ?? 0)) / 1e6;
  }
  if (total === undefined || a.requests === 0) return {};
  return {
    cost: {
      total,
      perRequest: total / a.requests,
      per1k: (total / a.requests) * 1000,
      perSuccess: a.successes ? total / a.successes : Number.POSITIVE_INFINITY,
    },
  };
}
