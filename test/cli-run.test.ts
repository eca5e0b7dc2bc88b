import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { interruptRun, ROOT, runCli, tempDir, writeTemp } from "./helpers/cli.js";

interface RunJson {
  schemaVersion: number;
  status: string;
  targets: Array<{ name: string; reachable: boolean }>;
  quality: {
    totals: Array<{ target: string; passed: number; scored: number; errored: number; passRate: number }>;
  };
  phases: Array<{ target: string; requests: number; successes: number }>;
  thresholds: Array<{ key: string; pass: boolean; observed?: number }>;
}

const readJson = async <T>(file: string) => JSON.parse(await readFile(file, "utf8")) as T;
const readLines = async (file: string) => (await readFile(file, "utf8")).split("\n").filter(Boolean);

describe("gauntlet run", () => {
  it("runs the quickstart suite end to end on the built-in simulator and exits 0", async () => {
    const out = path.join(await tempDir(), "out");
    const started = Date.now();
    const { code, stdout, stderr } = await runCli(["run", "suites/quickstart.yaml", "--out", out]);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/baseline\s+quality\s+21\s+9\d\.\d%/);
    expect(stdout).toMatch(/candidate\s+quality\s+21/);
    expect(stdout).toContain("all thresholds passed");
    const run = await readJson<RunJson>(path.join(out, "run.json"));
    expect(run.schemaVersion).toBe(1);
    expect(run.status).toBe("completed");
    expect(run.phases.map((p) => [p.target, p.requests, p.successes])).toEqual([
      ["baseline", 21, 21],
      ["candidate", 21, 21],
    ]);
    // The degraded variant answers a quarter of prompts wrong; the baseline one of 21 (ticket-15).
    const [baseline, candidate] = run.quality.totals;
    expect(baseline!.passed).toBe(20);
    expect(candidate!.passRate).toBeLessThan(baseline!.passRate);
    expect(await readLines(path.join(out, "requests.ndjson"))).toHaveLength(42);
  });

  it("exits 99 and names the threshold when quality.pass_rate fails", async () => {
    const dir = await tempDir();
    const suite = await writeTemp(
      dir,
      "suite.yaml",
      `version: 1
name: failing
targets:
  bad: { provider: sim, sim: { degrade: 1, ttft_ms: 1, itl_ms: 1, answers: [{ match: "capital", reply: "Paris" }] } }
prompts: { q: "{{q}}" }
cases:
  - { id: c1, prompt: q, vars: { q: "capital of France?" }, assert: [{ equals: Paris }] }
  - { id: c2, prompt: q, vars: { q: "capital of France, again?" }, assert: [{ equals: Paris }] }
thresholds:
  quality.pass_rate: ">= 0.9"
`,
    );
    const { code, stderr } = await runCli(["run", suite, "--out", path.join(dir, "out"), "--quiet"]);
    expect(code).toBe(99);
    expect(stderr).toContain("threshold failed: quality.pass_rate >= 0.9: observed 0.00%, limit >= 90.00%");
    const run = await readJson<RunJson>(path.join(dir, "out", "run.json"));
    expect(run.thresholds).toEqual([
      expect.objectContaining({ key: "quality.pass_rate", pass: false, observed: 0 }),
    ]);
  });

  it("exits 3 when no target is reachable, and still writes run.json", async () => {
    const dir = await tempDir();
    const suite = await writeTemp(
      dir,
      "suite.yaml",
      `version: 1
name: unreachable
targets:
  gone: { provider: openai-chat, base_url: "http://127.0.0.1:1/v1", model: m, timeouts: { connect: 2s } }
prompts: { q: "hi" }
cases: [{ prompt: q }]
`,
    );
    const { code, stderr } = await runCli(["run", suite, "--out", path.join(dir, "out")]);
    expect(code).toBe(3);
    expect(stderr).toContain("gone: cannot connect to http://127.0.0.1:1/v1");
    const run = await readJson<RunJson>(path.join(dir, "out", "run.json"));
    expect(run.status).toBe("unreachable");
    expect(run.targets).toEqual([expect.objectContaining({ name: "gone", reachable: false })]);
  });

  it("plain progress beats every --heartbeat while a server is slow to answer; a bad value is exit 2", async () => {
    const dir = await tempDir();
    const suite = await writeTemp(
      dir,
      "suite.yaml",
      `version: 1
name: slow
targets:
  a: { provider: sim, sim: { ttft_ms: 3500, itl_ms: 1, output_tokens: 2, jitter: 0 } }
prompts: { q: "hi" }
cases: [{ id: c1, prompt: q }]
`,
    );
    const { code, stderr } = await runCli([
      "run",
      suite,
      "--out",
      path.join(dir, "out"),
      "--heartbeat",
      "1s",
    ]);
    expect(code, stderr).toBe(0);
    // Nothing finishes for 3.5 s: the log says so while it waits, then the case finishes.
    expect(stderr).toMatch(
      / {2}a\/quality: \ds, 0\/1 done, 0 failed; none finished in the last 1s: still waiting/,
    );
    expect(stderr).toContain("a/quality: finished 1/1, 0 failed");
    const bad = await runCli(["run", suite, "--out", path.join(dir, "bad"), "--heartbeat", "0s"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--heartbeat expects a duration from 1s to 1h");
  });

  it("a plan error quoting a value the suite took from a secret shows it redacted", async () => {
    const dir = await tempDir();
    const token = "sk-planted-plan-7a6b5c4d3e2f";
    const suite = await writeTemp(
      dir,
      "suite.yaml",
      `version: 1
name: plan-secret
targets:
  a: { provider: sim }
  b: { extends: "\${MY_TOKEN}" }
prompts: { q: "hi" }
cases: [{ prompt: q }]
`,
    );
    const env = { MY_TOKEN: token };
    for (const command of ["validate", "run"]) {
      const { code, stdout, stderr } = await runCli([command, suite], { env });
      expect(code).toBe(2);
      expect(stderr).toContain("targets.b.extends: unknown target");
      // Neither the key nor any 6-character piece of it.
      for (let i = 0; i + 6 <= token.length; i++)
        expect(stdout + stderr).not.toContain(token.slice(i, i + 6));
    }
  });

  it("never writes an API key from the environment to output, reports or errors", async () => {
    const dir = await tempDir();
    const key = "sk-planted-9f8e7d6c5b4a";
    const suite = await writeTemp(
      dir,
      "suite.yaml",
      `version: 1
name: secrets
targets:
  t: { provider: sim, api_key: "\${PLANTED_KEY}", sim: { ttft_ms: 1, itl_ms: 1 } }
  u: { provider: openai-chat, base_url: "http://127.0.0.1:1/v1?key=\${PLANTED_KEY}", model: m, api_key: "\${PLANTED_KEY}" }
prompts: { q: "say {{word}}" }
cases: [{ prompt: q, vars: { word: "\${PLANTED_KEY}" } }]
thresholds: { error_rate: "< 1%" }
`,
    );
    const out = path.join(dir, "out");
    const env = { PLANTED_KEY: key };
    const run = await runCli(["run", suite, "--out", out], { env });
    const validate = await runCli(["validate", suite], { env });
    const files = await readdir(out);
    expect(files.sort()).toEqual([
      "cases.csv",
      "junit.xml",
      "report.html",
      "requests.ndjson",
      "review.jsonl",
      "run.json",
      "summary.md",
    ]);
    for (const text of [run.stdout, run.stderr, validate.stdout, validate.stderr])
      expect(text).not.toContain(key);
    for (const f of files) expect(await readFile(path.join(out, f), "utf8")).not.toContain(key);
    expect(validate.stdout).toContain("api_key: ***");
  });

  it("writes the partial report and exits 130 on SIGINT", async () => {
    const dir = await tempDir();
    const suite = await writeTemp(
      dir,
      "suite.yaml",
      `version: 1
name: interrupted
targets:
  slow: { provider: sim, sim: { ttft_ms: 100, itl_ms: 50, output_tokens: 4, max_batch: 4 } }
prompts: { q: "question {{n}}" }
cases:
${Array.from({ length: 200 }, (_, i) => `  - { id: c${i}, prompt: q, vars: { n: ${i} } }`).join("\n")}
quality: { concurrency: 4 }
`,
    );
    const out = path.join(dir, "out");
    const { code, stderr, exitMs } = await interruptRun(suite, out, 4);
    expect(exitMs).toBeLessThan(5_000);
    expect(code, stderr).toBe(130);
    const run = await readJson<RunJson>(path.join(out, "run.json"));
    expect(run.status).toBe("interrupted");
    const lines = await readLines(path.join(out, "requests.ndjson"));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.length).toBeLessThan(200);
    // Every request that finished is in requests.ndjson, and the aggregates count exactly those.
    expect(run.phases[0]!.requests).toBe(lines.length);
  });
});

describe("gauntlet validate, schema and help", () => {
  it("validate prints the resolved plan and exits 0", async () => {
    const { code, stdout } = await runCli(["validate", "suites/quickstart.yaml"]);
    expect(code).toBe(0);
    expect(stdout).toContain("candidate: sim support-bot-int4");
    expect(stdout).toContain("cases: 21");
    expect(stdout).toContain("quality.pass_rate{target:baseline} >= 90.00%");
  });

  it("schema prints the JSON Schema that suite.schema.json holds", async () => {
    const { code, stdout } = await runCli(["schema"]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(
      JSON.parse(await readFile(path.join(ROOT, "suite.schema.json"), "utf8")),
    );
  });

  it("--help lists the commands; an unknown command exits 2", async () => {
    const help = await runCli(["--help"]);
    expect(help.code).toBe(0);
    for (const c of ["run", "validate", "schema", "sim", "report"])
      expect(help.stdout).toMatch(new RegExp(`^\\s+${c}\\b`, "m"));
    expect((await runCli(["frobnicate"])).code).toBe(2);
  });
});
