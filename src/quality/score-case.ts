import type { PlanAssertion } from "../config/plan-assertions.js";
import { runAssertion, type ScoringContext } from "./assertions.js";
import { type AssertionResult } from "../record/case-outcome.js";

export interface CaseScore {
  /** Weighted mean of assertion scores, 0..1 (1 when the case has no assertions). */
  score: number;
  pass: boolean;
  results: AssertionResult[];
}

/**
 * Scores an output; the case's assertions run concurrently (judges and embeddings are requests).
 * With a `threshold`, a case passes when its weighted score reaches it; without one, every
 * assertion must pass.
 */
export async function scoreCase(
  output: string,
  assertions: PlanAssertion[],
  threshold: number | undefined,
  ctx: ScoringContext,
): Promise<CaseScore> {
  const results = await Promise.all(assertions.map((a) => runAssertion(output, a, ctx)));
  const totalWeight = assertions.reduce((w, a) => w + a.weight, 0);
  const score =
    totalWeight > 0 ? results.reduce((s, r, i) => s + r.score * assertions[i]!.weight, 0) / totalWeight : 1;
  const pass = threshold === undefined ? results.every((r) => r.pass) : score >= threshold;
  return { score, pass, results };
}
