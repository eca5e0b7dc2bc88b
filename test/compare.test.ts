import { readFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { ComparisonResult } from "../src/record/comparison.js";
import { chooseAnswer } from "../src/sim/answer.js";
import { SimProfileSchema } from "../src/sim/profile.js";
import type { Verdict } from "../src/record/verdict.js";
import { runCli, tempDir, writeTemp } from "./helpers/cli.js";

interface RunJson {
  status: string;
  comparisons: ComparisonResult[];
  thresholds: Verdict[];
}

const LABELS = ["refund", "shipping", "billing", "other"];
// 60 tickets; each question is the simulator's match for its canned answer (the right label), and
// none contains another, so every case gets its own answer.
const ROWS = Array.from({ length: 60 }, (_, i) => ({
  id: `t${String(i + 1).padStart(2, "0")}`,
  question: `Ticket ${String(i + 1).padStart(3, "0")}: please classify this request`,
  label: LABELS[i % LABELS.length]!,
}));
const CSV = ["id,question,label", ...ROWS.map((r) => `${r.id},${r.question},${r.label}`)].join("\n") + "\n";

/** Ground truth from the simulator itself: the ids whose answers a target with `degrade` perturbs. */
function degradedIds(degrade: number): string[] {
  const profile = SimProfileSchema.parse({
    degrade,
    answers: ROWS.map((r) => ({ match: r.question, reply: r.label })),
  });
  return ROWS.filter((r) => chooseAnswer(profile, r.question, undefined).degraded).map((r) => r.id);
}

const suiteYaml = (candidates: Record<string, number>, thresholds: Record<string, string>) => `version: 1
name: compare-e2e
targets:
  base:
    provider: sim
    sim: { ttft_ms: 0, itl_ms: 0, answers_from: { file: cases.csv, match: question, reply: label } }
${Object.entries(candidates)
  .map(([name, degrade]) => `  ${name}: { extends: base, sim: { degrade: ${degrade} } }`)
  .join("\n")}
prompts:
  q: "{{question}}"
cases:
  - from: cases.csv
    prompt: q
    assert: [{ equals: "{{label}}" }]
compare: { baseline: base, candidates: [${Object.keys(candidates).join(", ")}] }
thresholds:
${Object.entries(thresholds)
  .map(([k, v]) => `  "${k}": "${v}"`)
  .join("\n")}
`;

async function runSuiteFile(candidates: Record<string, number>, thresholds: Record<string, string>) {
  const dir = await tempDir();
  await writeTemp(dir, "cases.csv", CSV);
  const suite = await writeTemp(dir, "suite.yaml", suiteYaml(candidates, thresholds));
  const out = path.join(dir, "out");
  const result = await runCli(["run", suite, "--out", out, "--quiet"]);
  const runFile = path.join(out, "run.json");
  const run = JSON.parse(await readFile(runFile, "utf8")) as RunJson;
  return { ...result, run, runFile };
}

describe("variant comparison, end to end on the simulator", () => {
  const degraded = degradedIds(0.3);
  let significant: Awaited<ReturnType<typeof runSuiteFile>>;

  beforeAll(async () => {
    significant = await runSuiteFile({ cand: 0.3 }, { "compare.pass_rate_delta{candidate:cand}": "> -2pp" });
  });

  it("has a simulator ground truth with enough flips to be significant", () => {
    expect(degraded.length).toBeGreaterThanOrEqual(10);
    expect(degraded.length).toBeLessThanOrEqual(26);
  });

  it("lists exactly the degraded cases as regressions, with both outputs", () => {
    const [c, ...rest] = significant.run.comparisons;
    expect(rest).toEqual([]);
    expect(c!.baseline).toMatchObject({ target: "base", cases: 60, passed: 60 });
    expect(c!.candidate).toMatchObject({ target: "cand", cases: 60, passed: 60 - degraded.length });
    expect(c!.matched).toBe(60);
    expect(c!.unmatched).toEqual({ baseline: [], candidate: [] });
    expect(c!.flips.regressions.map((f) => f.caseId)).toEqual(degraded);
    expect(c!.flips.improvements).toEqual([]);
    for (const f of c!.flips.regressions) {
      const row = ROWS.find((r) => r.id === f.caseId)!;
      expect(f.baselineOutput).toBe(row.label);
      expect(f.candidateOutput).not.toBe(row.label);
    }
    expect(c!.agreement).toEqual({ identical: 60 - degraded.length, rate: (60 - degraded.length) / 60 });
  });

  it("reports a significant drop: small p, an interval that excludes 0", () => {
    const c = significant.run.comparisons[0]!;
    expect(c.delta.difference).toBeCloseTo(-degraded.length / 60, 12);
    expect(c.mcnemar).toEqual({
      b: degraded.length,
      c: 0,
      pValue: expect.closeTo(2 / 2 ** degraded.length, 15),
    });
    expect(c.mcnemar.pValue).toBeLessThan(0.001);
    expect(c.delta.upper).toBeLessThan(0);
    expect(c.delta.lower).toBeGreaterThan(-1);
    expect(c.recovery).toBeCloseTo((60 - degraded.length) / 60, 12);
  });

  it("fails the delta threshold, saying its interval shows the drop (exit 99)", () => {
    expect(significant.code, significant.stderr).toBe(99);
    const [v] = significant.run.thresholds;
    expect(v).toMatchObject({ key: "compare.pass_rate_delta{candidate:cand}", pass: false, unit: "pp" });
    expect(v!.reason).toMatch(
      /^observed -\d+\.\dpp \(95% CI -\d+\.\dpp to -\d+\.\dpp, Newcombe\): the whole interval is below -2pp: a drop of 2pp or more is shown \(p=\d\.\de-\d < alpha 0\.05\) → fail$/,
    );
    expect(significant.stderr).toContain(
      `threshold failed: compare.pass_rate_delta{candidate:cand} > -2pp: ${v!.reason}`,
    );
  });

  it("gives the same verdict from `gauntlet compare` on the saved run", async () => {
    const { runFile } = significant;
    const r = await runCli([
      "compare",
      runFile,
      runFile,
      "--baseline-target",
      "base",
      "--candidate-target",
      "cand",
    ]);
    expect(r.code, r.stderr).toBe(99);
    expect(r.stdout).toContain("cand vs base: 60 cases matched by id and prompt");
    expect(r.stdout).toContain(`  regressions (${degraded.length}):`);
    expect(r.stdout).toContain(
      `FAIL  compare.pass_rate_delta{candidate:cand} > -2pp: ${significant.run.thresholds[0]!.reason}`,
    );
  });

  it("passes `gauntlet compare` of a run against itself, target by target", async () => {
    const { runFile } = significant;
    const r = await runCli(["compare", runFile, runFile, "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout) as { comparisons: ComparisonResult[]; thresholds: Verdict[] };
    expect(json.comparisons.map((c) => [c.baseline.target, c.candidate.target, c.delta.difference])).toEqual([
      ["base", "base", 0],
      ["cand", "cand", 0],
    ]);
    expect(json.thresholds.map((v) => [v.key, v.pass])).toEqual([
      ["compare.pass_rate_delta{candidate:cand}", true],
      ["compare.pass_rate_delta{candidate:base}", true],
    ]);
    // The default --max-drop 0pp gate reads ">= 0pp" (it printed ">= -0pp").
    expect(json.thresholds[1]).toMatchObject({ expression: ">= 0pp", limit: 0 });
    const twoPoints = await runCli(["compare", runFile, runFile, "--max-drop", "2pp"]);
    expect(twoPoints.stdout).toContain("PASS  compare.pass_rate_delta{candidate:base} >= -2pp:");
  });

  it("exits 2 when a named target has no cases in the run", async () => {
    const { runFile } = significant;
    const r = await runCli(["compare", runFile, runFile, "--baseline-target", "nope"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no quality cases for target "nope" (has: base, cand)');
  });

  it("passes a drop its interval does not show, and one within the limit, corrected over both (exit 0)", async () => {
    const slight = degradedIds(0.05);
    // The fixture needs a drop beyond 1pp that is too small to be significant: 1 to 5 flips of 60.
    expect(slight.length).toBeGreaterThanOrEqual(1);
    expect(slight.length).toBeLessThanOrEqual(5);
    const r = await runSuiteFile(
      { slight: 0.05, cand: 0.3 },
      {
        "compare.pass_rate_delta{candidate:slight}": "> -1pp",
        "compare.pass_rate_delta{candidate:cand}": "> -50pp",
      },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.run.comparisons.map((c) => c.flips.regressions.map((f) => f.caseId))).toEqual([
      slight,
      degraded,
    ]);
    const [notSignificant, within] = r.run.thresholds;
    expect(notSignificant).toMatchObject({ pass: true, observed: expect.closeTo(-slight.length / 60, 12) });
    expect(notSignificant!.reason).toContain(
      "a drop of 1pp or more is not shown: the interval reaches above -1pp",
    );
    expect(notSignificant!.reason).toContain("Holm-adjusted over 2 tests");
    expect(notSignificant!.reason).toMatch(
      /60 cases detect drops of \d+\.\dpp or more \(80% power\), about \d+ are needed for 1pp$/,
    );
    expect(within!.pass).toBe(true);
    expect(within!.reason).toContain("a drop of 50pp or more is not shown: the interval reaches above -50pp");
  });
});
