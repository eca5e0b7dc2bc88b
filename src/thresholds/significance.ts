import type { ComparisonResult } from "../record/comparison.js";
import type { Operator, Threshold } from "../record/verdict.js";
import { MIN_CLUSTERS } from "../stats/clustered.js";
import { gateOf, gateP, type Side } from "../stats/gate.js";
import { casesNeeded, detectableDrop } from "../stats/power.js";
import { comparisonsOf, type RunFigures } from "./read.js";

// The rule of a threshold on the paired delta (`compare.pass_rate_delta{candidate:int4}: "> -2pp"`):
// it fails only when the comparison's interval shows the delta on the wrong side of the limit,
// i.e. the whole (1 - alpha) interval lies there ("fail only when a drop beyond the margin is
// demonstrated"). Noise on a few cases never fails it, and a positive limit asks for a gain the same
// way (`> 1pp` fails when the interval lies wholly at or below +1pp). Its p-value is the interval's
// own (src/stats/gate.ts): p < alpha exactly when the interval shows it, so the two never disagree.
// Several such hypotheses in one judging (candidates, thresholds) are one family: Holm's step-down
// correction keeps the chance of any false failure at or under alpha (see judge.ts).
// The opposite gate, "pass only when staying within the margin is demonstrated", is a plain
// threshold on the interval's bound: `compare.pass_rate_delta.ci_low: "> -2pp"`.

/** One hypothesis a delta threshold tests: one comparison it names, against its limit. */
export interface MarginTest {
  /** The comparison's name in a reason: its candidate (and target, for prompts). */
  name: string;
  comparison: ComparisonResult;
  /** Where the threshold fails: the delta shown below the limit (`>`, `>=`) or above it (`<`, `<=`). */
  side: Side;
  /** The p-value of "beyond the limit" by the comparison's procedure; undefined: no verdict possible. */
  p?: number;
}

/** Percentage points with one decimal: -6.0pp, +1.5pp. */
export function formatPp(fraction: number, signed = true): string {
  const text = `${(fraction * 100).toFixed(1)}pp`;
  return signed && fraction > 0 ? `+${text}` : text === "-0.0pp" ? "0.0pp" : text;
}

/**
 * A smallest detectable drop, rounded up to the one decimal shown, so "N cases detect drops of X or
 * more" holds as written: rounded to nearest, 2,000 cases that detect 0.505pp read "0.5pp" beside
 * "about 2039 are needed for 0.5pp".
 */
export const formatDetectablePp = (fraction: number) =>
  formatPp(Math.ceil(fraction * 1000 - 1e-9) / 1000, false);

/** A limit as the user wrote it (2pp, 0.5pp): no padding zeros. */
const limitPp = (fraction: number) => `${Number((fraction * 100).toFixed(2)) || 0}pp`;

export function formatP(p: number): string {
  if (Number.isNaN(p)) return "p=n/a";
  if (p === 0) return "p<1e-300";
  return p < 0.001 ? `p=${p.toExponential(1)}` : `p=${p.toFixed(3)}`;
}

/** The side a threshold fails on; `==` and `!=` have none (the parser refuses them on a delta). */
export function failingSide(op: Operator): Side | undefined {
  if (op === ">" || op === ">=") return "below";
  if (op === "<" || op === "<=") return "above";
  return undefined;
}

/**
 * What the threshold fails on, worded exactly: `> -2pp` fails on "a drop of 2pp or more" (a delta
 * of exactly -2pp included), `>= -2pp` on "a drop of more than 2pp".
 */
export function breachText(op: Operator, limit: number): string {
  const m = limitPp(Math.abs(limit));
  const strict = op === ">=" || op === "<=";
  if (op === ">" || op === ">=") {
    if (limit < 0) return strict ? `a drop of more than ${m}` : `a drop of ${m} or more`;
    if (limit === 0) return strict ? "a drop" : "no gain (a drop or no change)";
    return strict ? `a gain of less than ${m}` : `a gain of ${m} or less`;
  }
  if (limit > 0) return strict ? `a gain of more than ${m}` : `a gain of ${m} or more`;
  if (limit === 0) return strict ? "a gain" : "no drop (a gain or no change)";
  return strict ? `a drop of less than ${m}` : `a drop of ${m} or less`;
}

/** The delta's tests for a threshold: one per comparison it names (its candidate, or every one). */
export function marginTests(t: Threshold, figures: RunFigures): MarginTest[] {
  const side = failingSide(t.op);
  if (!side) return [];
  return comparisonsOf(figures, t).map((c) => {
    const p = gateP(c.table, c.clustered, t.limit, side);
    return { name: comparisonName(c), comparison: c, side, ...(p !== undefined ? { p } : {}) };
  });
}

/** A comparison's name in a reason: the candidate, and for prompts the target they ran on. */
export function comparisonName(c: ComparisonResult): string {
  return c.by ? `${c.candidate.target} on ${c.by.target}` : c.candidate.target;
}

/** How the interval was made, as a reason names it. */
function methodText(c: ComparisonResult): string {
  const cl = c.clustered;
  if (!cl) return "Newcombe";
  const unit = c.repeats && cl.clusters === c.repeats.cases ? "cases" : "clusters";
  return `cluster-robust over ${cl.clusters} ${unit}: CR1, t on ${cl.df ?? cl.clusters - 1} df`;
}

/**
 * The verdict of one test, its p already adjusted for the family (Holm over `family` tests). The
 * reason gives the delta, the interval that decided and how it was made, the limit's exact breach,
 * whether the interval shows it, the p (and the adjusted p), and, when it is not shown and the
 * cases are too few to detect a drop the size of the limit, how many would be needed.
 */
export function marginVerdict(
  t: Threshold,
  test: MarginTest,
  adjusted: number | undefined,
  family: number,
): { pass: boolean; reason: string } {
  const c = test.comparison;
  const level = `${Number(((1 - c.alpha) * 100).toFixed(2))}%`;
  const breach = breachText(t.op, t.limit);
  const gate = gateOf(c);
  const cl = c.clustered;
  if (!gate || test.p === undefined || adjusted === undefined) {
    const clusters = cl?.clusters ?? 0;
    const what = c.repeats && clusters === c.repeats.cases ? "repeated cases" : "clusters";
    return {
      pass: false,
      reason:
        `observed ${formatPp(c.delta.difference)}: no verdict, ${clusters} ${what} are fewer than the ` +
        `${cl?.minClusters ?? MIN_CLUSTERS} a cluster-robust interval needs (cases sharing a cluster, or the runs of ` +
        `a repeated case, count once) → fail`,
    };
  }
  const head = `observed ${formatPp(c.delta.difference)} (${level} CI ${formatPp(gate.lower)} to ${formatPp(gate.upper)}, ${methodText(c)})`;
  const beyond = test.side === "below" ? "below" : "above";
  const wholly = test.side === "below" ? gate.upper < t.limit : gate.lower > t.limit;
  const corrected = family > 1;
  const pText = corrected
    ? `${formatP(test.p)}, Holm-adjusted over ${family} tests ${formatP(adjusted).slice(2)}`
    : formatP(test.p);
  const shown = adjusted < c.alpha;
  let why: string;
  if (shown)
    why = `the whole interval is ${beyond} ${limitPp(t.limit)}: ${breach} is shown (${pText} < alpha ${c.alpha}) → fail`;
  else if (wholly)
    why =
      `the whole interval is ${beyond} ${limitPp(t.limit)}, but after Holm's correction ${breach} is not shown ` +
      `(${pText}, not below alpha ${c.alpha}) → pass`;
  else {
    const [away, toward] = test.side === "below" ? ["above", "below"] : ["below", "above"];
    const other = test.side === "below" ? gate.lower < t.limit : gate.upper > t.limit;
    // The gate passes what it cannot show; with a margin, say so when staying within it is not
    // shown either (the non-inferiority gate, on .ci_low, would fail).
    const neither =
      other && t.limit !== 0
        ? `, nor is the delta shown ${away} ${limitPp(t.limit)} (the interval reaches ${toward} it)`
        : "";
    why = `${breach} is not shown: the interval reaches ${away} ${limitPp(t.limit)} (${pText})${neither} → pass`;
  }
  let reason = `${head}: ${why}`;
  // A drop-type limit the cases cannot resolve: say what they can detect and what would be needed.
  if (!shown && test.side === "below" && t.limit < 0) {
    const n = c.power.cases;
    const discordance = (c.mcnemar.b + c.mcnemar.c) / c.matched;
    const detectable = detectableDrop(n, discordance, c.alpha);
    if (detectable === undefined || detectable > -t.limit) {
      const needed = casesNeeded(-t.limit, discordance, c.alpha);
      const noun = c.power.designEffect !== undefined ? "independent cases" : "cases";
      const can =
        detectable === undefined
          ? `${n} ${noun} cannot detect any drop`
          : `${n} ${noun} detect drops of ${formatDetectablePp(detectable)} or more`;
      reason += `; ${can} (80% power), about ${needed} are needed for ${limitPp(-t.limit)}`;
    }
  }
  return { pass: !shown, reason };
}

/**
 * The verdict on a delta threshold from its tests, each p adjusted for the whole family: it fails
 * when any named comparison fails; several are reported one after another, each with its name.
 */
export function judgeMargins(
  t: Threshold,
  tests: readonly MarginTest[],
  adjusted: ReadonlyArray<number | undefined>,
  family: number,
): { pass: boolean; reason: string } | undefined {
  const judged = tests.map((test, i) => ({ test, verdict: marginVerdict(t, test, adjusted[i], family) }));
  if (judged.length === 0) return undefined;
  if (judged.length === 1) return judged[0]!.verdict;
  return {
    pass: judged.every((j) => j.verdict.pass),
    reason: judged.map((j) => `${j.test.name}: ${j.verdict.reason}`).join("; "),
  };
}
