import type { AssertionType } from "../config/assertion-schema.js";
import type { PlanAssertion } from "../config/plan-assertions.js";
import type { Check, ScoringContext } from "./assertion-types.js";
import type { AssertionResult } from "../record/case-outcome.js";
import { JAVASCRIPT_CHECKS } from "./assertions/javascript.js";
import { JSON_CHECKS } from "./assertions/json.js";
import { MEASURED_CHECKS } from "./assertions/measured.js";
import { MODEL_GRADED_CHECKS } from "./assertions/model-graded.js";
import { REFERENCE_CHECKS } from "./assertions/reference.js";
import { TEXT_CHECKS } from "./assertions/text.js";

export type { ScoringContext } from "./assertion-types.js";
export { bareContext } from "./assertion-types.js";

/** One check per assertion type; the Record makes the compiler demand a handler for each. */
export const ASSERTIONS: Record<AssertionType, Check> = {
  equals: TEXT_CHECKS.equals,
  contains: TEXT_CHECKS.contains,
  icontains: TEXT_CHECKS.icontains,
  "starts-with": TEXT_CHECKS["starts-with"],
  regex: TEXT_CHECKS.regex,
  "one-of": TEXT_CHECKS["one-of"],
  "is-json": JSON_CHECKS["is-json"],
  "json-schema": JSON_CHECKS["json-schema"],
  "json-path": JSON_CHECKS["json-path"],
  number: MEASURED_CHECKS.number,
  levenshtein: REFERENCE_CHECKS.levenshtein,
  "rouge-l": REFERENCE_CHECKS["rouge-l"],
  bleu: REFERENCE_CHECKS.bleu,
  chrf: REFERENCE_CHECKS.chrf,
  similar: MODEL_GRADED_CHECKS.similar,
  "llm-judge": MODEL_GRADED_CHECKS["llm-judge"],
  javascript: JAVASCRIPT_CHECKS.javascript,
  latency: MEASURED_CHECKS.latency,
  cost: MEASURED_CHECKS.cost,
};

/**
 * Runs one assertion. Never rejects: a check that throws (a judge that cannot be reached, a user
 * function that throws) fails the assertion with the error as its reason. `not` inverts the pass and
 * turns the score s into 1 − s.
 */
export async function runAssertion(
  output: string,
  a: PlanAssertion,
  ctx: ScoringContext,
): Promise<AssertionResult> {
  let verdict;
  try {
    verdict = await ASSERTIONS[a.type](output, a, ctx);
  } catch (err) {
    verdict = { score: 0, pass: false, reason: `error: ${err instanceof Error ? err.message : String(err)}` };
  }
  const result: AssertionResult = a.not
    ? { type: a.type, score: 1 - verdict.score, pass: !verdict.pass, reason: `not: ${verdict.reason}` }
    : { type: a.type, score: verdict.score, pass: verdict.pass, reason: verdict.reason };
  if (verdict.detail !== undefined) result.detail = verdict.detail;
  return result;
}
