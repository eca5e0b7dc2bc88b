import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { RunResult } from "../src/record/run-result.js";
import { runCli, tempDir, writeTemp } from "./helpers/cli.js";

describe("run --baseline RUN.json", () => {
  it("passes against an equal baseline and fails (99) on a significant pass-rate drop, with latency ratios", async () => {
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
      /threshold failed: baseline compare\.pass_rate_delta\{candidate:bot\}.*significant/,
    );
    const run = JSON.parse(await readFile(path.join(dir, "worse", "run.json"), "utf8")) as RunResult;
    expect(run.baseline!.comparisons[0]!.flips.regressions.length).toBeGreaterThan(15);
    expect(run.baseline!.ratios[0]).toMatchObject({ target: "bot", phase: "quality" });

    const missing = await runCli(["run", suite, "--baseline", path.join(dir, "nope.json")]);
    expect(missing.code).toBe(2);
  });
});
