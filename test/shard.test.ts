import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Recorder, summarize } from "../src/metrics/histogram.js";
import type { RunResult } from "../src/record/run-result.js";
import { runCli, startSimProcess, tempDir, writeTemp, type SimProcess } from "./helpers/cli.js";

describe("--shard i/n and gauntlet merge", () => {
  let sim: SimProcess;
  let dir: string;

  beforeAll(async () => {
    dir = await tempDir();
    sim = await startSimProcess([
      "--ttft-ms",
      "5",
      "--itl-ms",
      "2",
      "--output-tokens",
      "6",
      "--jitter",
      "0.5",
    ]);
  });
  afterAll(async () => {
    await sim?.stop();
  });

  it("two shards merged give exactly the histograms of all their requests", async () => {
    const suite = await writeTemp(
      dir,
      "suite.yaml",
      `version: 1
name: sharded
targets:
  t: { provider: openai-chat, base_url: "${sim.url}", model: m }
prompts: { p: "hello {{n}}" }
cases:
${Array.from({ length: 9 }, (_, i) => `  - { id: c${i}, prompt: p, vars: { n: ${i} } }`).join("\n")}
load:
  - { name: closed, concurrency: 4, requests: 61 }
thresholds:
  "ttft.p99{phase:closed}": "< 5s"
`,
    );
    const outs = [path.join(dir, "s1"), path.join(dir, "s2")];
    for (const [i, out] of outs.entries()) {
      const r = await runCli(["run", suite, "--shard", `${i + 1}/2`, "--out", out, "--quiet"]);
      expect(r.code, r.stderr).toBe(0);
    }
    const merged = path.join(dir, "merged");
    const m = await runCli(["merge", ...outs.map((o) => path.join(o, "run.json")), "--out", merged]);
    expect(m.code, m.stderr).toBe(0);
    const run = JSON.parse(await readFile(path.join(merged, "run.json"), "utf8")) as RunResult;
    // The merged run gets every report a single run writes (CI reads junit.xml and summary.md).
    for (const name of ["cases.csv", "junit.xml", "summary.md", "report.html"])
      expect((await readFile(path.join(merged, name), "utf8")).length, name).toBeGreaterThan(0);
    // Nothing failed, so the review queue is there and empty.
    expect(await readFile(path.join(merged, "review.jsonl"), "utf8")).toBe("");
    expect(await readFile(path.join(merged, "junit.xml"), "utf8")).toContain("<testsuite");
    expect(run.mergedFrom).toBe(2);
    const closed = run.phases.find((p) => p.phase === "closed")!;
    expect(closed.requests).toBe(61);
    expect(run.quality.cases).toHaveLength(9);
    expect(run.quality.totals[0]!.cases).toBe(9);
    expect(run.thresholds).toEqual([expect.objectContaining({ key: "ttft.p99{phase:closed}", pass: true })]);

    // Rebuild the ttft histogram from every request line of both shards: it must match exactly.
    const all = new Recorder("latency");
    for (const out of outs) {
      for (const line of (await readFile(path.join(out, "requests.ndjson"), "utf8"))
        .split("\n")
        .filter(Boolean)) {
        const l = JSON.parse(line) as { phase: string; ttft_ms?: number };
        if (l.phase === "closed" && l.ttft_ms !== undefined) all.record(Math.round(l.ttft_ms * 1000));
      }
    }
    expect(summarize(Recorder.decode(closed.histograms.ttft))).toEqual(summarize(all));
  });
});
