import { mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../errors.js";
import { parseSuiteText } from "./load-suite.js";
import { buildPlan } from "./plan.js";

const suite = (cases: string, compare = "") => `version: 1
name: t
targets:
  a: { provider: sim }
prompts:
  v1: "{{q}}"
  v2: { version: 4, system: "Be brief.", user: "Q: {{q}}" }
cases:
${cases}
${compare}`;

async function plan(text: string, files: Record<string, string> = {}) {
  const dir = await mkdtemp(path.join(os.tmpdir(), "gauntlet-plan-"));
  for (const [name, content] of Object.entries(files)) await writeFile(path.join(dir, name), content);
  return buildPlan(parseSuiteText(path.join(dir, "suite.yaml"), text, {}));
}

async function issues(text: string): Promise<string[]> {
  try {
    await plan(text);
  } catch (err) {
    if (err instanceof ConfigError) return err.issues.map((i) => `${i.path}: ${i.message}`);
    throw err;
  }
  throw new Error("expected the suite to be rejected");
}

describe("a case under several prompts", () => {
  it("becomes one plan case per prompt, sharing its id, assertions and task fields", async () => {
    const p = await plan(
      suite(
        `  - { id: c1, prompt: [v1, v2], vars: { q: hi }, label: x, assert: [{ equals: hi }] }
  - { from: rows.csv, prompt: [v2, v1], assert: [{ equals: "{{q}}" }] }`,
        "compare: { by: prompt, baseline: v1, candidates: [v2] }\n",
      ),
      { "rows.csv": "id,q\nr1,one\nr2,two\n" },
    );
    expect(p.cases.map((c) => [c.id, c.prompt.name, c.prompt.version, c.messages.at(-1)!.content])).toEqual([
      ["c1", "v1", 1, "hi"],
      ["c1", "v2", 4, "Q: hi"],
      ["r1", "v2", 4, "Q: one"],
      ["r1", "v1", 1, "one"],
      ["r2", "v2", 4, "Q: two"],
      ["r2", "v1", 1, "two"],
    ]);
    expect(p.cases[1]!.messages[0]).toEqual({ role: "system", content: "Be brief." });
    expect(p.cases[0]!.label).toBe("x");
    expect(p.cases[1]!.assertions).toEqual(p.cases[0]!.assertions);
    expect(p.compare).toEqual({ by: "prompt", baseline: "v1", candidates: ["v2"], alpha: 0.05 });
  });

  it("reports an unknown prompt in the list and a prompt named twice, once each", async () => {
    expect(
      await issues(
        suite("  - { id: c1, prompt: [v1, nope, v1], vars: { q: hi }, assert: [{ regex: '(' }] }"),
      ),
    ).toEqual([
      'cases[0].prompt[1]: unknown prompt "nope" (prompts: v1, v2)',
      'cases[0].prompt[2]: prompt "v1" is named twice',
      "cases[0].assert[0].regex: invalid regular expression: Invalid regular expression: /(/: Unterminated group",
    ]);
  });

  it("compares targets by default: a prompt name in compare is an unknown target", async () => {
    expect(
      await issues(
        suite("  - { id: c1, prompt: v1, vars: { q: hi } }", "compare: { baseline: v1, candidates: [a] }\n"),
      ),
    ).toEqual(['compare.baseline: unknown target "v1" (targets: a)']);
  });
});
