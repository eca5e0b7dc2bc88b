import { describe, expect, it } from "vitest";
import type { Operator } from "../record/verdict.js";
import { formatDetectablePp, formatP, formatPp, regressionVerdict } from "./significance.js";

const ci = (lower: number, upper: number) => ({ lower, upper });

describe("regressionVerdict", () => {
  it.each<[string, number, [number, number], number, number, boolean, boolean, boolean, string]>([
    [
      "a large, significant drop fails",
      -0.06,
      [-0.112, -0.008],
      0.021,
      -0.02,
      false,
      true,
      true,
      "observed -6.0pp (95% CI -11.2pp to -0.8pp), p=0.021: a drop larger than 2pp and significant at alpha 0.05 → fail",
    ],
    [
      "a large drop that is not significant passes",
      -0.06,
      [-0.15, 0.02],
      0.09,
      -0.02,
      true,
      true,
      false,
      "observed -6.0pp (95% CI -15.0pp to +2.0pp), p=0.090: a drop larger than 2pp but not significant at alpha 0.05 → pass",
    ],
    [
      "a small, significant drop passes",
      -0.01,
      [-0.015, -0.005],
      0.0004,
      -0.02,
      true,
      false,
      true,
      "observed -1.0pp (95% CI -1.5pp to -0.5pp), p=4.0e-4: within the limit > 2pp (significant at alpha 0.05, but not that large) → pass",
    ],
    [
      "a gain passes",
      0.03,
      [-0.01, 0.07],
      0.2,
      -0.02,
      true,
      false,
      false,
      "observed +3.0pp (95% CI -1.0pp to +7.0pp), p=0.200: within the limit > -2pp and not significant at alpha 0.05 → pass",
    ],
  ])("%s", (_name, delta, [lo, hi], p, limit, pass, beyondLimit, significant, reason) => {
    const v = regressionVerdict(delta, ci(lo, hi), p, limit, 0.05);
    expect(v).toMatchObject({ pass, beyondLimit, significant });
    expect(v.reason).toBe(reason.replace("within the limit > 2pp", "within the limit > -2pp"));
  });

  it.each<[Operator, number, number, boolean]>([
    [">", -0.02, -0.02, true],
    [">=", -0.02, -0.02, false],
    [">=", 0, -0.001, true],
    [">=", 0, 0, false],
  ])("op %s limit %f with delta %f: beyond the limit is %s", (op, limit, delta, beyond) => {
    expect(regressionVerdict(delta, ci(-0.1, 0.1), 0.001, limit, 0.05, { op }).beyondLimit).toBe(beyond);
  });

  it("uses the given alpha for both significance and the interval's level", () => {
    const v = regressionVerdict(-0.05, ci(-0.09, -0.01), 0.02, -0.02, 0.01);
    expect(v.pass).toBe(true);
    expect(v.reason).toContain("(99% CI");
    expect(v.reason).toContain("but not significant at alpha 0.01");
  });

  it("says how many cases would be needed when too few cannot detect the limit", () => {
    const v = regressionVerdict(-0.05, ci(-0.16, 0.02), 0.25, -0.02, 0.05, { cases: 60, discordance: 0.05 });
    expect(v.casesNeeded).toBe(979);
    expect(v.reason).toMatch(
      /; 60 cases detect drops of 12\.6pp or more \(80% power\), about 979 are needed for 2pp$/,
    );
  });

  it("rounds the detectable drop up, so it never reads as the limit the cases cannot resolve", () => {
    // llama.cpp's Q4_K_M against F16 on 2,000 prompts: 13 discordant pairs, a 0.505pp detectable drop.
    const v = regressionVerdict(-0.0005, ci(-0.005, 0.004), 1, -0.005, 0.05, {
      cases: 2000,
      discordance: 13 / 2000,
    });
    expect(v.casesNeeded).toBe(2039);
    expect(v.reason).toMatch(
      /; 2000 cases detect drops of 0\.6pp or more \(80% power\), about 2039 are needed for 0\.5pp$/,
    );
  });

  it.each([
    [0.005047, "0.6pp"],
    [0.126, "12.6pp"],
    [0.12576, "12.6pp"],
    [0.01, "1.0pp"],
  ])("shows a detectable drop of %f as %s", (fraction, text) => {
    expect(formatDetectablePp(fraction)).toBe(text);
  });

  it("adds no power note when the drop is significant or the cases suffice", () => {
    expect(
      regressionVerdict(-0.05, ci(-0.1, -0.01), 0.001, -0.02, 0.05, { cases: 60 }).casesNeeded,
    ).toBeUndefined();
    const many = regressionVerdict(-0.01, ci(-0.02, 0), 0.2, -0.05, 0.05, { cases: 5000, discordance: 0.05 });
    expect(many.casesNeeded).toBeUndefined();
    expect(many.reason).not.toContain("needed");
  });

  it("words a zero limit as any drop", () => {
    expect(regressionVerdict(-0.05, ci(-0.09, -0.01), 0.01, 0, 0.05, { op: ">=" }).reason).toContain(
      ": a drop and significant at alpha 0.05 → fail",
    );
  });
});

describe("formatting", () => {
  it.each<[number, boolean, string]>([
    [-0.06, true, "-6.0pp"],
    [0.015, true, "+1.5pp"],
    [0, true, "0.0pp"],
    [-0.00001, true, "0.0pp"],
    [0.126, false, "12.6pp"],
  ])("formatPp(%f, %s) = %s", (x, signed, text) => expect(formatPp(x, signed)).toBe(text));

  it.each<[number, string]>([
    [0.021, "p=0.021"],
    [1, "p=1.000"],
    [0.000037, "p=3.7e-5"],
    [Number.NaN, "p=n/a"],
  ])("formatP(%f) = %s", (p, text) => expect(formatP(p)).toBe(text));
});
