import type { OutcomeLogprobs, TokenTop } from "../record/case-outcome.js";
import type { LogprobComparison } from "../record/comparison.js";

/** The most likely token of a position's alternatives. */
function top1(t: TokenTop): string | undefined {
  let best: [string, number] | undefined;
  for (const alt of t.top) if (!best || alt[1] > best[1]) best = alt;
  return best?.[0];
}

/**
 * A lower bound on KL(P ‖ Q) at one position from the top-k of each side. The tokens in both lists
 * and "every other token" partition the vocabulary; the KL of the two distributions coarsened to
 * that partition is exact from the data and, by the data-processing inequality, never exceeds the
 * true KL. 0 when the lists share no token and leave the same mass outside them. In nats.
 */
export function klLowerBound(p: Array<[string, number]>, q: Array<[string, number]>): number {
  const qOf = new Map(q.map(([t, lq]) => [t, lq]));
  let kl = 0;
  let pShared = 0;
  let qShared = 0;
  const seen = new Set<string>();
  for (const [token, lp] of p) {
    const lq = qOf.get(token);
    if (lq === undefined || seen.has(token)) continue;
    seen.add(token);
    const pi = Math.exp(lp);
    pShared += pi;
    qShared += Math.exp(lq);
    // In log space: exp(lq) underflows to 0 below about -745, and p·log(p/0) would be Infinity.
    if (pi > 0) kl += pi * (lp - lq);
  }
  const pRest = Math.max(0, 1 - pShared);
  // Q's rest can only be 0 by rounding when P still has mass there; floor it so the bound stays finite.
  const qRest = Math.max(1e-12, 1 - qShared);
  if (pRest > 1e-15) kl += pRest * Math.log(pRest / qRest);
  return Math.max(0, kl);
}

/**
 * Compares two answers to one prompt position by position while their contexts are the same: the
 * common prefix of generated tokens and the first position where they differ (after it each model
 * is continuing a different text, and no comparison is fair). Returns the sums to pool.
 */
function comparePair(a: OutcomeLogprobs, b: OutcomeLogprobs) {
  let positions = 0;
  let same = 0;
  let kl = 0;
  let klMax = 0;
  let k = Number.POSITIVE_INFINITY;
  const n = Math.min(a.tokens.length, b.tokens.length);
  for (let i = 0; i < n; i++) {
    const pa = a.tokens[i]!;
    const pb = b.tokens[i]!;
    if (pa.top.length === 0 || pb.top.length === 0) break;
    positions++;
    k = Math.min(k, pa.top.length, pb.top.length);
    if (top1(pa) === top1(pb)) same++;
    const d = klLowerBound(pa.top, pb.top);
    kl += d;
    klMax = Math.max(klMax, d);
    if (pa.token !== pb.token) break;
  }
  return { positions, same, kl, klMax, k };
}

/**
 * Pools same-top-1 and the top-k KL lower bound over matched pairs that both carry logprobs;
 * undefined when none do. The KL is labelled a lower bound with its k wherever it is shown.
 */
export function compareLogprobs(
  pairs: ReadonlyArray<[OutcomeLogprobs | undefined, OutcomeLogprobs | undefined]>,
): LogprobComparison | undefined {
  let cases = 0;
  let positions = 0;
  let same = 0;
  let kl = 0;
  let klMax = 0;
  let k = Number.POSITIVE_INFINITY;
  for (const [a, b] of pairs) {
    if (!a || !b) continue;
    cases++;
    const r = comparePair(a, b);
    positions += r.positions;
    same += r.same;
    kl += r.kl;
    klMax = Math.max(klMax, r.klMax);
    k = Math.min(k, r.k);
  }
  if (cases === 0 || positions === 0) return undefined;
  return { cases, positions, sameTop1Rate: same / positions, klLowerBound: kl / positions, klMax, k };
}
