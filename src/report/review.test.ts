import { describe, expect, it } from "vitest";
import { fixtureRun, outcome } from "../../test/helpers/run-fixture.js";
import type { ComparisonResult } from "../record/comparison.js";
import { renderAnnotations } from "./annotations.js";
import { caseInputKey, renderReview } from "./review.js";

const lines = (text: string) =>
  text
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe("renderReview", () => {
  it("queues failed answers, failed requests and unclean passes with input, output and reason", () => {
    const run = fixtureRun();
    run.quality.cases.push(
      outcome("b", "partial", {
        score: 0.75,
        assertions: [
          { type: "contains", score: 1, pass: true, reason: "ok" },
          { type: "regex", score: 0, pass: false, reason: "no match for /^P/" },
        ],
      }),
    );
    const inputs = new Map([
      [caseInputKey("c2", "q"), { messages: [{ role: "user", content: "capital of France?" }] }],
      [caseInputKey("c2", "other-prompt"), { messages: [{ role: "user", content: "not this one" }] }],
    ]);
    const queue = lines(renderReview(run, inputs));
    expect(queue.map((q) => [q.kind, q.target, q.case])).toEqual([
      ["failed", "a", "c2"],
      ["error", "a", "c3"],
      ["flagged", "b", "partial"],
    ]);
    expect(queue[0]).toMatchObject({
      input: { messages: [{ role: "user", content: "capital of France?" }] },
      output: "Lyon | <b>bold</b>\nsecond line",
      reason: 'equals: expected "Paris", got "Lyon"',
      score: 0,
    });
    expect(queue[1]).toMatchObject({ reason: "request failed: timeout: no first token in 60s" });
    expect(queue[1]!.score).toBeUndefined();
    expect(queue[2]!.reason).toBe("passed with score 0.75; regex: no match for /^P/");
    expect(queue[2]!.assertions).toEqual([
      { type: "regex", score: 0, pass: false, reason: "no match for /^P/" },
    ]);
  });

  it("marks a case that regressed against the compare baseline, with the baseline's answer", () => {
    const run = fixtureRun();
    const cmp = {
      baseline: { target: "b" },
      candidate: { target: "a" },
      flips: {
        regressions: [{ caseId: "c2", promptVersion: 1, baselineOutput: "Paris", candidateOutput: "Lyon" }],
        improvements: [],
      },
    } as unknown as ComparisonResult;
    run.comparisons = [cmp];
    const [first] = lines(renderReview(run));
    expect(first).toMatchObject({
      kind: "regression",
      case: "c2",
      baseline_output: "Paris",
      reason: 'equals: expected "Paris", got "Lyon"; passed on target b',
    });
  });

  it("marks the candidate prompt's regressions in a prompt comparison, and no other prompt's", () => {
    const run = fixtureRun();
    run.quality.cases = [
      outcome("a", "c2", { pass: false, score: 0, output: "Lyon", prompt: { name: "v2", version: 1 } }),
      outcome("a", "c2", { pass: false, score: 0, output: "Lyon", prompt: { name: "v3", version: 1 } }),
    ];
    run.comparisons = [
      {
        baseline: { target: "v1" },
        candidate: { target: "v2" },
        by: { kind: "prompt", target: "a" },
        flips: {
          regressions: [
            {
              caseId: "c2",
              prompt: "v1",
              promptVersion: 1,
              baselineOutput: "Paris",
              candidateOutput: "Lyon",
            },
          ],
          improvements: [],
        },
      } as unknown as ComparisonResult,
    ];
    expect(lines(renderReview(run)).map((q) => [q.kind, q.prompt])).toEqual([
      ["regression", "v2"],
      ["failed", "v3"],
    ]);
  });

  it("is empty when every case passed cleanly", () => {
    expect(renderReview(fixtureRun({ quality: { totals: [], cases: [outcome("a", "ok")] } }))).toBe("");
  });
});

describe("renderAnnotations", () => {
  it("writes one ::error:: per failed threshold, escaped as GitHub's workflow commands need", () => {
    const run = fixtureRun();
    run.thresholds[1]!.reason = "observed 50%, limit >= 90%\nsecond line";
    expect(renderAnnotations(run)).toBe(
      "::error file=suites/fixture.yaml,title=Gauntlet threshold failed%3A quality.pass_rate::" +
        "quality.pass_rate >= 0.9: observed 50%25, limit >= 90%25%0Asecond line\n",
    );
  });

  it("says why a run did not complete, and keeps to the limit", () => {
    const run = fixtureRun({ status: "aborted", abortedBy: "ttft.p95" });
    run.thresholds = Array.from({ length: 20 }, (_, i) => ({ ...run.thresholds[1]!, key: `k${i}` }));
    const out = renderAnnotations(run, { lineOf: (key) => (key === "k3" ? 42 : undefined) })
      .trim()
      .split("\n");
    expect(out).toHaveLength(10);
    expect(out[0]).toBe(
      "::error file=suites/fixture.yaml,title=Gauntlet%3A run incomplete::aborted: threshold ttft.p95 failed (abort_on_fail, exit 3)",
    );
    expect(out[4]).toMatch(
      /^::error file=suites\/fixture\.yaml,line=42,title=Gauntlet threshold failed%3A k3::k3 /,
    );
    expect(out[5]).toMatch(/^::error file=suites\/fixture\.yaml,title=Gauntlet threshold failed%3A k4::/);
    expect(renderAnnotations(run, { max: 3 }).trim().split("\n")).toHaveLength(3);
    expect(renderAnnotations(fixtureRun({ thresholds: [] }))).toBe("");
  });
});
