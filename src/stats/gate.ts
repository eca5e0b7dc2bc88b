import type {
  ClusteredDifference,
  ComparisonResult,
  GateInterval,
  PairedTable,
} from "../record/comparison.js";
import { clusteredP, type Side } from "./clustered.js";
import { erfc, zTwoSided } from "./normal.js";
import { newcombeAtZ, pairedTotal } from "./proportions.js";

export type { Side } from "./clustered.js";

// The decision procedure of a comparison, in one place, so the interval a report prints, the p
// beside it and every gate's decision are one procedure and cannot disagree:
//   independent cases: Newcombe's interval (method 10);
//   clustered or repeated cases: the CR1 t interval, widened to at least Newcombe's over the same
//     pairs (clustering can only cost precision here: a narrower clustered interval is noise from
//     few clusters, and a degenerate one is zero-width).
// Each decision is "the whole (1 - alpha) interval lies beyond the limit"; its p-value is the alpha
// at which the interval's bound just reaches the limit, so p < alpha exactly when the interval
// shows it. Newcombe's bounds widen with z, so that alpha is found by bisection on z.

const Z_MAX = 40;

/**
 * The p-value of Newcombe's interval against `limit` on `side`: the alpha whose (1 - alpha)
 * interval has its upper bound (side "below") or lower bound (side "above") at the limit; 1 when the
 * observed difference is not beyond it; NaN with no pairs.
 */
export function newcombeP(table: PairedTable, limit: number, side: Side): number {
  const n = pairedTotal(table);
  if (n === 0) return Number.NaN;
  const difference = (table.candidateOnly - table.baselineOnly) / n;
  const beyond = (z: number) => {
    const ci = newcombeAtZ(table, z);
    return side === "below" ? ci.upper < limit : ci.lower > limit;
  };
  if (side === "below" ? difference >= limit : difference <= limit) return 1;
  if (beyond(Z_MAX)) return 0;
  let lo = 0;
  let hi = Z_MAX;
  for (let i = 0; i < 80 && hi - lo > 1e-13; i++) {
    const mid = (lo + hi) / 2;
    if (beyond(mid)) lo = mid;
    else hi = mid;
  }
  return erfc((lo + hi) / 2 / Math.SQRT2);
}

/** Whether the clustered figures can give a verdict: CR1 with enough clusters (older runs: CR0, any). */
const usable = (cl: ClusteredDifference) => !cl.tooFewClusters && cl.clusters > 1 && !Number.isNaN(cl.se);

/**
 * The p-value of the comparison's own decision procedure (see the top of this file) for "the
 * difference is beyond `limit` on `side`"; undefined when too few clusters give no verdict.
 */
export function gateP(
  table: PairedTable,
  clustered: ClusteredDifference | undefined,
  limit: number,
  side: Side,
): number | undefined {
  const newcombe = newcombeP(table, limit, side);
  if (!clustered) return newcombe;
  if (!usable(clustered)) return undefined;
  const df = clustered.df ?? clustered.clusters - 1;
  return Math.max(newcombe, clusteredP(clustered.difference, clustered.se, df, limit, side));
}

/**
 * The interval a comparison's gates decide by at 1 - alpha, and its p-value of no difference;
 * undefined when too few clusters give no verdict. See the top of this file.
 */
export function gateInterval(
  table: PairedTable,
  clustered: ClusteredDifference | undefined,
  alpha: number,
): GateInterval | undefined {
  const newcombe = newcombeAtZ(table, zTwoSided(alpha));
  const p0 = (below: number | undefined, above: number | undefined) =>
    below === undefined || above === undefined ? Number.NaN : Math.min(below, above);
  if (!clustered) {
    const pValue = p0(newcombeP(table, 0, "below"), newcombeP(table, 0, "above"));
    return { ...newcombe, method: "newcombe", pValue };
  }
  if (!usable(clustered) || Number.isNaN(clustered.lower)) return undefined;
  return {
    lower: Math.min(newcombe.lower, clustered.lower),
    upper: Math.max(newcombe.upper, clustered.upper),
    method: "cluster-robust",
    pValue: p0(gateP(table, clustered, 0, "below"), gateP(table, clustered, 0, "above")),
  };
}

/** A comparison's gate interval: as recorded, or computed for a run written before it was. */
export function gateOf(c: ComparisonResult): GateInterval | undefined {
  return c.gate ?? gateInterval(c.table, c.clustered, c.alpha);
}
