import { FAILURE_KINDS, type FailureKind } from "../record/failure.js";
import { DISTRIBUTIONS, type PhaseAggregate, type ShardWindow } from "../record/aggregate.js";
import { Recorder } from "./histogram.js";
import { mergeTimelines } from "./timeline.js";
import { assessHealth, mergeClientWatches } from "./measurement-health.js";
import { mergeFailureSamples } from "./failure-samples.js";
import { mergeServerTelemetry } from "./server-timeline.js";

/** An aggregate's own windows: the shards it was merged from, or its own window when it has requests. */
function windowsOf(a: PhaseAggregate): ShardWindow[] {
  if (a.shardWindows) return a.shardWindows;
  if (a.requests === 0) return [];
  const { requests, successes, goodRequests, outputTokens, inputTokens } = a;
  return [
    {
      startUs: a.windowStartUs,
      endUs: a.windowEndUs,
      requests,
      successes,
      goodRequests,
      outputTokens,
      inputTokens,
    },
  ];
}

/**
 * Merges aggregates of the same (target, phase) from several runs (shards) exactly: counters add,
 * the window spans the earliest start to the latest end, and each shard's own window is kept, so
 * rates are each shard's own summed (shards seldom start together); HDR histograms add bucket by
 * bucket, so a merged percentile is the percentile of all the samples, not an average of percentiles.
 */
export function mergeAggregates(all: PhaseAggregate[]): PhaseAggregate[] {
  const groups = new Map<string, PhaseAggregate[]>();
  for (const a of all) {
    const key = `${a.target}\u0000${a.phase}`;
    groups.set(key, [...(groups.get(key) ?? []), a]);
  }
  return [...groups.values()].map((group) => {
    const [first, ...rest] = group as [PhaseAggregate, ...PhaseAggregate[]];
    if (rest.length === 0) return first;
    const sum = (f: (a: PhaseAggregate) => number) => group.reduce((n, a) => n + f(a), 0);
    const withRequests = group.filter((a) => a.requests > 0);
    const errorsByKind = Object.fromEntries(
      FAILURE_KINDS.map((k) => [k, sum((a) => a.errorsByKind[k] ?? 0)]),
    ) as Record<FailureKind, number>;
    const clientErrors = sum((a) => a.clientErrors ?? 0);
    const failureSamples = mergeFailureSamples(group.map((a) => a.failureSamples));
    const histograms = Object.fromEntries(
      DISTRIBUTIONS.map((d) => {
        const merged = Recorder.decode(first.histograms[d]);
        for (const a of rest) merged.merge(Recorder.decode(a.histograms[d]));
        return [d, merged.encode()];
      }),
    ) as PhaseAggregate["histograms"];
    const merged: PhaseAggregate = {
      target: first.target,
      phase: first.phase,
      requests: sum((a) => a.requests),
      successes: sum((a) => a.successes),
      failures: sum((a) => a.failures),
      dropped: sum((a) => a.dropped),
      goodRequests: sum((a) => a.goodRequests),
      errorsByKind,
      ...(clientErrors ? { clientErrors } : {}),
      ...(failureSamples.length ? { failureSamples } : {}),
      outputTokens: sum((a) => a.outputTokens),
      inputTokens: sum((a) => a.inputTokens),
      estimatedTokenRequests: sum((a) => a.estimatedTokenRequests),
      usageCheck: {
        requests: sum((a) => a.usageCheck?.requests ?? 0),
        usageTokens: sum((a) => a.usageCheck?.usageTokens ?? 0),
        tokenizerTokens: sum((a) => a.usageCheck?.tokenizerTokens ?? 0),
      },
      windowStartUs: withRequests.length ? Math.min(...withRequests.map((a) => a.windowStartUs)) : 0,
      windowEndUs: withRequests.length ? Math.max(...withRequests.map((a) => a.windowEndUs)) : 0,
      shardWindows: group.flatMap(windowsOf),
      histograms,
      timeline: mergeTimelines(group.flatMap((a) => (a.timeline ? [a.timeline] : []))),
    };
    const server = mergeServerTelemetry(group.flatMap((a) => (a.server ? [a.server] : [])));
    if (server) merged.server = server;
    // Judged again from the merged figures, with the worst shard's client (see mergeClientWatches).
    const client = mergeClientWatches(group.flatMap((a) => (a.measurement ? [a.measurement.client] : [])));
    return client ? { ...merged, measurement: assessHealth(merged, client) } : merged;
  });
}
