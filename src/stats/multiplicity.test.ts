import { describe, expect, it } from "vitest";
import { readFixture } from "../../test/helpers/stats-fixtures.js";
import { holm } from "./multiplicity.js";

const { cases } = readFixture<{
  cases: Array<{ p: number[]; adjusted: number[]; rejectedAt05: boolean[] }>;
}>("holm.computed.json");

describe("holm", () => {
  it.each(cases)("adjusts $p to $adjusted", ({ p, adjusted, rejectedAt05 }) => {
    const out = holm(p);
    out.forEach((x, i) => expect(x).toBeCloseTo(adjusted[i]!, 12));
    // An adjusted p at or under alpha is the step-down procedure's rejection, as Holm states it.
    expect(out.map((x) => x <= 0.05)).toEqual(rejectedAt05);
  });

  it("leaves one p alone, skips NaN, and never falls below the unadjusted p", () => {
    expect(holm([0.03])).toEqual([0.03]);
    expect(holm([0.01, Number.NaN, 0.02])).toEqual([0.02, Number.NaN, 0.02]);
    expect(holm([])).toEqual([]);
    const p = [0.2, 0.001, 0.04, 0.04, 0.9];
    holm(p).forEach((x, i) => expect(x).toBeGreaterThanOrEqual(p[i]!));
  });
});
