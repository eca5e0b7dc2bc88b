import type { Threshold } from "../record/verdict.js";
import { MIN_CLUSTERS } from "../stats/clustered.js";

/**
 * What a run is about to do, as far as thresholds care: built from the plan and the command line
 * (see plannedRun in src/config), read before anything is sent.
 */
export interface PlannedRun {
  /** The targets this run sends to (--target, else every target), with whether each has prices. */
  targets: ReadonlyArray<{ name: string; priced: boolean }>;
  /** --only, when given. */
  only?: "quality" | "load";
  /** The suite's quality cases: each one's id, label, expected items, cluster and repeat count. */
  cases: ReadonlyArray<{
    id?: string;
    label?: string;
    expected?: readonly string[];
    cluster?: string;
    repeat: number;
  }>;
  /** The suite's load phases: the targets each runs on (every target when absent), and whether a sweep. */
  phases: ReadonlyArray<{ name: string; targets?: readonly string[]; sweep: boolean }>;
  compare?: CompareSpec;
}

/**
 * The suite's `compare:` section as the plan holds it: the baseline and candidates are targets
 * (`by: target`, over the same cases) or prompts (`by: prompt`, over the cases naming them both,
 * on every target run).
 */
export interface CompareSpec {
  by: "target" | "prompt";
  baseline: string;
  candidates: string[];
  alpha: number;
}

/**
 * One thing a metric needs to get a sample: why this run cannot give it one, or undefined when it
 * can. A metric lists its needs in order; the first unmet one is the error.
 */
export type Need = (t: Threshold, run: PlannedRun) => string | undefined;

const names = (run: PlannedRun, t: Threshold) =>
  t.tags.target ? [t.tags.target] : run.targets.map((x) => x.name);

/** The (target, phase) pairs whose aggregates the run will produce for the threshold's targets. */
function measured(run: PlannedRun, t: Threshold): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const target of names(run, t)) {
    if (run.only !== "load" && run.cases.length > 0) out.push([target, "quality"]);
    if (run.only === "quality") continue;
    for (const p of run.phases) {
      // A sweep's steps are left out of untagged thresholds; a tag naming the sweep selects them.
      const selected = p.sweep ? t.tags.phase === p.name : true;
      if (selected && (!p.targets || p.targets.includes(target))) out.push([target, p.name]);
    }
  }
  return out.filter(([, phase]) => !t.tags.phase || phase === t.tags.phase);
}

function noPhaseReason(t: Threshold, run: PlannedRun): string {
  const phase = t.tags.phase;
  if (phase === "quality")
    return run.cases.length === 0 ? "the suite has no cases" : "--only load runs no quality cases";
  if (phase && run.only === "quality") return `--only quality does not run phase "${phase}"`;
  if (phase) return `phase "${phase}" does not run on ${names(run, t).join(", ")}`;
  if (run.cases.length === 0 && run.phases.length === 0) return "the suite has no cases and no load phases";
  if (run.only === "quality") return "the suite has no cases";
  if (run.only === "load") return "the suite has no load phases outside sweeps";
  return "nothing in this run measures it";
}

/**
 * A per-request figure of the tagged phases and targets: some phase must run there (a sweep only
 * when the `phase` tag names it).
 */
export const MEASURED: Need = (t, run) => (measured(run, t).length === 0 ? noPhaseReason(t, run) : undefined);

/** A cost: every target measured for it has prices. */
export const PRICED: Need = (t, run) => {
  const targets = new Set(measured(run, t).map(([target]) => target));
  const unpriced = run.targets.filter((x) => targets.has(x.name) && !x.priced).map((x) => x.name);
  return unpriced.length > 0 ? `target ${unpriced.join(", ")} has no pricing` : undefined;
};

/** Quality cases scored in this run. */
export const SCORED: Need = (_t, run) => {
  if (run.cases.length === 0) return "the suite has no cases";
  return run.only === "load" ? "--only load runs no quality cases" : undefined;
};

/** A comparison of a baseline and a candidate that both run (targets), or of prompts on a target that runs. */
export const COMPARED: Need = (t, run) => {
  const cmp = run.compare;
  if (!cmp) return "the suite has no compare section";
  const candidates = t.tags.candidate ? [t.tags.candidate] : cmp.candidates;
  if (cmp.by === "prompt") return run.targets.length > 0 ? undefined : "no target runs";
  const targets = run.targets.map((x) => x.name);
  if (!targets.includes(cmp.baseline)) return `the compare baseline "${cmp.baseline}" is not in this run`;
  return candidates.some((c) => targets.includes(c))
    ? undefined
    : `no compare candidate (${candidates.join(", ")}) is in this run`;
};

const labels = (run: PlannedRun) =>
  [...new Set(run.cases.flatMap((c) => (c.label === undefined ? [] : [c.label])))].sort();

/** Cases with a `label:` (classification). */
export const LABELLED: Need = (_t, run) =>
  labels(run).length === 0 ? 'no case has a label (add label: "{{label}}" to the cases)' : undefined;

/** A per-label metric: the `label` tag names one of the cases' labels. */
export const ONE_LABEL: Need = (t, run) => {
  const all = labels(run);
  const label = t.tags.label;
  if (label === undefined) return `${t.metric} is per label: name one, e.g. ${t.metric}{label:${all[0]}}`;
  return all.includes(label) ? undefined : `no case has label "${label}" (labels: ${all.join(", ")})`;
};

/** Cases with `expected:` items (extraction). */
export const EXPECTED: Need = (_t, run) =>
  run.cases.some((c) => c.expected !== undefined) ? undefined : "no case has expected: items";

/** A case that runs more than once. */
export const REPEATED: Need = (_t, run) =>
  run.cases.some((c) => c.repeat > 1)
    ? undefined
    : "no case repeats (set quality.repeat or a case's repeat: K)";

/**
 * A comparison whose interval can be made: when cases share clusters or repeat, the cluster-robust
 * interval needs at least MIN_CLUSTERS clusters (a repeated case is one; a case with neither is its
 * own), or no verdict can be given.
 */
export const ENOUGH_CLUSTERS: Need = (_t, run) => {
  const clustered = run.cases.some((c) => c.cluster !== undefined || c.repeat > 1);
  if (!clustered) return undefined;
  const clusters = new Set(
    run.cases.map((c, i) => (c.cluster !== undefined ? `cluster:${c.cluster}` : `case:${c.id ?? i}`)),
  );
  return clusters.size >= MIN_CLUSTERS
    ? undefined
    : `the cases form ${clusters.size} cluster${clusters.size === 1 ? "" : "s"}, fewer than the ${MIN_CLUSTERS} a cluster-robust interval needs (cases sharing a cluster, or the runs of a repeated case, count once)`;
};
