import type { PlanAssertion } from "../../src/config/plan-assertions.js";
import type { AssertionType } from "../../src/config/assertion-schema.js";

/** A plan assertion with the plan's defaults (trim on, case-sensitive, not off, weight 1), for tests. */
export function planAssertion(
  type: AssertionType,
  value: PlanAssertion["value"],
  options: Partial<Omit<PlanAssertion, "type" | "value">> = {},
): PlanAssertion {
  return { type, value, trim: true, caseInsensitive: false, not: false, weight: 1, ...options };
}
