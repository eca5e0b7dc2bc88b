import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { RunResult } from "../src/record/run-result.js";
import { ROOT, runCli, tempDir, writeTemp } from "./helpers/cli.js";

describe("run --baseline RUN.json", () => {
  let made: { dir: string; main: string; worse: RunResult } | undefined;

  it("passes against an equal baseline and fails (99) when a pass-rate drop is shown, with latency ratios", async () => {
    const dir = await tempDir();
    const rows = Array.from({ length: 80 }, (_, i) => `q${i},question #${i} end,answer${i}`);
    await writeTemp(dir, "qa.csv", ["id,question,answer", ...rows].join("\n") + "\n");
    const suite = await writeTemp(
      dir,
      "suite.yaml",
      `version: 1
name: baseline
targets:
  bot:
    provider: sim
    sim:
      ttft_ms: 2
      itl_ms: 1
      degrade: \${DEGRADE:-0}
      answers_from: { file: qa.csv, match: question, reply: answer }
prompts: { p: "{{question}}" }
cases:
  - { from: qa.csv, prompt: p, assert: [{ equals: "{{answer}}" }] }
quality: { concurrency: 16 }
`,
    );
    const main = path.join(dir, "main");
    expect((await runCli(["run", suite, "--out", main, "--quiet"])).code).toBe(0);
    const same = await runCli([
      "run",
      suite,
      "--out",
      path.join(dir, "same"),
      "--baseline",
      path.join(main, "run.json"),
    ]);
    expect(same.code, same.stderr).toBe(0);
    expect(same.stdout).toContain("vs baseline (new / old)");

    const worse = await runCli(
      ["run", suite, "--out", path.join(dir, "worse"), "--baseline", path.join(main, "run.json"), "--quiet"],
      { env: { DEGRADE: "0.4" } },
    );
    expect(worse.code).toBe(99);
    expect(worse.stderr).toMatch(
      /threshold failed: baseline compare\.pass_rate_delta\{candidate:bot\} >= 0pp: .*the whole interval is below 0pp: a drop is shown/,
    );
    const run = JSON.parse(await readFile(path.join(dir, "worse", "run.json"), "utf8")) as RunResult;
    expect(run.baseline!.comparisons[0]!.flips.regressions.length).toBeGreaterThan(15);
    expect(run.baseline!.ratios[0]).toMatchObject({ target: "bot", phase: "quality" });

    const missing = await runCli(["run", suite, "--baseline", path.join(dir, "nope.json")]);
    expect(missing.code).toBe(2);
    made = { dir, main, worse: run };
  });

  it("merges a run made with --baseline: the suite's thresholds again, the baseline only when given", async () => {
    // Uses the runs the test above made.
    if (!made) throw new Error("the --baseline runs were not made");
    const { dir, main, worse: run } = made;
    // merge judges the suite's thresholds again; the --baseline gates are the run's, not the suite's.
    // It used to re-parse every verdict key and end in an internal error (exit 3) on "baseline ...".
    const alone = await runCli(["merge", path.join(dir, "worse", "run.json"), "--out", path.join(dir, "m1")]);
    expect(alone.stderr).not.toContain("internal error");
    expect(alone.code, alone.stderr).toBe(0);
    expect(alone.stderr).toContain("pass --baseline RUN.json to merge to compare the merged run");
    const m1 = JSON.parse(await readFile(path.join(dir, "m1", "run.json"), "utf8")) as RunResult;
    expect(m1.baseline).toBeUndefined();
    expect(m1.thresholds).toEqual([]);
    // With the baseline, merge compares the merged run as run --baseline did, and fails the same way.
    const again = await runCli([
      "merge",
      path.join(dir, "worse", "run.json"),
      "--baseline",
      path.join(main, "run.json"),
      "--out",
      path.join(dir, "m2"),
    ]);
    expect(again.code, again.stderr).toBe(99);
    const m2 = JSON.parse(await readFile(path.join(dir, "m2", "run.json"), "utf8")) as RunResult;
    expect(m2.thresholds).toEqual([
      expect.objectContaining({
        key: "baseline compare.pass_rate_delta{candidate:bot}",
        pass: false,
        source: "baseline",
        threshold: expect.objectContaining({ metric: "compare.pass_rate_delta", tags: { candidate: "bot" } }),
      }),
    ]);
    expect(m2.thresholds[0]!.reason).toBe(run.thresholds[0]!.reason);
    expect(m2.baseline!.comparisons[0]!.flips.regressions).toEqual(
      run.baseline!.comparisons[0]!.flips.regressions,
    );
  });

  it("merges a run written with --baseline before verdicts kept their definition", async () => {
    const dir = await tempDir();
    const legacy = path.join(ROOT, "test/fixtures/saved-runs/legacy-baseline-20600b1.json");
    const r = await runCli(["merge", legacy, "--out", dir]);
    expect(r.stderr).not.toContain("internal error");
    expect(r.code, r.stderr).toBe(0);
    const merged = JSON.parse(await readFile(path.join(dir, "run.json"), "utf8")) as RunResult;
    // The suite's three thresholds judged again, each now with its definition; the two gates dropped.
    expect(merged.thresholds.map((v) => [v.key, v.pass, v.source, v.threshold?.metric])).toEqual([
      ["ttft.p95{phase:steady}", true, "suite", "ttft"],
      ["quality.pass_rate{target:a}", true, "suite", "quality.pass_rate"],
      ["compare.pass_rate_delta{candidate:b}", true, "suite", "compare.pass_rate_delta"],
    ]);
  });
});
