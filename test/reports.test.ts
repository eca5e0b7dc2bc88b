import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import type { RunResult } from "../src/record/run-result.js";
import { ROOT, runCli, tempDir, writeTemp } from "./helpers/cli.js";
import { parseGfmTables } from "./helpers/gfm-tables.js";
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

const readText = (dir: string, name: string) => readFile(path.join(dir, name), "utf8");
const readRun = async (dir: string) => JSON.parse(await readText(dir, "run.json")) as RunResult;
const lines = (text: string) => text.split("\n").filter(Boolean);

const schema = JSON.parse(await readFile(path.join(ROOT, "run.schema.json"), "utf8")) as object;
const validateRun = new Ajv2020({ allErrors: true, strict: true }).compile(schema);

/** Checks what every run's reports must hold, whatever the verdict. */
async function expectReports(out: string): Promise<{ run: RunResult; junit: string; summary: string }> {
  expect((await readdir(out)).sort()).toEqual(REPORTS);
  const run = await readRun(out);
  expect(validateRun(run), JSON.stringify(validateRun.errors)).toBe(true);
  const junit = await readText(out, "junit.xml");
  expect(await validateJunit(junit)).toEqual({ valid: true, errors: [] });
  const summary = await readText(out, "summary.md");
  expect(parseGfmTables(summary).length).toBeGreaterThan(0);
  const csv = parse(await readText(out, "cases.csv"), { columns: true }) as unknown[];
  expect(csv).toHaveLength(run.quality.cases.length);
  return { run, junit, summary };
}

/** A suite of `n` sim cases; `wrong` of them answered wrongly; extra YAML appended. */
function suiteText(
  name: string,
  opts: { n?: number; wrong?: number; ttftMs?: number; sim?: string; extra?: string },
): string {
  const n = opts.n ?? 6;
  const wrong = opts.wrong ?? 0;
  return `version: 1
name: ${name}
targets:
  bot:
    provider: sim
    model: bot-1
    pricing: { input_per_mtok: 1, output_per_mtok: 2 }
    sim: { ttft_ms: ${opts.ttftMs ?? 5}, itl_ms: 1, ${opts.sim ?? ""} answers: [{ match: "wrong", reply: "nope" }, { match: "q", reply: "yes" }] }
prompts: { p: "{{text}}" }
cases:
${Array.from({ length: n }, (_, i) => `  - { id: c${i}, prompt: p, vars: { text: "${i < wrong ? "wrong" : "q"} ${i}" }, assert: [{ equals: "yes" }] }`).join("\n")}
quality: { concurrency: 4 }
${opts.extra ?? ""}
`;
}

describe("reports of gauntlet run", () => {
  it("a passing suite exits 0 and writes every report; gauntlet report re-renders each exactly", async () => {
    const dir = await tempDir();
    const suite = await writeTemp(
      dir,
      "suite.yaml",
      suiteText("passing", {
        extra: `load:
  - { name: steady, concurrency: 2, requests: 20 }
thresholds:
  "quality.pass_rate": ">= 0.9"
  "ttft.p95{phase:steady}": "< 2s"
  "error_rate": "< 1%"`,
      }),
    );
    const out = path.join(dir, "out");
    const stepSummary = path.join(dir, "step-summary.md");
    await writeFile(stepSummary, "## an earlier step\n");
    const r = await runCli(["run", suite, "--out", out], { env: { GITHUB_STEP_SUMMARY: stepSummary } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain("::error");
    expect(r.stdout).not.toContain("\u001b[");
    const { run, junit, summary } = await expectReports(out);
    expect(run.status).toBe("completed");
    expect(summary.split("\n")[0]).toBe("## ✅ Gauntlet passing: all 3 thresholds passed");
    expect(junit).not.toContain("<failure");
    expect(await readText(out, "review.jsonl")).toBe("");
    expect(await readFile(stepSummary, "utf8")).toBe(`## an earlier step\n\n${summary}\n`);
    expect(lines(await readText(out, "requests.ndjson"))).toHaveLength(26);

    const runJson = path.join(out, "run.json");
    const formats: Array<[string, string]> = [
      ["md", "summary.md"],
      ["html", "report.html"],
      ["junit", "junit.xml"],
      ["csv", "cases.csv"],
      ["json", "run.json"],
    ];
    for (const [format, file] of formats) {
      const again = await runCli(["report", runJson, "--format", format]);
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout, format).toBe(await readText(out, file));
    }
    const written = path.join(dir, "again.xml");
    expect((await runCli(["report", runJson, "--format", "junit", "--out", written])).code).toBe(0);
    expect(await readFile(written, "utf8")).toBe(junit);
    const bad = await runCli(["report", runJson, "--format", "pdf"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(
      "--format pdf: unknown format (formats: md, html, junit, csv, json, review)",
    );
  });

  it("a missed latency threshold exits 99, named on stderr, in junit.xml, summary.md and a GitHub annotation", async () => {
    const dir = await tempDir();
    const suite = await writeTemp(
      dir,
      "suite.yaml",
      suiteText("slow", {
        ttftMs: 40,
        extra: `thresholds:
  "ttft.p95": "< 5ms"
  "quality.pass_rate": ">= 0.5"`,
      }),
    );
    const out = path.join(dir, "out");
    const r = await runCli(["run", suite, "--out", out], { env: { GITHUB_ACTIONS: "true" } });
    expect(r.code, r.stderr).toBe(99);
    expect(r.stderr).toMatch(/threshold failed: ttft\.p95 < 5ms: observed \d+(\.\d+)?ms, limit < 5\.00ms/);
    // The annotation points at the threshold's own line in the suite.
    const line = (await readFile(suite, "utf8")).split("\n").indexOf('  "ttft.p95": "< 5ms"') + 1;
    expect(r.stdout).toMatch(
      new RegExp(
        `^::error file=.*suite\\.yaml,line=${line},title=Gauntlet threshold failed%3A ttft\\.p95::ttft\\.p95 < 5ms: observed`,
        "m",
      ),
    );
    const { junit, summary } = await expectReports(out);
    expect(junit).toMatch(
      /<testcase name="ttft\.p95 &lt; 5ms" classname="thresholds" time="0\.000">\n\s+<failure type="threshold" message="observed \d+(\.\d+)?ms, limit &lt; 5\.00ms[^"]*">/,
    );
    expect(junit).toContain(
      '<testcase name="quality.pass_rate &gt;= 0.5" classname="thresholds" time="0.000"/>',
    );
    expect(summary.split("\n")[0]).toBe("## ❌ Gauntlet slow: 1 of 2 thresholds failed (exit 99)");
    const failed = parseGfmTables(summary)[0]!;
    expect(failed.rows).toHaveLength(1);
    expect(failed.rows[0]!.slice(0, 3)).toEqual(["❌ fail", "ttft.p95", "&lt; 5ms"]);
  });

  it("a failed quality threshold exits 99 and queues every failed case for review", async () => {
    const dir = await tempDir();
    const suite = await writeTemp(
      dir,
      "suite.yaml",
      suiteText("wrong", { n: 8, wrong: 3, extra: `thresholds:\n  "quality.pass_rate": ">= 0.9"` }),
    );
    const out = path.join(dir, "out");
    const r = await runCli(["run", suite, "--out", out], { env: { NO_COLOR: "", FORCE_COLOR: "1" } });
    expect(r.code).toBe(99);
    // FORCE_COLOR colours the console summary even into a pipe; the reports never carry colour.
    expect(r.stdout).toContain("\u001b[31m\u001b[1m1 threshold(s) failed");
    expect(r.stderr).toContain(
      "threshold failed: quality.pass_rate >= 0.9: observed 62.50%, limit >= 90.00%",
    );
    const { junit, summary } = await expectReports(out);
    for (const f of REPORTS) expect(await readText(out, f)).not.toContain("\u001b[");
    expect(junit).toContain('<testsuite name="bot" tests="8" failures="3" errors="0"');
    expect(junit).toContain('<failure type="threshold" message="observed 62.50%, limit &gt;= 90.00%">');
    expect(junit.match(/<failure type="assertion" message="equals: expected &quot;yes&quot;/g)).toHaveLength(
      3,
    );
    expect(summary).toContain("### Failed cases (3)");
    const queue = lines(await readText(out, "review.jsonl")).map(
      (l) => JSON.parse(l) as Record<string, unknown>,
    );
    expect(queue.map((q) => q.case).sort()).toEqual(["c0", "c1", "c2"]);
    expect(queue[0]).toMatchObject({ kind: "failed", target: "bot", output: "nope" });
    expect(queue[0]!.input).toMatchObject({ messages: [{ role: "user" }] });
    const csv = parse(await readText(out, "cases.csv"), { columns: true }) as Array<Record<string, string>>;
    expect(
      csv
        .filter((row) => row.pass === "false")
        .map((row) => row.case)
        .sort(),
    ).toEqual(["c0", "c1", "c2"]);
    // Each case is priced from the server's token counts: $1/Mtok in, $2/Mtok out.
    for (const row of csv) {
      expect(Number(row.input_tokens)).toBeGreaterThan(0);
      expect(Number(row.cost_usd)).toBeCloseTo(
        (Number(row.input_tokens) + 2 * Number(row.output_tokens)) / 1e6,
        10,
      );
    }
  });

  it("abort_on_fail stops the run early with exit 3, and every report is still written", async () => {
    const dir = await tempDir();
    const suite = await writeTemp(
      dir,
      "suite.yaml",
      suiteText("abort", {
        n: 1,
        ttftMs: 20,
        sim: "output_tokens: 3,",
        extra: `load:
  - { name: long, concurrency: 4, duration: 30s }
thresholds:
  "ttft.p95{phase:long}":
    - { threshold: "< 1ms", abort_on_fail: true, delay_abort_eval: 1s }`,
      }),
    );
    const out = path.join(dir, "out");
    const started = Date.now();
    const r = await runCli(["run", suite, "--out", out, "--only", "load"]);
    expect(r.code, r.stderr).toBe(3);
    expect(Date.now() - started).toBeLessThan(15_000);
    const { run, junit, summary } = await expectReports(out);
    expect(run.status).toBe("aborted");
    expect(summary.split("\n")[0]).toBe(
      "## ❌ Gauntlet abort: aborted: threshold ttft.p95{phase:long} failed (abort_on_fail, exit 3)",
    );
    expect(junit).toContain('<property name="aborted_by" value="ttft.p95{phase:long}"/>');
    expect(lines(await readText(out, "requests.ndjson")).length).toBe(run.phases[0]!.requests);
  });

  it("a threshold no run of the suite could measure exits 2 before anything is sent, naming it with file and line", async () => {
    const dir = await tempDir();
    const suite = await writeTemp(
      dir,
      "suite.yaml",
      suiteText("nosamples", { extra: `thresholds:\n  "quality.macro_f1": ">= 0.5"` }),
    );
    const out = path.join(dir, "out");
    // --only does not make it skippable: no run of this suite has labelled cases.
    const r = await runCli(["run", suite, "--out", out, "--only", "quality"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /suite\.yaml:\d+:\d+: thresholds\["quality\.macro_f1"\]: threshold quality\.macro_f1 can get no samples: no case has a label/,
    );
    await expect(readdir(out)).rejects.toThrow();
  });
});
