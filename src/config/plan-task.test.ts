import { mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../errors.js";
import { parseSuiteText } from "./load-suite.js";
import { buildPlan } from "./plan.js";

const suite = (cases: string, extra = "") => `version: 1
name: t
targets:
  a: { provider: sim${extra} }
prompts:
  p: "{{q}}"
cases:
${cases}
`;

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
  return [];
}

describe("case task fields", () => {
  it("renders label, expected and cluster from dataset columns, splitting expected on |", async () => {
    const p = await plan(
      suite(`  - from: rows.csv
    prompt: p
    label: "{{label}}"
    expected: "{{cities}}"
    cluster: "{{doc}}"`),
      { "rows.csv": "id,q,label,cities,doc\nr1,hi,Refund , Paris | Rome ,d1\nr2,yo,other,,d1\n" },
    );
    expect(p.cases.map((c) => [c.id, c.label, c.expected, c.cluster, c.repeat])).toEqual([
      ["r1", "Refund", ["Paris", "Rome"], "d1", 1],
      ["r2", "other", [], "d1", 1],
    ]);
  });

  it("takes a YAML list as the expected items, and repeat from the case over quality.repeat", async () => {
    const p = await plan(
      suite(`  - { id: a, prompt: p, vars: { q: x, c: "Oslo|Lima" }, expected: ["{{c}}", Rome], repeat: 4 }
  - { id: b, prompt: p, vars: { q: y } }
quality: { repeat: 2 }`),
    );
    expect(p.cases.map((c) => [c.id, c.expected, c.repeat])).toEqual([
      ["a", ["Oslo|Lima", "Rome"], 4],
      ["b", undefined, 2],
    ]);
  });

  it.each([
    [
      `  - { id: a, prompt: p, vars: { q: x }, label: "{{nope}}" }`,
      "uses {{nope}}, which this case does not define",
    ],
    [`  - { id: a, prompt: p, vars: { q: x, l: "" }, label: "{{l}}" }`, "the label is empty for this case"],
    [`  - { id: a, prompt: p, vars: { q: x }, repeat: 0 }`, "repeat"],
  ])("reports %s", async (cases, message) => {
    expect((await issues(suite(cases))).join("\n")).toContain(message);
  });

  it("accepts logprobs on the wire formats that return them only", async () => {
    const p = await plan(suite(`  - { id: a, prompt: p, vars: { q: x } }`, ", logprobs: true"));
    expect(p.targets[0]!.logprobs).toBe(5);
    const text = suite(`  - { id: a, prompt: p, vars: { q: x } }`).replace(
      "a: { provider: sim }",
      "a: { provider: anthropic, base_url: http://h:1, model: m, logprobs: 3 }",
    );
    expect(await issues(text)).toEqual([
      "targets.a.logprobs: logprobs are read from openai-chat, openai-completions, tgi, sim targets, not anthropic",
    ]);
    const tgi = text.replace("provider: anthropic", "provider: tgi");
    expect(await issues(tgi)).toEqual([]);
  });
});
