import { readFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { ComparisonResult } from "../src/record/comparison.js";
import { readDataset } from "../src/config/dataset.js";
import { chooseAnswer } from "../src/sim/answer.js";
import { SimProfileSchema } from "../src/sim/profile.js";
import type { Verdict } from "../src/record/verdict.js";
import { ROOT, runCli, tempDir, type CliResult } from "./helpers/cli.js";

interface RunJson {
  comparisons: ComparisonResult[];
  thresholds: Verdict[];
}

const SUITE = path.join(ROOT, "suites/quantization.yaml");
const GATE = "compare.pass_rate_delta{candidate:int4}";

/** The simulator's own decision: which tickets a variant with `degrade` answers differently. */
async function degradedIds(degrade: number): Promise<string[]> {
  const { rows } = await readDataset(path.join(ROOT, "fixtures/datasets/quantization.csv"));
  const questions = rows.map((r) => ({ id: String(r.values.id), q: String(r.values.question) }));
  const profile = SimProfileSchema.parse({
    degrade,
    answers: rows.map((r) => ({ match: String(r.values.question), reply: String(r.values.label) })),
  });
  return questions.filter((r) => chooseAnswer(profile, r.q, 8).degraded).map((r) => r.id);
}

async function run(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<CliResult & { run: RunJson; file: string }> {
  const out = path.join(await tempDir(), "out");
  const result = await runCli(["run", SUITE, "--out", out, ...args], { env });
  const file = path.join(out, "run.json");
  return { ...result, file, run: JSON.parse(await readFile(file, "utf8")) as RunJson };
}

describe("suites/quantization.yaml: int4 degrading 8% of answers", () => {
  let r: Awaited<ReturnType<typeof run>>;
  let degraded: string[];
  beforeAll(async () => {
    degraded = await degradedIds(0.08);
    r = await run([], { GAUNTLET_DEGRADE: "" });
  });

  it("flags exactly the tickets the simulator degraded, by id, with both outputs", () => {
    // The fixture must make the point: enough flips of 200 for a significant drop beyond 2pp.
    expect(degraded.length).toBeGreaterThanOrEqual(8);
    const [c] = r.run.comparisons;
    expect(c!.matched).toBe(200);
    expect(c!.flips.regressions.map((f) => f.caseId)).toEqual(degraded);
    expect(c!.flips.improvements).toEqual([]);
    for (const f of c!.flips.regressions) expect(f.candidateOutput).not.toBe(f.baselineOutput);
    expect(c!.agreement.identical).toBe(200 - degraded.length);
  });

  it("reports a drop its interval shows and exits 99 on the suite's delta threshold", () => {
    expect(r.code, r.stderr).toBe(99);
    const c = r.run.comparisons[0]!;
    expect(c.delta.difference).toBeCloseTo(-degraded.length / 200, 12);
    expect(c.mcnemar.pValue).toBeCloseTo(2 / 2 ** degraded.length, 12);
    expect(c.delta.upper).toBeLessThan(0);
    const gate = r.run.thresholds.find((v) => v.key === GATE)!;
    expect(gate.pass).toBe(false);
    expect(gate.reason).toContain("the whole interval is below -2pp: a drop of 2pp or more is shown");
    expect(r.stdout).toContain(
      `  McNemar      exact p=${c.mcnemar.pValue.toExponential(1)} on ${degraded.length} regressions / 0 improvements: another test of no difference`,
    );
    expect(r.stdout).toMatch(/p=\S+ by the same interval\): a drop shown at alpha 0\.05/);
    expect(r.stderr).toContain(`threshold failed: ${GATE} > -2pp: ${gate.reason}`);
  });

  it("gives the same verdict from `gauntlet compare` on two saved runs of the suite", async () => {
    // OLD's bf16 against NEW's int4: what a baseline saved from main against this branch's run does.
    const again = await run(["--quiet"], { GAUNTLET_DEGRADE: "" });
    const [old, neu] = [r, again];
    const cmp = await runCli([
      "compare",
      old.file,
      neu.file,
      "--baseline-target",
      "bf16",
      "--candidate-target",
      "int4",
      "--json",
    ]);
    expect(cmp.code, cmp.stderr).toBe(99);
    const json = JSON.parse(cmp.stdout) as { comparisons: ComparisonResult[]; thresholds: Verdict[] };
    const inSuite = r.run.thresholds.find((v) => v.key === GATE)!;
    expect(json.thresholds.find((v) => v.key === GATE)).toMatchObject({
      pass: inSuite.pass,
      reason: inSuite.reason,
    });
    expect(json.comparisons[0]!.flips.regressions.map((f) => f.caseId)).toEqual(degraded);
  });
});

describe("suites/quantization.yaml: int4 degrading 1% of answers", () => {
  it("passes with the suite's threshold and says no drop of 2pp is shown", async () => {
    const slight = await degradedIds(0.01);
    expect(slight.length).toBeGreaterThanOrEqual(1);
    expect(slight.length).toBeLessThanOrEqual(4);
    const r = await run([], { GAUNTLET_DEGRADE: "0.01" });
    expect(r.code, r.stderr).toBe(0);
    const c = r.run.comparisons[0]!;
    expect(c.flips.regressions.map((f) => f.caseId)).toEqual(slight);
    expect(c.mcnemar.pValue).toBeGreaterThan(0.05);
    const gate = r.run.thresholds.find((v) => v.key === GATE)!;
    expect(gate.pass).toBe(true);
    expect(gate.reason).toMatch(/a drop of 2pp or more is not shown: the interval reaches above -2pp/);
    expect(r.stdout).toContain("no difference shown at alpha 0.05");
    expect(r.stdout).toContain("all thresholds passed");
  });
});
