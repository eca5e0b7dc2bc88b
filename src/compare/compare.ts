import type {
  ComparisonResult,
  VariantRate,
  CaseRef,
  Flip,
  ClassificationDelta,
  PairedTable,
} from "../record/comparison.js";
import type { CaseOutcome, OutcomeLogprobs } from "../record/case-outcome.js";
import { classify } from "../quality/classification.js";
import { compareLogprobs } from "./logprobs.js";
import { powerNote } from "../stats/power.js";
import {
  clusteredPairedDifference,
  mcnemarExact,
  pairedDifference,
  wilsonInterval,
} from "../stats/proportions.js";

export interface CompareOptions {
  /** Names for the two sides (default: the target of the first outcome on each side). */
  baselineTarget?: string;
  candidateTarget?: string;
  /**
   * The cluster of a case (e.g. its template); cases without one are their own cluster. Default:
   * the outcomes' own `cluster` (a case's `cluster:`, or the case itself when it is repeated).
   */
  clusterOf?: (caseId: string) => string | undefined;
}

const byCase = (a: CaseRef, b: CaseRef) =>
  a.caseId.localeCompare(b.caseId, undefined, { numeric: true }) || a.promptVersion - b.promptVersion;

/**
 * Keys outcomes by case id, prompt version and repeat index (`attempt`, else the order of
 * occurrence), so the i-th run of a repeated case pairs with the other side's i-th run.
 */
function keyed(outcomes: CaseOutcome[]): Map<string, CaseOutcome> {
  const seen = new Map<string, number>();
  const out = new Map<string, CaseOutcome>();
  for (const o of outcomes) {
    const base = JSON.stringify([o.caseId, o.prompt.version]);
    const k = seen.get(base) ?? 0;
    seen.set(base, k + 1);
    out.set(`${base}#${o.attempt ?? k}`, o);
  }
  return out;
}

const ref = (o: CaseOutcome): CaseRef => ({ caseId: o.caseId, promptVersion: o.prompt.version });

function rate(target: string, passed: number, n: number, alpha: number): VariantRate {
  return {
    target,
    cases: n,
    passed,
    passRate: n ? passed / n : Number.NaN,
    interval: wilsonInterval(passed, n, alpha),
  };
}

function flip(base: CaseOutcome, cand: CaseOutcome): Flip {
  return {
    ...ref(base),
    baselineOutput: base.output,
    candidateOutput: cand.output,
    ...(base.error !== undefined ? { baselineError: base.error } : {}),
    ...(cand.error !== undefined ? { candidateError: cand.error } : {}),
  };
}

const answer = (o: CaseOutcome) => (o.error === undefined ? o.output : undefined);

/** Both sides' classification metrics over the same labelled cases (the baseline's labels). */
function classificationDelta(pairs: Array<[CaseOutcome, CaseOutcome]>): ClassificationDelta {
  const base = classify(pairs.map(([b]) => ({ label: b.label!, output: answer(b) })));
  const cand = classify(pairs.map(([b, c]) => ({ label: b.label!, output: answer(c) })));
  return {
    cases: pairs.length,
    baselineMacroF1: base.macro.f1,
    candidateMacroF1: cand.macro.f1,
    macroF1Delta: cand.macro.f1 - base.macro.f1,
    perLabel: base.perLabel.map((s, i) => ({
      label: s.label,
      baselineF1: s.f1,
      candidateF1: cand.perLabel[i]!.f1,
    })),
  };
}

/**
 * Compares a candidate's case outcomes with the baseline's, paired by case id and prompt version
 * (a case whose prompt changed version is a different case). A case whose request failed counts as
 * not passed, as in the quality totals. Pure; never throws.
 */
export function compareVariants(
  baseline: CaseOutcome[],
  candidate: CaseOutcome[],
  alpha = 0.05,
  options: CompareOptions = {},
): ComparisonResult {
  const base = keyed(baseline);
  const cand = keyed(candidate);
  const table: PairedTable = { bothPass: 0, baselineOnly: 0, candidateOnly: 0, bothFail: 0 };
  const regressions: Flip[] = [];
  const improvements: Flip[] = [];
  const pairs: Array<{ baselinePass: boolean; candidatePass: boolean; cluster: string }> = [];
  let identical = 0;
  let clustered = options.clusterOf !== undefined;
  const logprobPairs: Array<[OutcomeLogprobs | undefined, OutcomeLogprobs | undefined]> = [];
  const labelled: Array<[CaseOutcome, CaseOutcome]> = [];
  for (const [key, b] of base) {
    const c = cand.get(key);
    if (!c) continue;
    if (b.pass && c.pass) table.bothPass++;
    else if (!b.pass && !c.pass) table.bothFail++;
    else if (b.pass) {
      table.baselineOnly++;
      regressions.push(flip(b, c));
    } else {
      table.candidateOnly++;
      improvements.push(flip(b, c));
    }
    if (b.error === undefined && c.error === undefined && b.output === c.output) identical++;
    logprobPairs.push([b.logprobs, c.logprobs]);
    if (b.label !== undefined) labelled.push([b, c]);
    const cluster = options.clusterOf ? options.clusterOf(b.caseId) : b.cluster;
    if (cluster !== undefined) clustered = true;
    pairs.push({ baselinePass: b.pass, candidatePass: c.pass, cluster: cluster ?? key });
  }
  const matched = pairs.length;
  const baselinePassed = table.bothPass + table.baselineOnly;
  const candidatePassed = table.bothPass + table.candidateOnly;
  const baselineRate = rate(
    options.baselineTarget ?? baseline[0]?.target ?? "baseline",
    baselinePassed,
    matched,
    alpha,
  );
  const candidateRate = rate(
    options.candidateTarget ?? candidate[0]?.target ?? "candidate",
    candidatePassed,
    matched,
    alpha,
  );
  const unmatched = {
    baseline: [...base]
      .filter(([k]) => !cand.has(k))
      .map(([, o]) => ref(o))
      .sort(byCase),
    candidate: [...cand]
      .filter(([k]) => !base.has(k))
      .map(([, o]) => ref(o))
      .sort(byCase),
  };
  const wald = pairedDifference(table, { alpha, method: "wald" });
  const result: ComparisonResult = {
    baseline: baselineRate,
    candidate: candidateRate,
    alpha,
    matched,
    unmatched,
    table,
    recovery: baselinePassed > 0 ? candidatePassed / baselinePassed : Number.NaN,
    delta: { ...pairedDifference(table, { alpha }), wald: { lower: wald.lower, upper: wald.upper } },
    mcnemar: {
      b: table.baselineOnly,
      c: table.candidateOnly,
      pValue: mcnemarExact(table.baselineOnly, table.candidateOnly),
    },
    flips: { regressions: regressions.sort(byCase), improvements: improvements.sort(byCase) },
    agreement: { identical, rate: matched ? identical / matched : Number.NaN },
    power: powerNote(matched, table.baselineOnly + table.candidateOnly, alpha),
  };
  if (clustered && matched > 0) result.clustered = clusteredPairedDifference(pairs, alpha);
  const logprobs = compareLogprobs(logprobPairs);
  if (logprobs) result.logprobs = logprobs;
  if (labelled.length > 0) result.classification = classificationDelta(labelled);
  return result;
}
