import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseSuiteText } from "../src/config/load-suite.js";
import { buildPlan } from "../src/config/plan.js";
import { ConfigError, type ConfigIssue } from "../src/errors.js";
import { ROOT, runCli, tempDir, writeTemp } from "./helpers/cli.js";

/**
 * Random mutations of valid suites, fed to what `validate` runs: each must be accepted or rejected
 * with located issues (exit 2), never an internal error, a stack trace, a hang or a memory blow-up.
 * The mutations are the attacks of the bad-suite corpus, placed at random: hostile numbers, broken
 * references and placeholders, aliases, nesting, prototype keys, control bytes, cut and doubled lines.
 */
const SUITES = readdirSync(path.join(ROOT, "suites"))
  .filter((f) => f.endsWith(".yaml"))
  .map((f) => ({ file: path.join("suites", f), text: readFileSync(path.join(ROOT, "suites", f), "utf8") }));

/** A flow-style suite with every phase shape and references, so mutations reach the load checks. */
const FLOW = {
  file: "suites/flow.yaml",
  text: `version: 1
name: flow
targets: { a: { provider: sim, model: "\${MODEL:-m}" }, j: { provider: sim, grader: true } }
prompts: { p: "Say {{q}}", s: { system: "Be {{tone}}", user: "{{q}}" } }
cases:
  - { id: c1, prompt: p, vars: { q: hi }, assert: [{ equals: hi }, { latency: 2s }] }
  - { id: c2, prompt: s, vars: { q: yo, tone: calm }, label: "{{q}}", repeat: 2 }
quality: { concurrency: \${C:-4}, retries: 1, repeat: 1 }
load:
  - { name: closed, concurrency: \${USERS:-2}, duration: 2s, warmup: 500ms, think_time: 10ms }
  - { name: open, rate: \${RATE:-1e1}, requests: 20, arrival: gamma, burstiness: 2, max_in_flight: 8 }
  - { name: ramp, rate: 5, stages: [{ to: 10, over: 1s }, { to: 2, over: 1s }] }
  - { name: users, stages: [{ to: 4, over: 1s }], synthetic: { input_tokens: { min: 8, max: 16 }, output_tokens: 4 } }
  - { name: sweep, duration: 1s, sweep: { slo: { "ttft.p95": "< 1s" }, steps: 3, refine: 1 } }
thresholds:
  "ttft.p95{phase:closed}": "< 2s"
  error_rate: "< 5%"
`,
};
const SOURCES = [...SUITES, FLOW];

const HOSTILE = [
  "${",
  "${X",
  "${1BAD}",
  "$${",
  "${A:-${B:-1}}",
  "{{",
  "{{ q",
  "{{toString}}",
  "__proto__",
  "constructor",
  "[",
  "]",
  "{",
  "}",
  "[".repeat(200),
  "&a ",
  "*a",
  "*b",
  "<<: *a",
  ": ",
  "- ",
  "#",
  '"',
  "'",
  "\n",
  "\t",
  "\r",
  "\u0000",
  "\ufffd",
  "\ufeff",
  "1e9",
  "-1",
  "0",
  "1e-9",
  ".inf",
  ".nan",
  "1e308",
  "99999999999999999999",
  "0s",
  "1000h",
  "!!binary ",
  "? ",
  "%YAML 1.1\n---\n",
  "---\n",
  "x".repeat(5000),
];
const NUMBERS = ["1e9", "-1", "0", "1e-9", ".inf", "-.inf", ".nan", "1e308", "0.5", "2.5", "0s", "1000h"];

type Edit =
  | { kind: "insert"; at: number; text: string }
  | { kind: "delete"; at: number; length: number }
  | { kind: "number"; index: number; value: string }
  | { kind: "duplicate"; line: number }
  | { kind: "swap"; a: number; b: number };

const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({
    kind: fc.constant("insert" as const),
    at: fc.nat(),
    text: fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ maxLength: 8 })),
  }),
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant("number" as const), index: fc.nat(), value: fc.constantFrom(...NUMBERS) }),
  fc.record({ kind: fc.constant("duplicate" as const), line: fc.nat() }),
  fc.record({ kind: fc.constant("swap" as const), a: fc.nat(), b: fc.nat() }),
);

function apply(text: string, e: Edit): string {
  const lines = text.split("\n");
  switch (e.kind) {
    case "insert": {
      const at = e.at % (text.length + 1);
      return text.slice(0, at) + e.text + text.slice(at);
    }
    case "delete": {
      const at = e.at % (text.length + 1);
      return text.slice(0, at) + text.slice(at + e.length);
    }
    case "number": {
      const numbers = [...text.matchAll(/\b\d+(\.\d+)?(ms|s|m|h)?\b/g)];
      const m = numbers[e.index % Math.max(1, numbers.length)];
      return m?.index === undefined
        ? text
        : text.slice(0, m.index) + e.value + text.slice(m.index + m[0].length);
    }
    case "duplicate": {
      const i = e.line % lines.length;
      lines.splice(i, 0, lines[i]!);
      return lines.join("\n");
    }
    case "swap": {
      const a = e.a % lines.length;
      const b = e.b % lines.length;
      [lines[a], lines[b]] = [lines[b]!, lines[a]!];
      return lines.join("\n");
    }
  }
}

const mutation = fc.record({
  source: fc.nat({ max: SOURCES.length - 1 }),
  edits: fc.array(edit, { minLength: 1, maxLength: 4 }),
});
const mutate = (m: { source: number; edits: Edit[] }) => {
  const source = SOURCES[m.source]!;
  return { file: source.file, text: m.edits.reduce(apply, source.text) };
};

/** What `validate` decides, in-process: the plan is built, or a ConfigError carries located issues. */
async function validateText(file: string, text: string): Promise<"ok" | ConfigIssue[]> {
  try {
    await buildPlan(parseSuiteText(file, text, {}));
    return "ok";
  } catch (err) {
    if (err instanceof ConfigError) return err.issues;
    throw err;
  }
}

describe("validate on random mutations of valid suites", () => {
  it("every source suite is valid as written", async () => {
    for (const s of SOURCES) expect(await validateText(s.file, s.text), s.file).toBe("ok");
  });

  it("accepts or rejects 200 mutations with located issues, each in bounded time and memory", async () => {
    const heapBefore = process.memoryUsage().heapUsed;
    let rejected = 0;
    await fc.assert(
      fc.asyncProperty(mutation, async (m) => {
        const { file, text } = mutate(m);
        const started = performance.now();
        const result = await validateText(file, text);
        // Generous for a loaded 2-core box: the largest source validates in well under a second.
        expect(performance.now() - started).toBeLessThan(10_000);
        if (result === "ok") return;
        rejected++;
        expect(result.length).toBeGreaterThan(0);
        for (const issue of result) {
          expect(issue.file).toBeTruthy();
          expect(issue.line, JSON.stringify(issue)).toBeGreaterThanOrEqual(1);
          expect(issue.message).not.toMatch(/\n\s+at |internal error|Maximum call stack|undefined/);
        }
      }),
      { seed: 0x5eed16, numRuns: 200 },
    );
    // Most mutations break something: the run exercised the error paths, not only the happy one.
    expect(rejected).toBeGreaterThan(50);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(512 * 1024 * 1024);
  }, 120_000);

  it("through the built CLI, a handful of mutations exit 0 or 2, never with a stack trace", async () => {
    const dir = await tempDir();
    const samples = fc.sample(mutation, { seed: 0xc11, numRuns: 6 }).map(mutate);
    for (const [i, { text }] of samples.entries()) {
      // Written outside the repository: relative datasets are then missing, a located error too.
      const suite = await writeTemp(dir, `mutant-${i}.yaml`, text);
      const r = await runCli(["validate", suite], { timeoutMs: 30_000 });
      expect([0, 2], r.stderr).toContain(r.code);
      expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
      if (r.code === 2)
        expect(r.stderr).toMatch(new RegExp(`${suite.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:\\d+`));
    }
  }, 240_000);
});
