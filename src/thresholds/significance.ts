import type { Interval } from "../record/comparison.js";
import { holds, type Operator, type Threshold } from "../record/verdict.js";
import { casesNeeded, detectableDrop } from "../stats/power.js";
import { comparisonsOf, type RunFigures } from "./read.js";

/** The outcome of a regression threshold on a paired delta, and which half of the rule held. */
export interface RegressionVerdict {
  pass: boolean;
  /** The observed delta is on the wrong side of the limit. */
  beyondLimit: boolean;
  /** McNemar's p < alpha. */
  significant: boolean;
  /** Set when the cases were too few to detect a drop the size of the limit. */
  casesNeeded?: number;
  reason: string;
}

export interface RegressionVerdictOptions {
  /** The threshold's operator (default `>`, as in `compare.pass_rate_delta: "> -2pp"`). */
  op?: Operator;
  /** For the power note: matched cases and the observed share of discordant cases. */
  cases?: number;
  discordance?: number;
  /** How the interval and p were obtained, when not the default (e.g. "cluster-robust over 12 clusters"). */
  basis?: string;
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
const limitPp = (fraction: number) => `${Number((fraction * 100).toFixed(2))}pp`;

export function formatP(p: number): string {
  if (Number.isNaN(p)) return "p=n/a";
  return p < 0.001 ? `p=${p.toExponential(1)}` : `p=${p.toFixed(3)}`;
}

/**
 * The rule for a regression threshold on a paired delta (e.g. `> -2pp`): it fails only when the
 * observed delta is beyond the limit AND the difference is significant at alpha (McNemar's exact
 * p < alpha), so noise on a few cases never fails a gate and a real drop always can. The reason states the delta, its interval and p, and which half held, e.g.
 * "observed -6.0pp (95% CI -11.2pp to -0.8pp), p=0.021: a drop larger than 2pp and significant at
 * alpha 0.05 → fail". When not significant and the cases are too few to detect a drop the size of
 * the limit with 80% power, it says how many would be needed.
 */
export function regressionVerdict(
  delta: number,
  ci: Interval,
  p: number,
  limit: number,
  alpha: number,
  options: RegressionVerdictOptions = {},
): RegressionVerdict {
  const op = options.op ?? ">";
  const beyondLimit = !holds(delta, op, limit);
  const significant = p < alpha;
  const pass = !(beyondLimit && significant);
  const level = `${Number(((1 - alpha) * 100).toFixed(2))}%`;
  const basis = options.basis ? `, ${options.basis}` : "";
  const head = `observed ${formatPp(delta)} (${level} CI ${formatPp(ci.lower)} to ${formatPp(ci.upper)}${basis}), ${formatP(p)}`;
  const lowerBound = op === ">" || op === ">=";
  const breach = !lowerBound
    ? `outside the limit ${op} ${limitPp(limit)}`
    : limit < 0
      ? `a drop larger than ${limitPp(-limit)}`
      : limit === 0
        ? "a drop"
        : `a gain smaller than ${limitPp(limit)}`;
  const at = `at alpha ${alpha}`;
  let why: string;
  if (beyondLimit && significant) why = `${breach} and significant ${at} → fail`;
  else if (beyondLimit) why = `${breach} but not significant ${at} → pass`;
  else if (significant)
    why = `within the limit ${op} ${limitPp(limit)} (significant ${at}, but not that large) → pass`;
  else why = `within the limit ${op} ${limitPp(limit)} and not significant ${at} → pass`;
  const verdict: RegressionVerdict = { pass, beyondLimit, significant, reason: `${head}: ${why}` };
  // A drop-type limit the cases cannot resolve: say what they can detect and what would be needed.
  if (!significant && lowerBound && limit < 0 && options.cases !== undefined) {
    const discordance = options.discordance ?? 0;
    const detectable = detectableDrop(options.cases, discordance, alpha);
    if (detectable === undefined || detectable > -limit) {
      verdict.casesNeeded = casesNeeded(-limit, discordance, alpha);
      const can =
        detectable === undefined
          ? `${options.cases} cases cannot detect any drop`
          : `${options.cases} cases detect drops of ${formatDetectablePp(detectable)} or more`;
      verdict.reason += `; ${can} (80% power), about ${verdict.casesNeeded} are needed for ${limitPp(-limit)}`;
    }
  }
  return verdict;
}

/**
 * Judges `compare.pass_rate_delta` by the significance rule (see regressionVerdict), per candidate,
 * failing when any named candidate fails. With clustered cases (`cluster:` or repeats) the
 * interval is the cluster-robust one and p the larger of McNemar's and the clustered z-test's.
 */
export function judgeRegression(
  t: Threshold,
  _observed: number,
  figures: RunFigures,
): { pass: boolean; reason: string } | undefined {
  const judged = comparisonsOf(figures, t).map((c) => {
    // Clustered cases are not independent, which McNemar assumes: judge by the cluster-robust
    // interval, and call a drop significant only when both tests say so (the larger p).
    const cl = c.clustered;
    return {
      candidate: c.candidate.target,
      verdict: regressionVerdict(
        c.delta.difference,
        cl ?? c.delta,
        cl ? Math.max(c.mcnemar.pValue, cl.pValue) : c.mcnemar.pValue,
        t.limit,
        c.alpha,
        {
          op: t.op,
          cases: c.matched,
          discordance: (c.mcnemar.b + c.mcnemar.c) / c.matched,
          ...(cl ? { basis: `cluster-robust over ${cl.clusters} clusters` } : {}),
        },
      ),
    };
  });
  if (judged.length === 0) return undefined;
  if (judged.length === 1) return judged[0]!.verdict;
  return {
    pass: judged.every((j) => j.verdict.pass),
    reason: judged.map((j) => `${j.candidate}: ${j.verdict.reason}`).join("; "),
  };
}
