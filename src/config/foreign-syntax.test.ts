import { describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { foreignSyntaxIssues, isAtOrBelow } from "./foreign-syntax.js";
import { fieldsAt } from "./known-fields.js";
import { SuiteSchema } from "./schema.js";

const found = (yaml: string) =>
  foreignSyntaxIssues(parseDocument(yaml).toJS()).map((i) => [i.path.join("."), i.message]);

describe("foreignSyntaxIssues", () => {
  it("turns promptfoo's { type, value } assertions into Gauntlet's form", () => {
    const issues = found(`cases:
  - prompt: p
    assert:
      - { type: contains, value: refund }
      - { type: not-icontains, value: sorry }
      - { type: is-json }
      - { type: llm-rubric, value: polite }
      - { type: python, value: check.py }
      - { equals: ok }
`);
    expect(issues).toEqual([
      [
        "cases.0.assert.0",
        "promptfoo's { type: contains, value } is not Gauntlet's form: write { contains: \"refund\" }",
      ],
      [
        "cases.0.assert.1",
        "promptfoo's { type: not-icontains, value } is not Gauntlet's form: write { icontains: \"sorry\", not: true }",
      ],
      [
        "cases.0.assert.2",
        "promptfoo's { type: is-json, value } is not Gauntlet's form: write { is-json: true }",
      ],
      [
        "cases.0.assert.3",
        "promptfoo's { type: llm-rubric, value } is not Gauntlet's form: write { llm-judge: \"polite\" }",
      ],
      [
        "cases.0.assert.4",
        "promptfoo's { type: python, value } is not Gauntlet's form: Gauntlet has no python assertion (see the assertions table in the README)",
      ],
    ]);
  });

  it("finds file:// references, Nunjucks filters and tags, and a list of prompts", () => {
    expect(found(`prompts: ["a {{q}}"]`)[0]?.[1]).toMatch(/^a list of prompts is promptfoo's form/);
    const issues = found(`prompts:
  up: "{{ q | upper }}"
  branch: "{% if x %}y{% endif %}"
  plain: "{{q}} and { not a tag }"
  f: file://prompt.txt
cases:
  - { from: file://rows.csv, prompt: up }
  - { prompt: up, vars: { doc: file://doc.txt }, assert: [{ javascript: "file://check.mjs" }, { equals: "{{ a | trim }}" }] }
`);
    expect(issues.map(([p]) => p)).toEqual([
      "prompts.up",
      "prompts.branch",
      "prompts.f",
      "cases.0.from",
      "cases.1.vars.doc",
      "cases.1.assert.0.javascript",
      "cases.1.assert.1.equals",
    ]);
    expect(issues[0]?.[1]).toMatch(/^\{\{ q \| upper \}\} is a Nunjucks filter \(upper\)/);
    expect(issues[1]?.[1]).toMatch(/^\{% if %\} is a Nunjucks tag/);
    expect(issues[3]?.[1]).toBe("write the path without file:// (relative to the suite): from: rows.csv");
    expect(issues[4]?.[1]).toMatch(/Gauntlet would send to the model as written/);
  });

  it("says nothing about a suite in Gauntlet's own form", () => {
    expect(
      found(
        `prompts: { p: "{{q}}" }\ncases: [{ prompt: p, vars: { q: "x | y" }, assert: [{ contains: "{{q}}" }] }]`,
      ),
    ).toEqual([]);
  });

  it.each([
    ["cases[0].assert[1].type", "cases[0].assert[1]", true],
    ["cases[0].assert[1]", "cases[0].assert[1]", true],
    ["cases[0].assert[10]", "cases[0].assert[1]", false],
    ["prompts.pp", "prompts.p", false],
  ])("isAtOrBelow(%s, %s) is %s", (path, prefix, below) => expect(isAtOrBelow(path, prefix)).toBe(below));
});

describe("fieldsAt", () => {
  it("reads the names the schema knows at a place, through defaults, records, arrays and unions", () => {
    expect(fieldsAt(SuiteSchema, ["load", 0])).toContain("max_in_flight");
    expect(fieldsAt(SuiteSchema, ["thresholds", "error_rate"])).toEqual([
      "threshold",
      "abort_on_fail",
      "delay_abort_eval",
    ]);
    expect(fieldsAt(SuiteSchema, ["cases", 3])).toEqual(
      expect.arrayContaining(["from", "id_column", "id", "tags"]),
    );
    expect(fieldsAt(SuiteSchema, ["targets", "a", "timeouts"])).toEqual(["connect", "first_token", "total"]);
    expect(fieldsAt(SuiteSchema, ["quality"])).toEqual(
      expect.arrayContaining(["concurrency", "retries", "repeat"]),
    );
    expect(fieldsAt(SuiteSchema, ["nowhere"])).toEqual([]);
  });
});
