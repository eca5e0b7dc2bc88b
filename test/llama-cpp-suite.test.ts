import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, runCli, startSimProcess, tempDir, writeTemp, type SimProcess } from "./helpers/cli.js";

// suites/llama-cpp-quantization.yaml runs as written, its servers moved by --var: here all four variants
// are one simulator answering the toy prompts correctly (the engine project runs it on llama.cpp).
const SUITE = path.join(ROOT, "suites/llama-cpp-quantization.yaml");
const VARIANTS = ["F16", "Q8_0", "Q4_K_M", "Q2_K"];

interface RunJson {
  quality: { totals: Array<{ target: string; cases: number; passed: number }> };
  comparisons: Array<{ candidate: { target: string }; matched: number; mcnemar: { b: number; c: number } }>;
  thresholds: Array<{ key: string; pass: boolean }>;
}

describe("suites/llama-cpp-quantization.yaml", () => {
  let sim: SimProcess;
  beforeAll(async () => {
    const dir = await tempDir();
    // Inline answers: `gauntlet sim --config` reads `answers`, and leaves `answers_from` to suites' sim targets.
    const cases = (await readFile(path.join(ROOT, "fixtures/datasets/toy-arith-rev.jsonl"), "utf8"))
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { prompt: string; expected: string });
    const answers = cases.map((c) => ({ match: c.prompt, reply: c.expected }));
    const profile = await writeTemp(dir, "sim.json", JSON.stringify({ ttft_ms: 0, itl_ms: 0, answers }));
    sim = await startSimProcess(["--config", profile]);
  });
  afterAll(async () => {
    await sim?.stop();
  });

  it("compares the three quantized variants with F16 on its 200 default cases and passes when none regressed", async () => {
    const out = path.join(await tempDir(), "out");
    const vars = VARIANTS.flatMap((v) => ["--var", `${v}_URL=${sim.url}`]);
    const { code, stdout, stderr } = await runCli(["run", SUITE, ...vars, "--out", out]);
    expect(code, stdout + stderr).toBe(0);
    const run = JSON.parse(await readFile(path.join(out, "run.json"), "utf8")) as RunJson;
    expect(run.quality.totals.map((t) => [t.target, t.cases, t.passed])).toEqual(
      ["f16", "q8_0", "q4_k_m", "q2_k"].map((t) => [t, 200, 200]),
    );
    expect(run.comparisons.map((c) => [c.candidate.target, c.matched, c.mcnemar.b, c.mcnemar.c])).toEqual(
      ["q8_0", "q4_k_m", "q2_k"].map((t) => [t, 200, 0, 0]),
    );
    expect(run.thresholds).toMatchObject([{ key: "compare.pass_rate_delta", pass: true }]);
  });
});
