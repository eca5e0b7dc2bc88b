import type { FailureSample } from "../record/aggregate.js";
import type { RequestSample, SampleFailure } from "../record/request-sample.js";

/** Failures kept per kind and phase: a sample to start from, not a log (requests.ndjson has them all). */
export const FAILURE_SAMPLES_PER_KIND = 5;

/** The failure sample of request `s`, which failed with `f`. */
export function failureSampleOf(s: RequestSample, f: SampleFailure): FailureSample {
  return {
    kind: f.kind,
    message: f.message,
    ...(f.status !== undefined ? { status: f.status } : {}),
    ...(s.requestId !== undefined ? { requestId: s.requestId } : {}),
    ...(f.serverRequestId !== undefined ? { serverRequestId: f.serverRequestId } : {}),
    ...(s.caseId !== undefined ? { caseId: s.caseId } : {}),
    elapsedMs: Math.round(s.endUs - s.startUs) / 1000,
  };
}

/** Adds `sample` to `kept` unless its kind already has FAILURE_SAMPLES_PER_KIND there. */
export function keepFailureSample(kept: FailureSample[], sample: FailureSample): void {
  let same = 0;
  for (const k of kept) if (k.kind === sample.kind) same++;
  if (same < FAILURE_SAMPLES_PER_KIND) kept.push(sample);
}

/** The samples of several runs' aggregates of one phase, capped per kind as one run would be. */
export function mergeFailureSamples(all: ReadonlyArray<FailureSample[] | undefined>): FailureSample[] {
  const kept: FailureSample[] = [];
  for (const list of all) for (const s of list ?? []) keepFailureSample(kept, s);
  return kept;
}
