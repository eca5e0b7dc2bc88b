import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { CaseOutcome } from "../record/case-outcome.js";
import { classify, NO_LABEL, predictedLabel } from "./classification.js";
import { passAtK, passHatK, summarizeRepeats } from "./repeats.js";
import { parseItems, scoreSet, summarizeSets } from "./set-metrics.js";
import { taskMetrics } from "./task-metrics.js";

interface Fixture {
  passK: Array<{ n: number; c: number; k: number; passAtK: number; passHatK: number }>;
  classification: Array<{
    name: string;
    rows: Array<[string, string | null]>;
    labels: string[];
    perLabel: Array<{ label: string; precision: number; recall: number; f1: number }>;
    macro: { precision: number; recall: number; f1: number };
    micro: { precision: number; recall: number; f1: number };
    accuracy: number;
    confusion: number[][];
  }>;
  sets: {
    cases: Array<{ predicted: string[]; expected: string[]; precision: number; recall: number; f1: number }>;
    micro: { precision: number; recall: number; f1: number };
    macro: { precision: number; recall: number; f1: number };
  };
}

const FIXTURE = JSON.parse(
  readFileSync(new URL("./fixtures/tasks.computed.json", import.meta.url), "utf8"),
) as Fixture;

describe("pass@k and pass^k against exact rationals", () => {
  it.each(FIXTURE.passK)("n=$n c=$c k=$k", ({ n, c, k, passAtK: at, passHatK: hat }) => {
    expect(passAtK(n, c, k)).toBeCloseTo(at, 9);
    expect(passHatK(n, c, k)).toBeCloseTo(hat, 9);
  });

  it("is NaN outside 1 <= k <= n", () => {
    expect(passAtK(3, 1, 0)).toBeNaN();
    expect(passHatK(3, 1, 4)).toBeNaN();
  });
});

describe("classification metrics against a NumPy reference", () => {
  it.each(FIXTURE.classification)("$name", (f) => {
    const report = classify(f.rows.map(([label, output]) => ({ label, output: output ?? undefined })));
    expect(report.labels).toEqual(f.labels);
    expect(report.confusion.columns).toEqual([...f.labels, NO_LABEL]);
    expect(report.confusion.counts).toEqual(f.confusion);
    report.perLabel.forEach((s, i) => {
      expect(s.label).toBe(f.perLabel[i]!.label);
      expect(s.precision).toBeCloseTo(f.perLabel[i]!.precision, 9);
      expect(s.recall).toBeCloseTo(f.perLabel[i]!.recall, 9);
      expect(s.f1).toBeCloseTo(f.perLabel[i]!.f1, 9);
    });
    for (const avg of ["macro", "micro"] as const) {
      expect(report[avg].precision).toBeCloseTo(f[avg].precision, 9);
      expect(report[avg].recall).toBeCloseTo(f[avg].recall, 9);
      expect(report[avg].f1).toBeCloseTo(f[avg].f1, 9);
    }
    expect(report.accuracy).toBeCloseTo(f.accuracy, 9);
  });

  it.each([
    ["refund", "refund"],
    ["  Refund.\n", "refund"],
    ['"shipping"', "shipping"],
    ['"refund".', "refund"],
    ["'refund':", "refund"],
    ["`shipping`!", "shipping"],
    ['"refund."', "refund"],
    ["refund please", NO_LABEL],
    ['"refund" please', NO_LABEL],
    ["", NO_LABEL],
  ])("reads %j as %s", (output, label) => {
    expect(predictedLabel(output, ["refund", "shipping"])).toBe(label);
  });
});

describe("set precision and recall", () => {
  it.each(FIXTURE.sets.cases.map((c, i) => ({ ...c, i })))("case $i", (c) => {
    const s = scoreSet(c.predicted.join("\n"), c.expected);
    expect(s.precision).toBeCloseTo(c.precision, 9);
    expect(s.recall).toBeCloseTo(c.recall, 9);
    expect(s.f1).toBeCloseTo(c.f1, 9);
  });

  it("pools micro and macro averages like the reference", () => {
    const r = summarizeSets(FIXTURE.sets.cases.map((c) => scoreSet(c.predicted.join(", "), c.expected)));
    for (const avg of ["micro", "macro"] as const) {
      expect(r[avg].precision).toBeCloseTo(FIXTURE.sets[avg].precision, 9);
      expect(r[avg].recall).toBeCloseTo(FIXTURE.sets[avg].recall, 9);
      expect(r[avg].f1).toBeCloseTo(FIXTURE.sets[avg].f1, 9);
    }
  });

  it.each([
    ['["Paris", "Rome", "paris"]', ["paris", "rome"]],
    ["- Paris\n- Rome\n\n", ["paris", "rome"]],
    ["1. Paris\n2) New   York", ["paris", "new york"]],
    ["paris; rome, oslo", ["paris", "rome", "oslo"]],
    ["[not json", ["[not json"]],
    ["", []],
  ])("parses %j", (output, items) => {
    expect(parseItems(output)).toEqual(items);
  });
});

describe("repeats", () => {
  it("reports consistency, stability and mean pass@k over cases", () => {
    const runs = [
      { caseId: "a", pass: true, output: "x" },
      { caseId: "a", pass: false, output: "y" },
      { caseId: "a", pass: true, output: "x" },
      { caseId: "b", pass: true, output: "z" },
      { caseId: "b", pass: true, output: "z" },
      { caseId: "b", pass: true, output: "z" },
    ];
    const r = summarizeRepeats(runs)!;
    expect(r.k).toBe(3);
    expect(r.cases).toEqual([
      { caseId: "a", runs: 3, passed: 2, consistency: 2 / 3, stable: false },
      { caseId: "b", runs: 3, passed: 3, consistency: 1, stable: true },
    ]);
    // a: pass@1 2/3, pass@2 1, pass@3 1; pass^2 = C(2,2)/C(3,2) = 1/3, pass^3 0. b: all 1.
    expect(r.passAtK).toEqual([expect.closeTo(5 / 6, 12), 1, 1]);
    expect(r.passHatK).toEqual([expect.closeTo(5 / 6, 12), expect.closeTo(2 / 3, 12), 0.5]);
    expect(r.stableRate).toBe(0.5);
  });

  it("is absent when every case ran once, and failed requests never agree", () => {
    expect(summarizeRepeats([{ caseId: "a", pass: true, output: "x" }])).toBeUndefined();
    const r = summarizeRepeats([
      { caseId: "a", pass: false },
      { caseId: "a", pass: false },
    ])!;
    expect(r.cases[0]!.consistency).toBe(0.5);
  });
});

describe("taskMetrics", () => {
  const outcome = (o: Partial<CaseOutcome>): CaseOutcome => ({
    caseId: "c",
    target: "t",
    prompt: { name: "p", version: 1 },
    output: "",
    score: 0,
    pass: false,
    assertions: [],
    outputTokens: 1,
    ...o,
  });

  it("derives each report only where the cases ask for it, counting a failed request", () => {
    const outcomes = [
      outcome({ caseId: "1", label: "a", output: "a", pass: true }),
      outcome({ caseId: "2", label: "b", output: "a" }),
      outcome({ caseId: "3", label: "b", output: "b", error: "timeout: x" }),
      outcome({ caseId: "4", expected: ["x", "y"], output: "x" }),
      outcome({ target: "u", caseId: "1", output: "a" }),
    ];
    const [t, ...rest] = taskMetrics(["t", "u"], outcomes);
    expect(rest).toEqual([]);
    expect(t!.classification!.confusion.counts).toEqual([
      [1, 0, 0],
      [1, 0, 1],
    ]);
    expect(t!.extraction).toMatchObject({ cases: 1, micro: { precision: 1, recall: 0.5 } });
    expect(t!.repeats).toBeUndefined();
  });
});
