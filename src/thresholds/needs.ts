import type { Threshold } from "../record/verdict.js";

/**
 * What a run is about to do, as far as thresholds care: built from the plan and the command line
 * (see plannedRun in src/config), read before anything is sent.
 */
export interface PlannedRun {
  /** The targets this run sends to (--target, else every target), with whether each has prices. */
  targets: ReadonlyArray<{ name: string; priced: boolean }>;
  /** --only, when given. */
  only?: "quality" | "load";
  /** The suite's quality cases: each one's label, expected items and repeat count. */
  cases: ReadonlyArray<{ label?: string; expected?: readonly string[]; repeat: number }>;
  /** The suite's load phases: the targets each runs on (every target when absent), and whether a sweep. */
  phases: ReadonlyArray<{ name: string; targets?: readonly string[]; sweep: boolean }>;
  compare?: { baseline: string; candidates: readonly string[] };
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

/** A comparison of a baseline and a candidate that both run. */
export const COMPARED: Need = (t, run) => {
  const cmp = run.compare;
  if (!cmp) return "the suite has no compare section";
  const targets = run.targets.map((x) => x.name);
  if (!targets.includes(cmp.baseline)) return `the compare baseline "${cmp.baseline}" is not in this run`;
  const candidates = t.tags.candidate ? [t.tags.candidate] : cmp.candidates;
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
