import { describe, expect, it } from "vitest";
import { taskMetrics } from "../quality/task-metrics.js";
import type { CaseOutcome } from "../record/case-outcome.js";
import { renderTaskMetrics } from "./render-tasks.js";

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

describe("renderTaskMetrics", () => {
  it("prints classification, extraction and repeat summaries per target", () => {
    const text = renderTaskMetrics(tasks).join("\n");
    expect(text).toContain("classification a: 4 labelled, accuracy 75.0%, macro F1 0.733, micro F1 0.750");
    expect(text).toMatch(/refund\s+2\s+3\s+0\.667\s+1\.000\s+0\.800/);
    expect(text).toContain("extraction a: 1 cases, set precision 0.500, recall 0.500, F1 0.500");
    expect(text).toContain(
      // Every case of the target counts at k = 1 (these are all failing but r, 2 of 3); only r at k = 3.
      "repeats a: 6 cases × up to 3 runs, pass@1 0.111, pass@3 1.000, pass^1 0.111, pass^3 0.000, output consistency 94.4%",
    );
    expect(text).toContain("flaky: r");
    expect(renderTaskMetrics([])).toEqual([]);
  });
});
