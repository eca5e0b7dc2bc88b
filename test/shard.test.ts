import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { summarizePhase } from "../src/metrics/aggregate.js";
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

  it("--shard 3/4 of two cases runs its share of the load; a shard with nothing to do exits 0", async () => {
    const text = `version: 1
name: two-cases
targets:
  t: { provider: openai-chat, base_url: "${sim.url}", model: m }
prompts: { p: "hello {{n}}" }
cases:
  - { id: a, prompt: p, vars: { n: 1 } }
  - { id: b, prompt: p, vars: { n: 2 } }
load:
  - { name: open, rate: 40, arrival: constant, duration: 1s }
thresholds:
  "error_rate{phase:open}": "< 1%"
`;
    const suite = await writeTemp(dir, "two-cases.yaml", text);
    // Shard 3 of 4 is dealt no quality case but still sends its share of the load (it used to end
    // in "internal error: a load phase needs cases or synthetic").
    const out = path.join(dir, "s3of4");
    const load = await runCli(["run", suite, "--only", "load", "--shard", "3/4", "--out", out, "--quiet"]);
    expect(load.code, load.stderr).toBe(0);
    const run = JSON.parse(await readFile(path.join(out, "run.json"), "utf8")) as RunResult;
    expect(run.phases.find((p) => p.phase === "open")!.successes).toBe(10);
    // With load and quality, the quality threshold is left to merge, the load one judged.
    const withQuality = await writeTemp(dir, "two-cases-q.yaml", `${text}  "quality.pass_rate": ">= 0"\n`);
    const both = await runCli([
      "run",
      withQuality,
      "--shard",
      "3/4",
      "--out",
      path.join(dir, "s3both"),
      "--quiet",
    ]);
    expect(both.code, both.stderr).toBe(0);
    expect(both.stderr).toContain("shard 3/4: threshold quality.pass_rate can get no samples");
    expect(both.stderr).toContain("merge judges it");

    const idle = await runCli([
      "run",
      suite,
      "--only",
      "quality",
      "--shard",
      "3/4",
      "--out",
      path.join(dir, "idle"),
    ]);
    expect(idle.code, idle.stderr).toBe(0);
    expect(idle.stderr).toContain(
      "shard 3/4 has nothing to do: no quality case (2 dealt round-robin over 4 shards); nothing was sent",
    );
  });

  it("two shards started 5 s apart merge to the sum of their own throughputs, with a warning", async () => {
    const suite = await writeTemp(
      dir,
      "apart.yaml",
      `version: 1
name: apart
targets:
  t: { provider: openai-chat, base_url: "${sim.url}", model: m }
prompts: { p: "hello" }
cases: [{ prompt: p }]
load:
  - { name: open, rate: 24, arrival: constant, duration: 4s }
`,
    );
    const outs = [path.join(dir, "apart1"), path.join(dir, "apart2")];
    const shard = (i: number) =>
      runCli(["run", suite, "--only", "load", "--shard", `${i + 1}/2`, "--out", outs[i]!, "--quiet"]);
    const first = shard(0);
    await new Promise((r) => setTimeout(r, 5_000));
    const results = await Promise.all([first, shard(1)]);
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    const own = await Promise.all(
      outs.map(async (o) => {
        const run = JSON.parse(await readFile(path.join(o, "run.json"), "utf8")) as RunResult;
        return summarizePhase(run.phases.find((p) => p.phase === "open")!).requestThroughput;
      }),
    );
    const merged = path.join(dir, "apart-merged");
    const m = await runCli(["merge", ...outs.map((o) => path.join(o, "run.json")), "--out", merged]);
    expect(m.code, m.stderr).toBe(0);
    const run = JSON.parse(await readFile(path.join(merged, "run.json"), "utf8")) as RunResult;
    const throughput = summarizePhase(run.phases.find((p) => p.phase === "open")!).requestThroughput;
    const sum = own[0]! + own[1]!;
    expect(Math.abs(throughput - sum) / sum).toBeLessThan(0.05);
    // One window from the first start to the last end would read about half of it.
    expect(m.stderr).toMatch(/warning: the shards' load windows overlap \d+% \(under 80%\)/);
    expect(m.stderr).toMatch(
      /shard 1\/2 \(.*apart1.*run\.json\): \d\d:\d\d:\d\d\.\d{3} → \d\d:\d\d:\d\d\.\d{3} UTC, \d+\.\ds/,
    );
    expect(m.stderr).toMatch(/shard 2\/2 \(.*apart2.*run\.json\)/);
    console.log(
      `shards: ${own.map((x) => x.toFixed(2)).join(" + ")} = ${sum.toFixed(2)} req/s; merged ${throughput.toFixed(2)} req/s`,
    );
  }, 60_000);
});
