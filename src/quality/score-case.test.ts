import { describe, expect, it } from "vitest";
import type { PlanAssertion } from "../config/plan.js";
import type { AssertionType } from "../config/schema.js";
import { bareContext } from "./assertion-types.js";
import { scoreCase } from "./score-case.js";

const ctx = bareContext();

const assertion = (
  type: AssertionType,
  value: string | string[],
  options: Partial<Omit<PlanAssertion, "type" | "value">> = {},
): PlanAssertion => ({ type, value, trim: true, caseInsensitive: false, not: false, weight: 1, ...options });

const OUTPUT = "The capital of France is Paris.";
const pass = (weight = 1) => assertion("contains", "Paris", { weight });
const fail = (weight = 1) => assertion("contains", "Lyon", { weight });

describe("scoreCase", () => {
  it.each([
    ["no assertions", [], undefined, 1, true],
    ["one passing", [pass()], undefined, 1, true],
    ["one failing", [fail()], undefined, 0, false],
    ["all must pass without a threshold", [pass(), pass(), fail()], undefined, 2 / 3, false],
    ["weights 3:1, failing the light one", [pass(3), fail(1)], undefined, 0.75, false],
    ["weights 3:1, threshold below the score", [pass(3), fail(1)], 0.7, 0.75, true],
    ["weights 3:1, threshold equal to the score", [pass(3), fail(1)], 0.75, 0.75, true],
    ["weights 3:1, threshold above the score", [pass(3), fail(1)], 0.8, 0.75, false],
    ["weights 1:3, failing the heavy one", [pass(1), fail(3)], 0.5, 0.25, false],
    ["a zero-weight failure does not lower the score", [pass(1), fail(0)], 1, 1, true],
    ["…but still fails the case without a threshold", [pass(1), fail(0)], undefined, 1, false],
    ["threshold 0 passes anything", [fail()], 0, 0, true],
    ["threshold 1 needs every weighted assertion", [pass(2), pass(1)], 1, 1, true],
    ["not flips a failure into a pass", [assertion("contains", "Lyon", { not: true })], undefined, 1, true],
  ])("%s", async (_name, assertions, threshold, score, ok) => {
    const r = await scoreCase(OUTPUT, assertions, threshold, ctx);
    expect(r.score).toBeCloseTo(score, 12);
    expect(r.pass).toBe(ok);
    expect(r.results).toHaveLength(assertions.length);
    expect(r.results.map((x) => x.type)).toEqual(assertions.map((a) => a.type));
  });

  it.each([
    ["empty output", "", [assertion("equals", ""), assertion("contains", "Paris")], 0.5, false],
    ["unicode output", "答え: 東京 ✅", [assertion("contains", "東京"), assertion("regex", "✅$")], 1, true],
    [
      "1 MB output",
      "x".repeat(1_000_000) + " Paris",
      [assertion("contains", "Paris"), assertion("starts-with", "xxx"), assertion("regex", "^Paris")],
      2 / 3,
      false,
    ],
  ])("%s", async (_name, output, assertions, score, ok) => {
    const r = await scoreCase(output, assertions, undefined, ctx);
    expect(r.score).toBeCloseTo(score, 12);
    expect(r.pass).toBe(ok);
  });
});
