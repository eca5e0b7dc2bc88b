import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { RunResult } from "../src/record/run-result.js";
import { interruptRun, runCli, startSimProcess, tempDir, writeTemp } from "./helpers/cli.js";
import { validateJunit } from "./helpers/junit-xsd.js";

const REPORTS = [
  "cases.csv",
  "junit.xml",
  "report.html",
  "requests.ndjson",
  "review.jsonl",
  "run.json",
  "summary.md",
];
const lines = (text: string) => text.split("\n").filter(Boolean);

interface Truth {
  id: string;
  status: number;
  lastTokenUs?: number;
}

describe("SIGINT during gauntlet run", () => {
  it("exits 130 within 5 s with every report written and every finished request in requests.ndjson", async () => {
    const dir = await tempDir();
    const truthFile = path.join(dir, "truth.jsonl");
    const sim = await startSimProcess([
      "--ttft-ms",
      "100",
      "--itl-ms",
      "50",
      "--output-tokens",
      "4",
      "--max-batch",
      "4",
      "--truth",
      truthFile,
    ]);
    try {
      const suite = await writeTemp(
        dir,
        "suite.yaml",
        `version: 1
name: interrupted
targets:
  slow: { provider: openai-chat, base_url: "${sim.url}", model: m }
prompts: { q: "question {{n}}" }
cases:
${Array.from({ length: 200 }, (_, i) => `  - { id: c${i}, prompt: q, vars: { n: ${i} }, assert: [{ contains: "x" }] }`).join("\n")}
quality: { concurrency: 4 }
thresholds: { "quality.pass_rate": ">= 0" }
`,
      );
      const out = path.join(dir, "out");
      const { code, stderr, exitMs } = await interruptRun(suite, out, 8);
      expect(exitMs).toBeLessThan(5_000);
      expect(code, stderr).toBe(130);
      expect((await readdir(out)).sort()).toEqual(REPORTS);
      const run = JSON.parse(await readFile(path.join(out, "run.json"), "utf8")) as RunResult;
      expect(run.status).toBe("interrupted");
      const junit = await readFile(path.join(out, "junit.xml"), "utf8");
      expect(await validateJunit(junit)).toEqual({ valid: true, errors: [] });
      expect(junit).toContain('<property name="status" value="interrupted"/>');
      const summary = await readFile(path.join(out, "summary.md"), "utf8");
      expect(summary.split("\n")[0]).toBe(
        "## ❌ Gauntlet interrupted: interrupted: partial results (exit 130)",
      );

      const requests = lines(await readFile(path.join(out, "requests.ndjson"), "utf8")).map(
        (l) => JSON.parse(l) as { response_id?: string; ok: boolean },
      );
      expect(requests.length).toBeGreaterThanOrEqual(8);
      expect(requests.length).toBeLessThan(200);
      expect(run.phases[0]!.requests).toBe(requests.length);
      expect(run.quality.cases).toHaveLength(requests.length);
      // Ground truth: every request the simulator finished is a line, and nothing else is.
      await sim.stop();
      const truth = lines(await readFile(truthFile, "utf8")).map((l) => JSON.parse(l) as Truth);
      const finished = truth.filter((t) => t.status === 200 && t.lastTokenUs !== undefined);
      expect(requests.every((r) => r.ok)).toBe(true);
      expect(new Set(requests.map((r) => r.response_id))).toEqual(new Set(finished.map((t) => t.id)));
    } finally {
      await sim.stop().catch(() => {});
    }
  });
});

describe("secrets", () => {
  it("an API key set through ${VAR} appears in no report, annotation, step summary, output or error", async () => {
    const dir = await tempDir();
    const key = "sk-planted-0a1b2c3d4e5f6789";
    const suite = await writeTemp(
      dir,
      "suite.yaml",
      `version: 1
name: secrets
targets:
  t: { provider: sim, api_key: "\${PLANTED_KEY}", sim: { ttft_ms: 1, itl_ms: 1, answers: [{ match: "say", reply: "no" }] } }
  gone:
    provider: openai-chat
    base_url: "http://user:\${PLANTED_KEY}@127.0.0.1:1/v1?key=\${PLANTED_KEY}"
    model: m
    headers: { X-Api-Key: "\${PLANTED_KEY}" }
    timeouts: { connect: 1s }
prompts: { q: "say {{word}}" }
cases:
  - { id: leak, prompt: q, vars: { word: "\${PLANTED_KEY}" }, assert: [{ equals: "\${PLANTED_KEY}" }] }
thresholds:
  "quality.pass_rate{target:t}": ">= 0.99"
`,
    );
    const out = path.join(dir, "out");
    const stepSummary = path.join(dir, "step-summary.md");
    const env = { PLANTED_KEY: key, GITHUB_ACTIONS: "true", GITHUB_STEP_SUMMARY: stepSummary };
    const run = await runCli(["run", suite, "--out", out], { env });
    expect(run.code, run.stderr).toBe(99);
    const report = await runCli(["report", path.join(out, "run.json"), "--format", "md"], { env });
    const json = await runCli(["run", suite, "--out", path.join(dir, "out2"), "--json"], { env });
    const files = (await readdir(out)).sort();
    expect(files).toEqual(REPORTS);
    const texts = [run.stdout, run.stderr, report.stdout, report.stderr, json.stdout, json.stderr];
    texts.push(await readFile(stepSummary, "utf8"));
    for (const f of files) texts.push(await readFile(path.join(out, f), "utf8"));
    for (const f of await readdir(path.join(dir, "out2")))
      texts.push(await readFile(path.join(dir, "out2", f), "utf8"));
    // The reports did get the failing case, its input and output: redacted, not dropped.
    expect(texts.join("\n")).toContain("***");
    expect(await readFile(path.join(out, "review.jsonl"), "utf8")).toContain('"say ***"');
    expect(run.stdout).toContain("::error file=");
    // Under --json stdout stays one JSON document; the annotations go to stderr.
    expect((JSON.parse(json.stdout) as { status: string }).status).toBe("completed");
    expect(json.stderr).toContain("::error file=");
    for (const [i, text] of texts.entries()) expect(text.includes(key), `text ${i}`).toBe(false);
  });
});
