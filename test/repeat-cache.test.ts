import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunResult } from "../src/record/run-result.js";
import { runCli, startSimProcess, tempDir, writeTemp, type SimProcess } from "./helpers/cli.js";

const ids = Array.from({ length: 8 }, (_, i) => `c${i + 1}`);
const CSV =
  ["id,question,label", ...ids.map((id, i) => `${id},Question ${id} here,${i % 2 ? "yes" : "no"}`)].join(
    "\n",
  ) + "\n";

async function runIn(dir: string, suite: string, args: string[] = [], env: NodeJS.ProcessEnv = { CI: "" }) {
  const out = path.join(dir, `out-${Math.random().toString(36).slice(2)}`);
  const r = await runCli(["run", suite, "--out", out, ...args], { cwd: dir, env });
  const runFile = path.join(out, "run.json");
  const run = JSON.parse(await readFile(runFile, "utf8")) as RunResult;
  return { ...r, run, runFile };
}

describe("repeat: K", () => {
  let r: Awaited<ReturnType<typeof runIn>>;
  beforeAll(async () => {
    const dir = await tempDir();
    await writeTemp(dir, "cases.csv", CSV);
    const suite = await writeTemp(
      dir,
      "suite.yaml",
      `version: 1
name: repeats
targets:
  base:
    provider: sim
    sim: { ttft_ms: 0, itl_ms: 0, answers_from: { file: cases.csv, match: question, reply: label } }
  cand: { extends: base, sim: { degrade: 0.5 } }
prompts:
  q: "{{question}}"
cases:
  - from: cases.csv
    prompt: q
    assert: [{ equals: "{{label}}" }]
  - { id: solo, prompt: q, vars: { question: "Question c1 here" }, assert: [{ equals: "no" }], repeat: 5 }
quality: { repeat: 3 }
compare: { baseline: base, candidates: [cand] }
thresholds:
  "quality.pass_at_k{target:base}": "== 1"
  "quality.consistency{target:cand}": "== 1"
  "compare.pass_rate_delta{candidate:cand}": "> -99pp"
`,
    );
    r = await runIn(dir, suite);
  });

  it("runs each case K times (a case's own repeat wins) and numbers the runs", () => {
    expect(r.code, r.stderr).toBe(0);
    const base = r.run.quality.cases.filter((o) => o.target === "base");
    expect(base).toHaveLength(8 * 3 + 5);
    expect(r.run.quality.totals.find((t) => t.target === "base")).toMatchObject({ cases: 9, runs: 29 });
    const attempts = (id: string) =>
      base
        .filter((o) => o.caseId === id)
        .map((o) => o.attempt)
        .sort();
    expect(attempts("c1")).toEqual([0, 1, 2]);
    expect(attempts("solo")).toEqual([0, 1, 2, 3, 4]);
    expect(r.run.phases.find((p) => p.target === "base" && p.phase === "quality")!.requests).toBe(29);
  });

  it("reports pass@k and pass^k at k = the largest repeat, and consistency", () => {
    const tasks = Object.fromEntries(r.run.quality.tasks!.map((t) => [t.target, t.repeats!]));
    expect(tasks.base!.k).toBe(5);
    // The simulator answers a prompt the same way every time: each case passes always or never.
    expect(tasks.base!.passAtK).toEqual([1, 1, 1, 1, 1]);
    expect(tasks.cand!.consistency).toBe(1);
    expect(tasks.cand!.stableRate).toBe(1);
    const candCases = tasks.cand!.cases;
    const failing = candCases.filter((c) => c.passed === 0).length;
    // pass@1 over cases = share of cases that pass; with a deterministic model pass@k = pass^k = pass@1.
    const share = (candCases.length - failing) / candCases.length;
    expect(tasks.cand!.passAtK[0]).toBeCloseTo(share, 12);
    expect(tasks.cand!.passHatK[2]).toBeCloseTo(share, 12);
    expect(r.run.thresholds.every((v) => v.pass)).toBe(true);
  });

  it("pairs the runs by index and clusters them by case for the comparison", () => {
    const c = r.run.comparisons[0]!;
    expect(c.matched).toBe(29);
    expect(c.clustered!.clusters).toBe(9);
    expect(c.repeats).toEqual({ cases: 9, runs: 29 });
    const gate = r.run.thresholds.find((v) => v.key.startsWith("compare."))!;
    expect(gate.reason).toContain("cluster-robust over 9 cases: CR1, t on 8 df");
  });
});

describe("the response cache", () => {
  let sim: SimProcess;
  let dir: string;
  let suite: string;
  beforeAll(async () => {
    dir = await tempDir();
    const config = await writeTemp(
      dir,
      "sim.yaml",
      `ttft_ms: 5\nitl_ms: 1\nanswers:\n${ids.map((id, i) => `  - { match: "Question ${id} here", reply: "${i % 2 ? "yes" : "no"}" }`).join("\n")}\n`,
    );
    sim = await startSimProcess(["--config", config]);
    await writeTemp(dir, "cases.csv", CSV);
    suite = await writeTemp(
      dir,
      "suite.yaml",
      `version: 1
name: cached
targets:
  real: { provider: openai-chat, base_url: "${sim.url}", model: gauntlet-sim, params: { temperature: 0 } }
prompts:
  q: "{{question}}"
cases:
  - from: cases.csv
    prompt: q
    assert: [{ equals: "{{label}}" }]
thresholds:
  "quality.pass_rate": "== 1"
`,
    );
  });
  afterAll(() => sim?.stop());

  it("with --cache, answers a second run from .gauntlet-cache/, marked cached and left out of latency", async () => {
    const first = await runIn(dir, suite, ["--cache"]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.run.quality.cases.some((o) => o.cached)).toBe(false);
    expect(first.run.phases[0]!.requests).toBe(8);
    expect(first.run.cache).toMatchObject({ mode: "on", answers: 0, of: 8 });

    const second = await runIn(dir, suite, ["--cache"]);
    expect(second.code, second.stderr).toBe(0);
    expect(second.run.quality.cases).toHaveLength(8);
    for (const o of second.run.quality.cases) {
      expect(o).toMatchObject({ cached: true, pass: true });
      expect(o.ttftMs).toBeUndefined();
      expect(o.e2eMs).toBeUndefined();
    }
    expect(second.run.quality.totals[0]).toMatchObject({ passed: 8, cached: 8 });
    // No request was sent, so the quality phase holds no latency sample at all.
    expect(second.run.phases[0]!.requests).toBe(0);
    expect(second.stdout).toContain("real: 8 of 8 quality answers from the cache");
    // The gate rests entirely on cached answers, and says so.
    expect(second.stdout).toContain("all thresholds passed; every quality answer was read from the cache");
    expect(second.run.cache).toMatchObject({ mode: "on", answers: 8, of: 8 });
    expect(second.run.cache!.targets).toEqual([expect.objectContaining({ target: "real", versioned: true })]);
    const summary = await readFile(path.join(path.dirname(second.runFile), "summary.md"), "utf8");
    expect(summary).toContain("every quality answer was read from the cache, none measured");
    expect(summary).toContain("cache: 8 of 8 quality answers read from the cache, not timed");

    // Off by default: a plain run measures every answer.
    const plain = await runIn(dir, suite);
    expect(plain.run.quality.cases.some((o) => o.cached)).toBe(false);
    expect(plain.run.phases[0]!.requests).toBe(8);
    expect(plain.run.cache).toMatchObject({ mode: "off", answers: 0 });

    const fresh = await runIn(dir, suite, ["--no-cache"]);
    expect(fresh.code, fresh.stderr).toBe(0);
    expect(fresh.run.quality.cases.some((o) => o.cached)).toBe(false);
    expect(fresh.run.phases[0]!.requests).toBe(8);
  });

  it("under CI=true nothing is read from the cache, even with --cache, unless --cache=force", async () => {
    await runIn(dir, suite, ["--cache"]);
    const ci = await runIn(dir, suite, ["--cache"], { CI: "true" });
    expect(ci.code, ci.stderr).toBe(0);
    expect(ci.run.quality.cases.some((o) => o.cached)).toBe(false);
    expect(ci.run.phases[0]!.requests).toBe(8);
    expect(ci.run.cache).toMatchObject({ mode: "off", answers: 0 });
    expect(ci.stdout).toContain("cache: off (--cache is not read under CI=true");
    const forced = await runIn(dir, suite, ["--cache=force"], { CI: "true" });
    expect(forced.run.quality.cases.every((o) => o.cached)).toBe(true);
    expect(forced.run.cache).toMatchObject({ mode: "force", answers: 8 });
  });
});

describe("the response cache and a redeploy behind the same URL", () => {
  it("a simulator restarted on the same port with degrade is measured on the next run, never read from cache", async () => {
    const dir = await tempDir();
    const config = await writeTemp(
      dir,
      "sim.yaml",
      `ttft_ms: 2\nitl_ms: 1\nanswers:\n${ids.map((id, i) => `  - { match: "Question ${id} here", reply: "${i % 2 ? "yes" : "no"}" }`).join("\n")}\n`,
    );
    await writeTemp(dir, "cases.csv", CSV);
    let sim = await startSimProcess(["--config", config]);
    const port = new URL(sim.url).port;
    const suite = await writeTemp(
      dir,
      "suite.yaml",
      `version: 1
name: redeploy
targets:
  prod: { provider: openai-chat, base_url: "${sim.url}", model: gauntlet-sim, params: { temperature: 0 } }
prompts:
  q: "{{question}}"
cases:
  - from: cases.csv
    prompt: q
    assert: [{ equals: "{{label}}" }]
thresholds:
  "quality.pass_rate": "== 1"
`,
    );
    try {
      const first = await runIn(dir, suite, ["--cache"]);
      expect(first.code, first.stderr).toBe(0);
      const again = await runIn(dir, suite, ["--cache"]);
      expect(again.run.cache).toMatchObject({ answers: 8, of: 8 });
      // Redeployed: the same URL and model name, half its answers now wrong.
      await sim.stop();
      sim = await startSimProcess(["--config", config, "--degrade", "0.5", "--port", port]);
      expect(sim.url).toBe(`http://127.0.0.1:${port}/v1`);
      const after = await runIn(dir, suite, ["--cache"]);
      expect(after.run.cache).toMatchObject({ mode: "on", answers: 0, of: 8 });
      expect(after.run.quality.cases.some((o) => o.cached)).toBe(false);
      expect(after.run.phases[0]!.requests).toBe(8);
      expect(after.run.quality.totals[0]!.passRate).toBeLessThan(1);
      expect(after.code).toBe(99);
    } finally {
      await sim.stop();
    }
  });
});
