import { GRADED_DEFAULT_THRESHOLD } from "../../config/assertion-schema.js";
import type { PlanAssertion } from "../../config/plan-assertions.js";
import { binary, graded, norm, references, type Check, type CheckVerdict } from "../assertion-types.js";
import { bleu, chrf, levenshtein, rougeL } from "../text-metrics.js";

const TOO_LONG = binary(false, "too long to compare (over 50 million cells)");

/** The best score over the references, or undefined when a comparison was too large to make. */
function best(out: string, a: PlanAssertion, metric: (h: string, r: string) => number | undefined) {
  const hyp = norm(out, a);
  let top: number | undefined;
  for (const ref of references(a)) {
    const s = metric(hyp, norm(ref, a));
    if (s === undefined) return undefined;
    top = Math.max(top ?? 0, s);
  }
  return top!;
}

function levenshteinCheck(out: string, a: PlanAssertion): CheckVerdict {
  const hyp = norm(out, a);
  const hypLength = [...hyp].length;
  let bestDistance: number | undefined;
  let bestSimilarity = 0;
  for (const ref of references(a).map((r) => norm(r, a))) {
    const refLength = [...ref].length;
    // The length difference bounds the distance from below: no need to compute what cannot pass.
    if (a.maxDistance !== undefined && Math.abs(hypLength - refLength) > a.maxDistance) continue;
    const d = levenshtein(hyp, ref);
    if (d === undefined) return TOO_LONG;
    const longest = Math.max(hypLength, refLength);
    const similarity = longest === 0 ? 1 : 1 - d / longest;
    if (bestDistance === undefined || d < bestDistance) bestDistance = d;
    bestSimilarity = Math.max(bestSimilarity, similarity);
  }
  if (a.maxDistance !== undefined) {
    const pass = bestDistance !== undefined && bestDistance <= a.maxDistance;
    const shown =
      bestDistance === undefined ? `more than ${a.maxDistance} (lengths differ too much)` : bestDistance;
    return {
      score: bestSimilarity,
      pass,
      reason: `edit distance ${shown} ${pass ? "<=" : ">"} ${a.maxDistance}`,
    };
  }
  return graded(
    bestSimilarity,
    a.threshold ?? GRADED_DEFAULT_THRESHOLD.levenshtein!,
    "levenshtein similarity",
  );
}

function metricCheck(
  type: "rouge-l" | "bleu" | "chrf",
  metric: (h: string, r: string) => number | undefined,
): Check {
  return (out, a) => {
    const s = best(out, a, metric);
    return s === undefined ? TOO_LONG : graded(s, a.threshold ?? GRADED_DEFAULT_THRESHOLD[type]!, type);
  };
}

/** Reference-based graded assertions: edit distance, ROUGE-L, BLEU, chrF (best over references). */
export const REFERENCE_CHECKS = {
  levenshtein: levenshteinCheck,
  "rouge-l": metricCheck("rouge-l", rougeL),
  // BLEU takes every reference at once (clipping and the brevity penalty use them together).
  bleu: (out, a) =>
    graded(
      bleu(
        norm(out, a),
        references(a).map((r) => norm(r, a)),
      ),
      a.threshold ?? GRADED_DEFAULT_THRESHOLD.bleu!,
      "bleu",
    ),
  chrf: metricCheck("chrf", chrf),
} satisfies Record<string, Check>;
