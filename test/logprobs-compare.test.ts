import { readFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { compareLogprobs } from "../src/compare/logprobs.js";
import { type OutcomeLogprobs } from "../src/record/case-outcome.js";
import type { RunResult } from "../src/record/run-result.js";
import { chooseAnswer } from "../src/sim/answer.js";
import { tokenAlternatives } from "../src/sim/formats/logprobs.js";
import { SimProfileSchema, type SimProfileInput } from "../src/sim/profile.js";
import { runCli, tempDir, writeTemp, type CliResult } from "./helpers/cli.js";

const ROWS = Array.from({ length: 30 }, (_, i) => ({
  id: `p${String(i + 1).padStart(2, "0")}`,
  question: `Prompt ${String(i + 1).padStart(3, "0")} asks for a sentence`,
  answer: `answer number ${i + 1} is a short sentence`,
}));
const CSV = ["id,question,answer", ...ROWS.map((r) => `${r.id},${r.question},${r.answer}`)].join("\n") + "\n";
const K = 4;
const answers = ROWS.map((r) => ({ match: r.question, reply: r.answer }));

/** What the simulator sends for a prompt: its tokens, each with the top-K alternatives it lists. */
function simLogprobs(profile: SimProfileInput, question: string): OutcomeLogprobs {
  const p = SimProfileSchema.parse({ ...profile, answers });
  const tokens = chooseAnswer(p, question, 32).tokens;
  return {
    tokens: tokens.map((token, i) => ({
      token,
      top: tokenAlternatives(token, i, p.seed, K).map((a): [string, number] => [a.token, a.logprob]),
    })),
  };
}

describe("logprobs: true targets in a comparison", () => {
  let r: CliResult;
  let run: RunResult;
  const cand: SimProfileInput = { seed: 2, degrade: 0.3 };
  beforeAll(async () => {
    const dir = await tempDir();
    await writeTemp(dir, "rows.csv", CSV);
    const suite = await writeTemp(
      dir,
      "suite.yaml",
      `version: 1
name: logprobs
targets:
  base:
    provider: sim
    logprobs: ${K}
    params: { max_tokens: 32 }
    sim: { ttft_ms: 0, itl_ms: 0, answers_from: { file: rows.csv, match: question, reply: answer } }
  cand: { extends: base, sim: { seed: ${cand.seed}, degrade: ${cand.degrade} } }
prompts:
  q: "{{question}}"
cases:
  - from: rows.csv
    prompt: q
    assert: [{ equals: "{{answer}}" }]
compare: { baseline: base, candidates: [cand] }
`,
    );
    const out = path.join(dir, "out");
    r = await runCli(["run", suite, "--out", out]);
    run = JSON.parse(await readFile(path.join(out, "run.json"), "utf8")) as RunResult;
  });

  it("keeps each answer's tokens with their top-k alternatives, as the simulator sent them", () => {
    expect(r.code, r.stderr).toBe(0);
    const o = run.quality.cases.find((c) => c.target === "base" && c.caseId === "p01")!;
    expect(o.logprobs).toEqual(simLogprobs({}, ROWS[0]!.question));
  });

  it("reports same-top-1 and the KL lower bound with its k, matching the simulator's truth", () => {
    const expected = compareLogprobs(
      ROWS.map((row) => [simLogprobs({}, row.question), simLogprobs(cand, row.question)]),
    )!;
    const got = run.comparisons[0]!.logprobs!;
    expect(got.k).toBe(K);
    expect(got.cases).toBe(30);
    expect(got.positions).toBe(expected.positions);
    expect(got.sameTop1Rate).toBeCloseTo(expected.sameTop1Rate, 12);
    expect(got.klLowerBound).toBeCloseTo(expected.klLowerBound, 12);
    // Degraded answers change a word, so the top-1 differs somewhere; a new seed moves every distribution.
    expect(got.sameTop1Rate).toBeLessThan(1);
    expect(got.klLowerBound).toBeGreaterThan(0);
    expect(r.stdout).toMatch(
      /logprobs {5}same top-1 \d+\.\d% of \d+ token positions \(30 cases\); KL\(base ‖ cand\) >= \d\.\d{4} nats\/token, max \d\.\d{4} \(lower bound from the top-4 logprobs/,
    );
  });
});
