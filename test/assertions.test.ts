import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, tempDir, writeTemp } from "./helpers/cli.js";

interface AssertionJson {
  type: string;
  pass: boolean;
  score: number;
  reason: string;
  detail?: string;
}
interface RunJson {
  targets: Array<{ name: string }>;
  quality: { cases: Array<{ caseId: string; pass: boolean; score: number; assertions: AssertionJson[] }> };
  thresholds: Array<{ key: string; pass: boolean }>;
}

const readRun = async (out: string) =>
  JSON.parse(await readFile(path.join(out, "run.json"), "utf8")) as RunJson;

describe("assertions end to end (built CLI, simulator on loopback)", () => {
  it("runs suites/assertions.yaml: every assertion type scores as designed, judge reasoning kept, exit 0", async () => {
    const out = path.join(await tempDir(), "out");
    const { code, stdout, stderr } = await runCli(["run", "suites/assertions.yaml", "--out", out]);
    expect(code, stderr + stdout).toBe(0);
    const run = await readRun(out);
    // The grading target grades; it is not run as a target under test.
    expect(run.targets.map((t) => t.name)).toEqual(["assistant"]);
    const cases = new Map(run.quality.cases.map((c) => [c.caseId, c]));
    expect(
      [...cases.values()]
        .map((c) => [c.caseId, c.pass])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    ).toEqual([
      ["capital-australia", false],
      ["capital-france", true],
      ["invoice-total", true],
      ["order-json", true],
      ["pangram", true],
    ]);
    const types = new Set(run.quality.cases.flatMap((c) => c.assertions.map((a) => a.type)));
    expect([...types].sort()).toEqual(
      [
        "contains",
        "icontains",
        "starts-with",
        "regex",
        "llm-judge",
        "similar",
        "latency",
        "cost",
        "is-json",
        "json-schema",
        "json-path",
        "javascript",
        "number",
        "one-of",
        "equals",
        "levenshtein",
        "rouge-l",
        "bleu",
        "chrf",
      ].sort(),
    );
    const by = (id: string, type: string) => cases.get(id)!.assertions.find((a) => a.type === type)!;

    const judged = by("capital-australia", "llm-judge");
    expect(judged).toMatchObject({ pass: false, score: 0 });
    expect(judged.reason).toContain("Sydney is not the capital of Australia; Canberra is.");
    expect(judged.detail).toContain('"pass": false');
    expect(by("capital-france", "llm-judge").reason).toContain("Names Paris, the correct capital");
    // The same words in another order: the simulator's bag-of-words embeddings give cosine 1.
    expect(by("capital-france", "similar").score).toBeCloseTo(1, 6);
    expect(by("capital-france", "latency").reason).toMatch(
      /^ttft [\d.]+ ms <= 2000 ms, e2e [\d.]+ ms <= 5000 ms$/,
    );
    expect(by("capital-france", "cost").reason).toMatch(/^cost \$[\d.e-]+ <= \$0.001$/);
    expect(by("order-json", "javascript").reason).toBe("every item is in stock");
    expect(by("invoice-total", "number").reason).toBe("found 1234.5, expected 1234.5 ± 0.01");
    // Hand computed: 44 vs 45 code points after "jumps" → "jumped" (2 edits): 1 − 2/45.
    expect(by("pangram", "levenshtein").score).toBeCloseTo(1 - 2 / 45, 6);
    // Weighted: equals (2) + levenshtein, rouge-l, bleu, chrf (1 each) over 6.
    const p = cases.get("pangram")!;
    const expected = p.assertions.reduce((s, a) => s + a.score * (a.type === "equals" ? 2 : 1), 0) / 6;
    expect(p.score).toBeCloseTo(expected, 10);
    expect(run.thresholds).toEqual([expect.objectContaining({ key: "quality.pass_rate", pass: true })]);
  });

  it("failing model-graded assertions fail the case and the threshold: exit 99", async () => {
    const dir = await tempDir();
    const suite = await writeTemp(
      dir,
      "suite.yaml",
      `version: 1
name: graded-failures
targets:
  bot: { provider: sim, sim: { ttft_ms: 1, itl_ms: 1, answers: [{ match: "weather", reply: "It is sunny today." }] } }
  judge: { provider: sim, grader: true, sim: { ttft_ms: 1, itl_ms: 1 } }
prompts: { q: "{{q}}" }
cases:
  - id: c1
    prompt: q
    vars: { q: "How is the weather?" }
    assert:
      - { similar: "Heavy rain and storms expected", target: judge }
      - { similar: "Heavy rain and storms expected", target: judge, not: true }
      - { llm-judge: "Says whether it rains", target: judge }
thresholds:
  quality.pass_rate: ">= 1"
`,
    );
    const out = path.join(dir, "out");
    const { code, stderr } = await runCli(["run", suite, "--out", out]);
    expect(code, stderr).toBe(99);
    const [c] = (await readRun(out)).quality.cases;
    expect(c!.pass).toBe(false);
    const [similar, notSimilar, judge] = c!.assertions;
    expect(similar).toMatchObject({ pass: false });
    expect(similar!.score).toBeLessThan(0.3);
    expect(notSimilar).toMatchObject({ pass: true });
    expect(notSimilar!.score).toBeCloseTo(1 - similar!.score, 10);
    // The simulator without a canned verdict streams filler: the judge's reply cannot be read.
    expect(judge).toMatchObject({ pass: false, score: 0 });
    expect(judge!.reason).toMatch(/^error: judge reply not understood/);
  });

  it("bad assertion config exits 2 naming file, line and field", async () => {
    const dir = await tempDir();
    const suite = await writeTemp(
      dir,
      "suite.yaml",
      `version: 1
name: bad
targets:
  bot: { provider: sim }
prompts: { q: "{{q}}" }
cases:
  - id: c1
    prompt: q
    vars: { q: hi }
    assert:
      - { llm-judge: "polite", target: judje }
      - { javascript: checks/missing.mjs }
      - { json-schema: { type: [string, 7] } }
`,
    );
    const { code, stderr } = await runCli(["validate", suite]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/suite\.yaml:11.*cases\[0\]\.assert\[0\]\.target.*unknown target "judje"/);
    expect(stderr).toMatch(
      /suite\.yaml:12.*cases\[0\]\.assert\[1\]\.javascript.*file not found: checks\/missing\.mjs/,
    );
    expect(stderr).toMatch(/suite\.yaml:13.*cases\[0\]\.assert\[2\]\.json-schema.*invalid JSON Schema/);
  });
});
