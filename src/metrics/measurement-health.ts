import type { PhaseAggregate } from "../record/aggregate.js";
import type { ClientWatch, HealthMetric, MetricHealth, PhaseHealth } from "../record/measurement-health.js";
import { Recorder } from "./histogram.js";

/**
 * The rules a phase's figures are judged by. A token gap under 0.1 ms is two chunks read in one
 * go: no serving engine decodes tokens that fast, so such gaps are the client's reads (or the
 * server's batched writes), not token intervals.
 */
export const HEALTH_RULES = {
  /** An ITL gap under this (µs) is coalesced. */
  coalescedGapUs: 100,
  /** ITL is unreliable past this share of coalesced gaps. */
  maxCoalescedShare: 0.1,
  /** TTFT, e2e and TPOT are unreliable when the client's own delay (p99) passes this share of their p50... */
  maxClientShare: 0.1,
  /** ...and this many ms: a smaller delay is timer noise on any metric. */
  minClientDelayMs: 1,
  /** The client is saturated past this share of one core (Node runs JavaScript on one thread). */
  maxCpuShare: 0.9,
  /** An event-loop p99 delay this long (ms) means the client fell behind its sockets. */
  laggingLoopMs: 1,
} as const;

const ADVICE = "run fewer streams per process or use --shard";

const fmt = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));
const pct = (x: number) => `${(x * 100).toFixed(x < 0.1 ? 1 : 0)}%`;

/** A distribution's percentile in ms (NaN without samples). */
function p(a: PhaseAggregate, name: "ttft" | "e2e" | "itl" | "tpot" | "dispatch_delay", q: number): number {
  return Recorder.decode(a.histograms[name]).percentile(q) / 1000;
}

/** "while the client's event loop lagged 12 ms at p99 and its process used 97% of a core" */
function clientState(c: ClientWatch): string {
  const cpu =
    c.cpuShare >= HEALTH_RULES.maxCpuShare ? ` and its process used ${pct(c.cpuShare)} of a core` : "";
  return `the client's event loop lagged ${fmt(c.loopDelayP99Ms)} ms at p99${cpu}`;
}

function itlHealth(c: ClientWatch): MetricHealth {
  const share = c.itlGaps ? c.coalescedItlGaps / c.itlGaps : 0;
  const lagging = c.loopDelayP99Ms >= HEALTH_RULES.laggingLoopMs || c.cpuShare >= HEALTH_RULES.maxCpuShare;
  if (share > HEALTH_RULES.maxCoalescedShare) {
    return {
      reliable: false,
      reason: lagging
        ? `${pct(share)} of gaps coalesced while ${clientState(c)}; ${ADVICE}`
        : `${pct(share)} of gaps coalesced with the client's event loop at ${fmt(c.loopDelayP99Ms)} ms p99: ` +
          "the server writes several tokens at once, so ITL shows its writes, not its tokens; read tpot instead",
    };
  }
  if (c.cpuShare >= HEALTH_RULES.maxCpuShare)
    return { reliable: false, reason: `${clientState(c)}: chunks wait to be read; ${ADVICE}` };
  return {
    reliable: true,
    reason: `${pct(share)} of gaps coalesced; event loop ${fmt(c.loopDelayP99Ms)} ms p99`,
  };
}

/**
 * A latency timed from the scheduled start (TTFT, e2e) or between two read times (TPOT): the
 * client's own delay (a late send, a late read) lands in it. Unreliable when that delay at p99 is a
 * large share of the metric's median, or when the client's CPU is saturated.
 */
function timedHealth(
  name: string,
  c: ClientWatch,
  medianMs: number,
  delays: ReadonlyArray<[string, number]>,
): MetricHealth {
  const [label, delayMs] = delays.reduce((a, b) => (b[1] > a[1] ? b : a));
  const share = medianMs > 0 ? delayMs / medianMs : Number.POSITIVE_INFINITY;
  const evidence = `${label} ${fmt(delayMs)} ms at p99, ${Number.isFinite(share) ? pct(share) : "all"} of the ${name} p50 of ${fmt(medianMs)} ms`;
  if (delayMs > HEALTH_RULES.minClientDelayMs && share > HEALTH_RULES.maxClientShare)
    return { reliable: false, reason: `the client added up to ${evidence}; ${ADVICE}` };
  if (c.cpuShare >= HEALTH_RULES.maxCpuShare)
    return { reliable: false, reason: `${clientState(c)}: its timestamps run late; ${ADVICE}` };
  return { reliable: true, reason: `client delay ${evidence}` };
}

function tokensHealth(a: PhaseAggregate): MetricHealth {
  if (a.estimatedTokenRequests > 0)
    return {
      reliable: false,
      reason:
        `${a.estimatedTokenRequests} of ${a.successes} requests' output tokens counted by the client's o200k tokenizer ` +
        "(the server reported no usage), which may differ from the model's; throughput and TPOT follow it. " +
        "Ask the server for usage (OpenAI: stream_options.include_usage)",
    };
  return { reliable: true, reason: "the server's usage" };
}

/**
 * Each metric's verdict for a phase the client watched: pure, from the aggregate's histograms and
 * the watch, so a merged run is judged again from its merged figures. Metrics without samples get
 * no verdict.
 */
export function assessHealth(a: PhaseAggregate, client: ClientWatch): PhaseHealth {
  const metrics: Partial<Record<HealthMetric, MetricHealth>> = {};
  const loop: [string, number] = ["event-loop delay", client.loopDelayP99Ms];
  const dispatch: [string, number] = ["dispatch delay", p(a, "dispatch_delay", 99)];
  if (a.histograms.ttft.count > 0)
    metrics.ttft = timedHealth("TTFT", client, p(a, "ttft", 50), [dispatch, loop]);
  if (a.histograms.itl.count > 0) metrics.itl = itlHealth(client);
  // TPOT spans the stream after its first token: the send is outside it, a late read is not.
  if (a.histograms.tpot.count > 0)
    metrics.tpot = timedHealth("streaming time", client, p(a, "e2e", 50) - p(a, "ttft", 50), [loop]);
  if (a.histograms.e2e.count > 0) metrics.e2e = timedHealth("e2e", client, p(a, "e2e", 50), [dispatch, loop]);
  if (a.successes > 0) metrics.output_tokens = tokensHealth(a);
  return { client, metrics };
}

/** Shards' watches as one: each process had its own loop and CPU, so the worst one's; gaps add. */
export function mergeClientWatches(all: readonly ClientWatch[]): ClientWatch | undefined {
  if (all.length === 0) return undefined;
  const max = (f: (c: ClientWatch) => number) => Math.max(...all.map(f));
  const sum = (f: (c: ClientWatch) => number) => all.reduce((n, c) => n + f(c), 0);
  return {
    watchedMs: max((c) => c.watchedMs),
    cpuShare: max((c) => c.cpuShare),
    loopDelayP50Ms: max((c) => c.loopDelayP50Ms),
    loopDelayP99Ms: max((c) => c.loopDelayP99Ms),
    loopDelayMaxMs: max((c) => c.loopDelayMaxMs),
    itlGaps: sum((c) => c.itlGaps),
    coalescedItlGaps: sum((c) => c.coalescedItlGaps),
  };
}

/** "ITL unreliable: 38% of gaps coalesced while ..." for each unreliable metric of a phase. */
export function unreliableLines(h: PhaseHealth | undefined): string[] {
  if (!h) return [];
  return Object.entries(h.metrics).flatMap(([m, v]) =>
    v && !v.reliable ? [`${HEALTH_LABELS[m as HealthMetric]} unreliable: ${v.reason}`] : [],
  );
}

/** How each metric is named in a health line. */
export const HEALTH_LABELS: Record<HealthMetric, string> = {
  ttft: "TTFT",
  itl: "ITL",
  tpot: "TPOT",
  e2e: "e2e",
  output_tokens: "output tokens",
};
