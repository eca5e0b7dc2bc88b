import { mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ConfigError, type ConfigIssue } from "../errors.js";
import { parseSuiteText } from "./load-suite.js";
import { buildPlan, type Plan } from "./plan.js";

let dir = "";
let file = "";
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "gauntlet-assert-"));
  file = path.join(dir, "suite.yaml");
  await writeFile(path.join(dir, "check.mjs"), "export default () => true;\n");
});

/** A suite whose one case has `assertion` (a YAML flow mapping) as its second assertion, on line 13. */
function suite(assertion: string, extraTargets = ""): string {
  return `version: 1
name: t
targets:
  a: { provider: sim, pricing: { input_per_mtok: 1, output_per_mtok: 2 } }
  judge: { provider: sim, grader: true }
${extraTargets}prompts:
  p: "{{q}}"
cases:
  - id: c1
    prompt: p
    vars: { q: hi, label: refund, n: "42" }
    assert: [{ contains: hi },
      ${assertion}]
`;
}

async function plan(assertion: string, extraTargets = ""): Promise<Plan> {
  return buildPlan(parseSuiteText(file, suite(assertion, extraTargets), {}));
}

async function issuesOf(assertion: string, extraTargets = ""): Promise<ConfigIssue[]> {
  try {
    await plan(assertion, extraTargets);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).issues;
  }
  throw new Error("expected the suite to be rejected");
}

describe("assertion config", () => {
  it.each<[string, string, string, RegExp]>([
    [
      "two types in one entry",
      "{ equals: a, contains: b }",
      "cases[0].assert[1]",
      /one assertion type per entry/,
    ],
    ["no type", "{ trim: true }", "cases[0].assert[1]", /expected one assertion type/],
    ["an unknown key", "{ equals: a, wieght: 2 }", "cases[0].assert[1].wieght", /wieght/],
    [
      "threshold on a pass/fail type",
      "{ equals: a, threshold: 0.5 }",
      "cases[0].assert[1].threshold",
      /applies to levenshtein/,
    ],
    [
      "max_distance on bleu",
      "{ bleu: a, max_distance: 2 }",
      "cases[0].assert[1].max_distance",
      /applies to levenshtein/,
    ],
    ["threshold above 1", "{ bleu: a, threshold: 2 }", "cases[0].assert[1].threshold", /1/],
    ["llm-judge without target", "{ llm-judge: be polite }", "cases[0].assert[1].target", /needs target/],
    [
      "json-path without equals",
      "{ json-path: { path: $.a } }",
      "cases[0].assert[1].json-path.equals",
      /required field is missing/,
    ],
    ["latency without limits", "{ latency: {} }", "cases[0].assert[1].latency", /ttft or e2e/],
    ["a bad duration", "{ latency: soon }", "cases[0].assert[1].latency", /duration/],
    ["a negative cost", "{ cost: -1 }", "cases[0].assert[1].cost", /0/],
  ])("schema: %s", async (_name, assertion, field, message) => {
    const issues = await issuesOf(assertion);
    const issue = issues.find((i) => i.path === field);
    expect(issue, JSON.stringify(issues)).toBeDefined();
    expect(issue!.message).toMatch(message);
    expect(issue!.file).toBe(file);
    expect(issue!.line).toBe(13);
  });

  it.each<[string, string, string, RegExp]>([
    [
      "an unknown judge target",
      "{ llm-judge: polite, target: nobody }",
      "cases[0].assert[1].target",
      /unknown target "nobody" \(targets: a, judge, claude\)/,
    ],
    [
      "an embeddings target without /embeddings",
      "{ similar: hi, target: claude }",
      "cases[0].assert[1].target",
      /has no OpenAI-compatible \/embeddings/,
    ],
    [
      "a javascript file that does not exist",
      "{ javascript: missing.mjs }",
      "cases[0].assert[1].javascript",
      /file not found: missing.mjs/,
    ],
    [
      "a javascript file that is not JavaScript",
      "{ javascript: check.ts }",
      "cases[0].assert[1].javascript",
      /expected a .js, .mjs or .cjs/,
    ],
    [
      "an invalid JSON Schema",
      "{ json-schema: { type: objekt } }",
      "cases[0].assert[1].json-schema",
      /invalid JSON Schema: .*type/,
    ],
    [
      "an invalid json-path",
      "{ json-path: { path: a.b, equals: 1 } }",
      "cases[0].assert[1].json-path.path",
      /starts with \$/,
    ],
    [
      "an unsupported json-path step",
      "{ json-path: { path: '$.a[*]', equals: 1 } }",
      "cases[0].assert[1].json-path.path",
      /supported/,
    ],
    ["an invalid regex", "{ regex: '(' }", "cases[0].assert[1].regex", /invalid regular expression/],
    [
      "a number that is not one",
      "{ number: abc }",
      "cases[0].assert[1].number",
      /expected a number, got "abc"/,
    ],
    [
      "a template with an undefined var",
      "{ rouge-l: '{{nope}}' }",
      "cases[0].assert[1].rouge-l",
      /uses \{\{nope\}\}/,
    ],
  ])("plan: %s", async (_name, assertion, field, message) => {
    const issues = await issuesOf(
      assertion,
      "  claude: { provider: anthropic, base_url: 'http://x/v1', model: m, grader: true }\n",
    );
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ file, line: 14, path: field });
    expect(issues[0]!.message).toMatch(message);
  });

  it("cost needs token pricing on every target under test", async () => {
    const issues = await issuesOf("{ cost: 0.01 }", "  b: { provider: sim }\n");
    expect(issues).toHaveLength(1);
    expect(issues[0]!.message).toMatch(/cost needs pricing.input_per_mtok or output_per_mtok on target "b"/);
  });

  it("renders templates from vars and resolves options", async () => {
    const p = await plan("{ json-path: { path: $.label, equals: '{{label}}' } }");
    expect(p.cases[0]!.assertions[1]).toMatchObject({ type: "json-path", path: "$.label", value: "refund" });
    const n = await plan("{ number: '{{n}}', relative_tolerance: 0.1 }");
    expect(n.cases[0]!.assertions[1]).toMatchObject({ type: "number", value: 42, relativeTolerance: 0.1 });
    const j = await plan("{ javascript: 'check.mjs#named' }");
    expect(j.cases[0]!.assertions[1]).toMatchObject({
      file: path.join(dir, "check.mjs"),
      exportName: "named",
    });
    const l = await plan("{ latency: { ttft: 300ms, e2e: 2s } }");
    expect(l.cases[0]!.assertions[1]).toMatchObject({ ttftMs: 300, e2eMs: 2000 });
    const g = await plan("{ llm-judge: 'answers {{label}}', target: judge, weight: 2, not: true }");
    expect(g.cases[0]!.assertions[1]).toMatchObject({
      value: "answers refund",
      target: "judge",
      weight: 2,
      not: true,
    });
    const e = await plan("{ equals: '{{label}}', case: insensitive, trim: false }");
    expect(e.cases[0]!.assertions[1]).toMatchObject({ value: "refund", caseInsensitive: true, trim: false });
    const lv = await plan("{ levenshtein: ['{{label}}', refunds], max_distance: 1 }");
    expect(lv.cases[0]!.assertions[1]).toMatchObject({ value: ["refund", "refunds"], maxDistance: 1 });
  });

  it("grader targets are marked in the plan", async () => {
    const p = await plan("{ similar: hi, target: judge }");
    expect(p.targets.find((t) => t.name === "judge")!.grader).toBe(true);
    expect(p.targets.find((t) => t.name === "a")!.grader).toBeUndefined();
  });
});
