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
import { clusteredPairedDifference, type ClusteredPair } from "../stats/clustered.js";
import { gateInterval } from "../stats/gate.js";
import { powerNote } from "../stats/power.js";
import { mcnemarExact, pairedDifference, wilsonInterval } from "../stats/proportions.js";

export interface CompareOptions {
  /** Names for the two sides (default: the target of the first outcome on each side). */
  baselineTarget?: string;
  candidateTarget?: string;
  /**
   * The cluster of a case (e.g. its template); cases without one are their own cluster. Default:
   * the outcomes' own `cluster` (a case's `cluster:`, or the case itself when it is repeated).
   */
  clusterOf?: (caseId: string) => string | undefined;
  /** How cases pair across the sides (default `prompt`); see PairBy. */
  pairBy?: PairBy;
}

/**
 * How a case on one side finds its pair on the other: `prompt` (the default) by case id, prompt
 * name and prompt version, so a case whose prompt changed is a different case; `case` by case id
 * alone, for comparing two prompts (or two versions of one) over the same cases. Either way the
 * i-th run of a repeated case pairs with the other side's i-th run.
 */
export type PairBy = "prompt" | "case";

// One collator: localeCompare with options builds one per call, and sorting flips is hot.
const natural = new Intl.Collator(undefined, { numeric: true });
const byCase = (a: CaseRef, b: CaseRef) =>
  natural.compare(a.caseId, b.caseId) ||
  natural.compare(a.prompt ?? "", b.prompt ?? "") ||
  a.promptVersion - b.promptVersion ||
  (a.attempt ?? 0) - (b.attempt ?? 0);

/** The key a case pairs by (without its run): see PairBy. */
export function pairKey(o: Pick<CaseOutcome, "caseId" | "prompt">, pairBy: PairBy = "prompt"): string {
  return JSON.stringify(pairBy === "case" ? [o.caseId] : [o.caseId, o.prompt.name, o.prompt.version]);
}

/**
 * Keys outcomes by their pair key and repeat index (`attempt`, else the order of occurrence), so
 * the i-th run of a repeated case pairs with the other side's i-th run.
 */
function keyed(outcomes: CaseOutcome[], pairBy: PairBy): Map<string, { o: CaseOutcome; caseKey: string }> {
  const seen = new Map<string, number>();
  const out = new Map<string, { o: CaseOutcome; caseKey: string }>();
  for (const o of outcomes) {
    const caseKey = pairKey(o, pairBy);
    const k = seen.get(caseKey) ?? 0;
    seen.set(caseKey, k + 1);
    out.set(`${caseKey}#${o.attempt ?? k}`, { o, caseKey });
  }
  return out;
}

const ref = (o: CaseOutcome): CaseRef => ({
  caseId: o.caseId,
  promptVersion: o.prompt.version,
  prompt: o.prompt.name,
  ...(o.attempt !== undefined ? { attempt: o.attempt } : {}),
});

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
 * The power note over independent units: with clusters or repeats, the pairs divided by the design
 * effect (kept between 1 and pairs / clusters, its value when every cluster moves as one; that
 * bound too when the variance assuming independence is 0).
 */
function powerOf(
  matched: number,
  discordant: number,
  alpha: number,
  clustered?: ComparisonResult["clustered"],
) {
  if (!clustered || matched === 0) return powerNote(matched, discordant, alpha);
  const most = matched / Math.max(1, clustered.clusters);
  const deff = Number.isNaN(clustered.designEffect)
    ? most
    : Math.min(most, Math.max(1, clustered.designEffect));
  const cases = Math.max(1, Math.floor(matched / deff + 1e-9));
  return { ...powerNote(cases, (discordant * cases) / matched, alpha), designEffect: deff };
}

/**
 * Compares a candidate's case outcomes with the baseline's, paired by case id and prompt (see
 * PairBy: by default a case whose prompt changed name or version is a different case). A case
 * whose request failed counts as not passed, as in the quality totals. Pure; never throws.
 */
export function compareVariants(
  baseline: CaseOutcome[],
  candidate: CaseOutcome[],
  alpha = 0.05,
  options: CompareOptions = {},
): ComparisonResult {
  const pairBy = options.pairBy ?? "prompt";
  const base = keyed(baseline, pairBy);
  const cand = keyed(candidate, pairBy);
  const table: PairedTable = { bothPass: 0, baselineOnly: 0, candidateOnly: 0, bothFail: 0 };
  const regressions: Flip[] = [];
  const improvements: Flip[] = [];
  const pairs: ClusteredPair[] = [];
  const cases = new Set<string>();
  let repeated = false;
  let identical = 0;
  let clustered = options.clusterOf !== undefined;
  const logprobPairs: Array<[OutcomeLogprobs | undefined, OutcomeLogprobs | undefined]> = [];
  const labelled: Array<[CaseOutcome, CaseOutcome]> = [];
  for (const [key, { o: b, caseKey }] of base) {
    const c = cand.get(key)?.o;
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
    cases.add(caseKey);
    if (b.attempt !== undefined || c.attempt !== undefined) repeated = true;
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
      .map(([, { o }]) => ref(o))
      .sort(byCase),
    candidate: [...cand]
      .filter(([k]) => !base.has(k))
      .map(([, { o }]) => ref(o))
      .sort(byCase),
  };
  const wald = pairedDifference(table, { alpha, method: "wald" });
  const cl = clustered && matched > 0 ? clusteredPairedDifference(pairs, alpha) : undefined;
  const gate = matched > 0 ? gateInterval(table, cl, alpha) : undefined;
  const result: ComparisonResult = {
    baseline: baselineRate,
    candidate: candidateRate,
    alpha,
    matched,
    ...(pairBy === "case" ? { pairedBy: "case" as const } : {}),
    ...(repeated ? { repeats: { cases: cases.size, runs: matched } } : {}),
    unmatched,
    table,
    recovery: baselinePassed > 0 ? candidatePassed / baselinePassed : Number.NaN,
    delta: { ...pairedDifference(table, { alpha }), wald: { lower: wald.lower, upper: wald.upper } },
    mcnemar: {
      b: table.baselineOnly,
      c: table.candidateOnly,
      pValue: mcnemarExact(table.baselineOnly, table.candidateOnly),
    },
    ...(gate ? { gate } : {}),
    flips: { regressions: regressions.sort(byCase), improvements: improvements.sort(byCase) },
    agreement: { identical, rate: matched ? identical / matched : Number.NaN },
    power: powerOf(matched, table.baselineOnly + table.candidateOnly, alpha, cl),
  };
  if (cl) result.clustered = cl;
  const logprobs = compareLogprobs(logprobPairs);
  if (logprobs) result.logprobs = logprobs;
  if (labelled.length > 0) result.classification = classificationDelta(labelled);
  return result;
}
