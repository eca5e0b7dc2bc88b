import { describe, expect, it } from "vitest";
import type { CaseOutcome } from "../record/case-outcome.js";
import { taskMetrics } from "../quality/task-metrics.js";
import { readMetric } from "./judge.js";
import type { PlannedRun } from "./needs.js";
import { parseThreshold } from "./parse.js";
import { preflightThresholds } from "./preflight.js";
import { runFigures } from "./read.js";

const o = (target: string, caseId: string, extra: Partial<CaseOutcome>): CaseOutcome => ({
  caseId,
  target,
  prompt: { name: "p", version: 1 },
  output: "",
  score: 0,
  pass: false,
  assertions: [],
  outputTokens: 1,
  ...extra,
});

// a: refund 2/2 right, shipping 1 of 2 (one read as refund). b: everything right.
// a's refund: P 2/3, R 1, F1 0.8; shipping: P 1, R 1/2, F1 2/3; macro F1 11/15.
const outcomes = [
  o("a", "1", { label: "refund", output: "refund" }),
  o("a", "2", { label: "refund", output: "refund" }),
  o("a", "3", { label: "shipping", output: "shipping" }),
  o("a", "4", { label: "shipping", output: "refund" }),
  ...["refund", "refund", "shipping", "shipping"].map((l, i) =>
    o("b", String(i + 1), { label: l, output: l }),
  ),
  o("a", "x", { expected: ["p", "q"], output: "p, r" }),
  ...[0, 1, 2].map((attempt) => o("a", "r", { attempt, pass: attempt > 0, output: attempt ? "y" : "n" })),
];
const tasks = taskMetrics(["a", "b"], outcomes);
const get = (key: string) => readMetric(runFigures({ tasks }), parseThreshold(key, ">= 0"));

describe("task metrics as threshold metrics", () => {
  it.each<[string, number | undefined]>([
    ["quality.f1{label:refund,target:a}", 0.8],
    ["quality.precision{label:refund,target:a}", 2 / 3],
    ["quality.recall{label:shipping,target:a}", 0.5],
    ["quality.macro_f1{target:a}", 11 / 15],
    ["quality.macro_f1{target:b}", 1],
    ["quality.macro_f1", 11 / 15],
    ["quality.micro_f1{target:a}", 0.75],
    ["quality.accuracy{target:b}", 1],
    ["quality.set_precision{target:a}", 0.5],
    ["quality.set_recall", 0.5],
    ["quality.pass_at_k{target:a}", 1],
    ["quality.pass_hat_k{target:a}", 0],
    ["quality.f1{label:billing}", undefined],
    ["quality.f1", undefined],
    ["quality.pass_at_k{target:b}", undefined],
  ])("%s = %s (untagged: the worst target)", (key, expected) => {
    const value = get(key);
    if (expected === undefined) expect(value).toBeUndefined();
    else expect(value).toBeCloseTo(expected, 12);
  });
});

/** Why a threshold on these cases can get no value, as preflight says it (undefined: it can). */
function problem(key: string, cases: PlannedRun["cases"]): string | undefined {
  const run: PlannedRun = {
    targets: [
      { name: "a", priced: false },
      { name: "b", priced: false },
    ],
    cases,
    phases: [],
    compare: { by: "target", baseline: "a", candidates: ["b"], alpha: 0.05 },
  };
  const [found] = preflightThresholds(run, [parseThreshold(key, ">= 0")]);
  return found?.message.replace(`threshold ${key} can get no samples: `, "");
}

describe("task thresholds that can get no value, before anything is sent", () => {
  const cases = [
    { label: "refund", repeat: 1 },
    { label: "shipping", repeat: 1 },
    { expected: ["a"], repeat: 1 },
  ];
  it.each<[string, string | undefined]>([
    ["quality.f1{label:refund}", undefined],
    ["quality.macro_f1", undefined],
    ["compare.macro_f1_delta", undefined],
    ["quality.set_recall", undefined],
    ["quality.pass_rate", undefined],
    ["quality.f1", "quality.f1 is per label: name one, e.g. quality.f1{label:refund}"],
    ["quality.recall{label:nope}", 'no case has label "nope" (labels: refund, shipping)'],
    ["quality.pass_at_k", "no case repeats (set quality.repeat or a case's repeat: K)"],
  ])("%s", (key, expected) => {
    expect(problem(key, cases)).toBe(expected);
  });

  it("names the missing case field", () => {
    const bare = [{ repeat: 2 }];
    expect(problem("quality.accuracy", bare)).toContain("no case has a label");
    expect(problem("quality.set_f1", bare)).toBe("no case has expected: items");
    expect(problem("quality.consistency", bare)).toBeUndefined();
  });
});
