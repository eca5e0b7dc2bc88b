import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { readDataset } from "../src/config/dataset.js";
import type { ComparisonResult } from "../src/record/comparison.js";
import type { RunResult } from "../src/record/run-result.js";
import { chooseAnswer } from "../src/sim/answer.js";
import { SimProfileSchema } from "../src/sim/profile.js";
import { ROOT, runCli, tempDir, writeTemp, type CliResult } from "./helpers/cli.js";

const SUITE = path.join(ROOT, "suites/prompt-ab.yaml");

/** The simulator's own decision: which tickets it answers wrongly under a prompt's user message. */
async function wrongUnder(userMessage: (question: string) => string): Promise<string[]> {
  const { rows } = await readDataset(path.join(ROOT, "fixtures/datasets/quantization.csv"));
  const profile = SimProfileSchema.parse({
    degrade: 0.02,
    answers: rows.map((r) => ({ match: String(r.values.question), reply: String(r.values.label) })),
  });
  return rows
    .filter((r) => chooseAnswer(profile, userMessage(String(r.values.question)), 8).degraded)
    .map((r) => String(r.values.id));
}

async function run(args: string[]): Promise<CliResult & { run: RunResult }> {
  const out = path.join(await tempDir(), "out");
  const result = await runCli(["run", SUITE, "--out", out, ...args]);
  return { ...result, run: JSON.parse(await readFile(path.join(out, "run.json"), "utf8")) as RunResult };
}

describe("suites/prompt-ab.yaml: two prompts over the same cases in one suite", () => {
  let r: Awaited<ReturnType<typeof run>>;
  let tight: Awaited<ReturnType<typeof run>>;
  beforeAll(async () => {
    [r, tight] = await Promise.all([run([]), run(["--var", "MARGIN=2", "--quiet"])]);
  });

  it("pairs each ticket's answer under classify-v2 with its answer under classify-v1, by case id", async () => {
    const v1 = new Set(await wrongUnder((q) => q));
    const v2 = new Set(await wrongUnder((q) => `Ticket: ${q}`));
    const [c, ...rest] = r.run.comparisons as ComparisonResult[];
    expect(rest).toEqual([]);
    expect(c).toMatchObject({
      by: { kind: "prompt", target: "bot" },
      baseline: { target: "classify-v1", cases: 200 },
      candidate: { target: "classify-v2", cases: 200 },
      matched: 200,
      unmatched: { baseline: [], candidate: [] },
    });
    expect(c!.flips.regressions.map((f) => f.caseId)).toEqual([...v2].filter((id) => !v1.has(id)).sort());
    expect(c!.flips.improvements.map((f) => f.caseId)).toEqual([...v1].filter((id) => !v2.has(id)).sort());
    expect(r.stdout).toContain(
      "classify-v2 vs classify-v1 (prompts, on target bot): 200 cases matched by case id",
    );
  });

  it("passes both gates at a 5pp margin (exit 0)", () => {
    expect(r.code, r.stderr).toBe(0);
    expect(r.run.thresholds.map((v) => [v.key, v.pass])).toEqual([
      ["compare.pass_rate_delta{candidate:classify-v2}", true],
      ["compare.pass_rate_delta.ci_low{candidate:classify-v2}", true],
    ]);
  });

  it("parts the two gates at 2pp: no drop of 2pp is shown, nor is staying within it (exit 99)", () => {
    expect(tight.code, tight.stderr).toBe(99);
    const [plain, within] = tight.run.thresholds;
    expect(plain).toMatchObject({ pass: true });
    expect(plain!.reason).toContain("a drop of 2pp or more is not shown");
    expect(plain!.reason).toContain("nor is the delta shown above -2pp");
    expect(within).toMatchObject({ pass: false, observed: tight.run.comparisons[0]!.gate!.lower });
  });

  it("reports an unknown prompt in compare, and prompts no case shares, before anything is sent", async () => {
    const dir = await tempDir();
    const suite = await writeTemp(
      dir,
      "suite.yaml",
      `version: 1
name: ab-bad
targets: { bot: { provider: sim } }
prompts: { a: "{{q}}", b: "Q: {{q}}", c: "{{q}}?" }
cases:
  - { id: one, prompt: [a, b], vars: { q: hi } }
  - { id: two, prompt: c, vars: { q: hi } }
compare: { by: prompt, baseline: a, candidates: [c, nope] }
`,
    );
    const v = await runCli(["validate", suite]);
    expect(v.code).toBe(2);
    expect(v.stderr).toContain(
      'compare.candidates[0]: no case runs under both "a" and "c": name both in a case\'s prompt, e.g. prompt: [a, c]',
    );
    expect(v.stderr).toContain('compare.candidates[1]: unknown prompt "nope" (prompts: a, b, c)');
  });
});

describe("a prompt A/B across runs: --pair-by", () => {
  let dir: string;
  let suite: string;
  let main: string;
  const rows = Array.from({ length: 40 }, (_, i) => `q${i},question #${i} end,answer${i}`);
  beforeAll(async () => {
    dir = await tempDir();
    await writeTemp(dir, "qa.csv", ["id,question,answer", ...rows].join("\n") + "\n");
    suite = await writeTemp(
      dir,
      "suite.yaml",
      `version: 1
name: bump
targets:
  bot: { provider: sim, sim: { ttft_ms: 1, itl_ms: 1, answers_from: { file: qa.csv, match: question, reply: answer } } }
prompts:
  p:
    version: \${V:-1}
    user: "{{question}}"
cases:
  - { from: qa.csv, prompt: p, assert: [{ equals: "{{answer}}" }] }
`,
    );
    main = path.join(dir, "main");
    expect((await runCli(["run", suite, "--out", main, "--quiet"])).code).toBe(0);
  });

  it("refuses a changed prompt version before anything is sent (exit 2), naming --pair-by", async () => {
    const out = path.join(dir, "bumped");
    const r = await runCli(["run", suite, "--out", out, "--baseline", path.join(main, "run.json")], {
      env: { V: "2" },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("40 cases changed prompt: q0: p v1 → p v2, q1: p v1 → p v2");
    expect(r.stderr).toContain("pair them by case id with --pair-by case (a prompt A/B)");
    // Nothing was sent: the run never started, so it wrote nothing.
    expect(existsSync(out)).toBe(false);
  });

  it("pairs by case id with --pair-by case, and leaves the cases out with --pair-by prompt", async () => {
    const baseline = path.join(main, "run.json");
    const byCase = await runCli(
      ["run", suite, "--out", path.join(dir, "by-case"), "--baseline", baseline, "--pair-by", "case"],
      { env: { V: "2" } },
    );
    expect(byCase.code, byCase.stderr).toBe(0);
    expect(byCase.stdout).toContain("bot vs bot: 40 cases matched by case id");
    const saved = JSON.parse(await readFile(path.join(dir, "by-case", "run.json"), "utf8")) as RunResult;
    expect(saved.baseline!.comparisons[0]).toMatchObject({ matched: 40, pairedBy: "case" });
    // The same two runs through `gauntlet compare`: an error without a choice, a comparison with one.
    const after = path.join(dir, "by-case", "run.json");
    const refused = await runCli(["compare", baseline, after]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("40 cases changed prompt");
    const compared = await runCli(["compare", baseline, after, "--pair-by", "case"]);
    expect(compared.code, compared.stderr).toBe(0);
    expect(compared.stdout).toContain("PASS  compare.pass_rate_delta{candidate:bot} >= 0pp");
    const left = await runCli(["compare", baseline, after, "--pair-by", "prompt"]);
    expect(left.code).toBe(2);
    expect(left.stderr).toContain("no case is on both sides with the same id and prompt (name and version)");
  });

  it("refuses --pair-by without --baseline, and an unknown way to pair", async () => {
    const alone = await runCli(["run", suite, "--pair-by", "case"]);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain("--pair-by says how cases pair with --baseline's; give --baseline too");
    const bad = await runCli(["run", suite, "--baseline", path.join(main, "run.json"), "--pair-by", "id"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--pair-by expects case or prompt, got id");
  });
});
