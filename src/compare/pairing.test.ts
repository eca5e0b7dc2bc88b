import { describe, expect, it } from "vitest";
import { pairingProblems, type PairableCase } from "./pairing.js";

const c = (caseId: string, name = "p", version = 1): PairableCase => ({ caseId, prompt: { name, version } });

describe("pairingProblems", () => {
  it("is empty when the cases pair by id and prompt, extra cases on either side included", () => {
    expect(pairingProblems([c("a"), c("b"), c("old")], [c("a"), c("b"), c("new")], undefined)).toEqual([]);
  });

  it("names cases whose prompt changed, and both ways to choose, when no choice was made", () => {
    const problems = pairingProblems(
      [c("a"), c("b"), c("c")],
      [c("a"), c("b", "p", 2), c("c", "q")],
      undefined,
    );
    expect(problems).toEqual([
      "2 cases changed prompt: b: p v1 → p v2, c: p v1 → q v1; pair them by case id with --pair-by case (a prompt A/B), or leave them out with --pair-by prompt",
    ]);
    // An explicit --pair-by prompt leaves them out (a and b still pair); --pair-by case pairs all three.
    expect(pairingProblems([c("a"), c("b")], [c("a"), c("b", "p", 2)], "prompt")).toEqual([]);
    expect(pairingProblems([c("b")], [c("b", "p", 2)], "prompt")).toEqual([
      "no case is on both sides with the same id and prompt (name and version)",
    ]);
    expect(pairingProblems([c("a"), c("b")], [c("a", "q", 3), c("b", "p", 2)], "case")).toEqual([]);
  });

  it("refuses --pair-by case when a case ran under several prompts on a side", () => {
    expect(pairingProblems([c("a"), c("a", "q")], [c("a", "r")], "case")).toEqual([
      "--pair-by case cannot pair cases that ran under several prompts in the baseline: a (p v1, q v1)",
    ]);
  });

  it("counts each case once whatever its repeats", () => {
    expect(pairingProblems([c("a"), c("a"), c("a")], [c("a", "p", 2), c("a", "p", 2)], undefined)[0]).toMatch(
      /^1 case changed prompt: a: p v1 → p v2;/,
    );
  });

  it("says when nothing pairs by case id", () => {
    expect(pairingProblems([c("a")], [c("b")], "case")).toEqual(["no case id is on both sides"]);
    expect(pairingProblems([c("a")], [c("b")], undefined)).toEqual([
      "no case is on both sides with the same id and prompt (name and version)",
    ]);
  });
});
