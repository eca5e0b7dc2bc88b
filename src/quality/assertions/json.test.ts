import { describe, expect, it } from "vitest";
import { bareContext, runAssertion } from "../assertions.js";
import { planAssertion } from "../../../test/helpers/plan-assertion.js";
import { jsonEqual, parseOutputJson } from "./json.js";

const ctx = bareContext();
const ORDER_SCHEMA = {
  type: "object",
  required: ["id", "items"],
  properties: {
    id: { type: "integer" },
    items: { type: "array", minItems: 1, items: { type: "string" } },
  },
  additionalProperties: false,
};

describe("is-json", () => {
  it.each<[string, string, boolean, RegExp]>([
    ["an object", '{"a": 1}', true, /valid JSON/],
    ["an array with whitespace around", "  [1, 2]\n", true, /valid JSON/],
    ["a bare number", "42", true, /valid JSON/],
    ["inside one ```json fence", '```json\n{"a": 1}\n```', true, /valid JSON/],
    ["unicode strings", '{"city": "東京", "wave": "👋"}', true, /valid JSON/],
    ["empty output", "", false, /empty/],
    ["prose around JSON", 'Here it is: {"a": 1}', false, /not JSON/],
    ["a trailing comma", '{"a": 1,}', false, /not JSON/],
    ["truncated", '{"a": [1, 2', false, /not JSON/],
  ])("%s", async (_name, output, pass, reason) => {
    const r = await runAssertion(output, planAssertion("is-json", true), ctx);
    expect(r.pass).toBe(pass);
    expect(r.score).toBe(pass ? 1 : 0);
    expect(r.reason).toMatch(reason);
  });

  it("not is-json passes on prose", async () => {
    expect((await runAssertion("just words", planAssertion("is-json", true, { not: true }), ctx)).pass).toBe(
      true,
    );
  });

  it("parses a 1 MB JSON array quickly", async () => {
    const huge = JSON.stringify(Array.from({ length: 100_000 }, (_, i) => `item-${i}`));
    expect(huge.length).toBeGreaterThan(1_000_000);
    const t0 = performance.now();
    expect((await runAssertion(huge, planAssertion("is-json", true), ctx)).pass).toBe(true);
    expect(performance.now() - t0).toBeLessThan(1_000);
  });
});

describe("json-schema", () => {
  it.each<[string, string, boolean, RegExp]>([
    ["valid", '{"id": 7, "items": ["a"]}', true, /matches the JSON Schema/],
    ["missing required", '{"id": 7}', false, /must have required property 'items'/],
    ["wrong type", '{"id": "7", "items": ["a"]}', false, /\/id must be integer/],
    ["extra property", '{"id": 7, "items": ["a"], "x": 1}', false, /additional properties/],
    ["empty array", '{"id": 7, "items": []}', false, /\/items must NOT have fewer than 1 items/],
    ["invalid JSON", "{id: 7}", false, /not JSON/],
    ["empty output", "", false, /empty/],
    ["unicode items", '{"id": 1, "items": ["東京", "👋"]}', true, /matches/],
  ])("%s", async (_name, output, pass, reason) => {
    const r = await runAssertion(output, planAssertion("json-schema", ORDER_SCHEMA), ctx);
    expect(r.pass).toBe(pass);
    expect(r.reason).toMatch(reason);
  });

  it("keeps every error in the detail, the first in the reason", async () => {
    const r = await runAssertion(
      '{"id": "x", "items": [1]}',
      planAssertion("json-schema", ORDER_SCHEMA),
      ctx,
    );
    expect(r.reason).toMatch(/\(\+1 more\)/);
    expect(r.detail!.split("\n")).toHaveLength(2);
  });
});

describe("json-path", () => {
  const doc = JSON.stringify({
    user: { name: "Ada", age: 36, tags: ["admin", "東京"] },
    "odd key": [null, true],
  });
  it.each<[string, string, unknown, boolean, RegExp]>([
    ["nested string", "$.user.name", "Ada", true, /equals "Ada"$/],
    ["string expectation matches a number as text", "$.user.age", "36", true, /equals/],
    ["number expectation", "$.user.age", 36, true, /equals/],
    ["array index", "$.user.tags[1]", "東京", true, /equals/],
    ["bracketed key", "$['odd key'][1]", true, true, /equals/],
    ["null value", "$['odd key'][0]", null, true, /equals/],
    ["a whole array, deep", "$.user.tags", ["admin", "東京"], true, /equals/],
    [
      "an object, key order ignored",
      "$.user",
      { tags: ["admin", "東京"], age: 36, name: "Ada" },
      true,
      /equals/,
    ],
    ["different value", "$.user.name", "Bob", false, /is "Ada", expected "Bob"$/],
    ["missing key", "$.user.email", "x", false, /not found/],
    ["index out of range", "$.user.tags[5]", "x", false, /not found/],
    ["indexing an object", "$.user[0]", "x", false, /not found/],
  ])("%s", async (_name, path, expected, pass, reason) => {
    const r = await runAssertion(doc, planAssertion("json-path", expected as never, { path }), ctx);
    expect(r.pass).toBe(pass);
    expect(r.reason).toMatch(reason);
  });

  it("case-insensitive string comparison", async () => {
    const a = planAssertion("json-path", "ada", { path: "$.user.name", caseInsensitive: true });
    expect((await runAssertion(doc, a, ctx)).pass).toBe(true);
  });

  it("invalid JSON fails with the parse error", async () => {
    const r = await runAssertion("not json", planAssertion("json-path", "x", { path: "$.a" }), ctx);
    expect(r.pass).toBe(false);
    expect(r.reason).toMatch(/not JSON/);
  });
});

describe("helpers", () => {
  it("jsonEqual", () => {
    expect(jsonEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toBe(true);
    expect(jsonEqual({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(jsonEqual([1, 2], [2, 1])).toBe(false);
    expect(jsonEqual(null, {})).toBe(false);
  });

  it("a fence with another language tag still parses", () => {
    expect(parseOutputJson("```\n[1]\n```")).toEqual({ ok: true, value: [1] });
  });
});
