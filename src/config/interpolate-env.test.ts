import { describe, expect, it } from "vitest";
import { LineCounter, parseDocument } from "yaml";
import { maskReferences } from "./env-reference.js";
import { interpolateEnv } from "./interpolate-env.js";

/** Parses `text` as the suite loader does and interpolates it against `env`. */
function run(text: string, env: Record<string, string | undefined> = {}) {
  const lines = new LineCounter();
  const doc = parseDocument(maskReferences(text), { lineCounter: lines });
  const { issues, secrets } = interpolateEnv("suite.yaml", doc, lines, env);
  return { value: doc.toJS() as Record<string, unknown>, issues, secrets };
}

describe("interpolateEnv", () => {
  it.each<[string, string, Record<string, string>, unknown]>([
    ["a whole value", "v: ${HOST}", { HOST: "gpu-a" }, "gpu-a"],
    ["inside a string", "v: http://${HOST}:8000/v1", { HOST: "gpu-a" }, "http://gpu-a:8000/v1"],
    ["two references", "v: ${A}-${B}", { A: "x", B: "y" }, "x-y"],
    ["a default when unset", "v: ${PORT:-8000}", {}, 8000],
    ["the value over the default", "v: ${HOST:-localhost}", { HOST: "gpu-b" }, "gpu-b"],
    ["the default when set but empty", "v: ${HOST:-localhost}", { HOST: "" }, "localhost"],
    ["an empty default", "v: a${X:-}b", {}, "ab"],
    ["an empty value without a default", "v: a${X}b", { X: "" }, "ab"],
    ["a number for a plain scalar", "v: ${RATE}", { RATE: "20" }, 20],
    ["a negative decimal number", "v: ${OFFSET}", { OFFSET: "-1.5" }, -1.5],
    ["a boolean for a plain scalar", "v: ${STREAM}", { STREAM: "false" }, false],
    ["a string when quoted", 'v: "${RATE}"', { RATE: "20" }, "20"],
    ["a string when not only a reference", "v: ${RATE}x", { RATE: "20" }, "20x"],
    ["a string for a non-number", "v: ${RATE}", { RATE: "20/s" }, "20/s"],
    ["nothing without braces", "v: $HOME and {x}", { HOME: "/root" }, "$HOME and {x}"],
    ["an exponent as a number", "v: ${RATE:-1e1}", {}, 10],
    ["nested defaults, the inner one unset", "v: ${A:-${B:-m}}", {}, "m"],
    ["nested defaults, the inner one set", "v: ${A:-${B:-m}}", { B: "b" }, "b"],
    ["nested defaults, the outer one set", "v: ${A:-${B:-m}}", { A: "a", B: "b" }, "a"],
    ["a literal ${ written $${", "v: cost $${X} and ${Y:-y}", { X: "no" }, "cost ${X} and y"],
    ["references in a flow map", "v: { a: ${A}, b: [${B:-1}, x] }", { A: "2" }, { a: 2, b: [1, "x"] }],
    ["a default holding flow characters", "v: [${A:-x, [y]: z # w}]", {}, ["x, [y]: z # w"]],
  ])("replaces %s", (_what, text, env, expected) => {
    const { value, issues } = run(text, env);
    expect(issues).toEqual([]);
    expect(value.v).toEqual(expected);
  });

  it("interpolates values in lists and nested maps, never keys", () => {
    const text = "${K}: 1\nlist: [a, '${A}', ${A}]\nmap:\n  deep:\n    x: ${B}\n    y: { z: '${B}' }\n";
    const { value } = run(text, { K: "k", A: "1", B: "2" });
    expect(value).toEqual({ "${K}": 1, list: ["a", "1", 1], map: { deep: { x: 2, y: { z: "2" } } } });
  });

  it.each<[string, string, string]>([
    ["a reference never closed", "v: ${MODEL", "${MODEL is never closed: write ${MODEL}"],
    ["a name starting with a digit", "v: ${1BAD}", '"1BAD" is not a variable name'],
    ["a name with a space", "v: x ${A B}", '"A B" is not a variable name'],
    ["a default never closed", "v: ${A:-${B}", "is never closed"],
  ])("reports %s at its line (the one problem reported)", (_what, text, message) => {
    const { issues, value } = run(text, { MODEL: "m", "1BAD": "no", B: "b" });
    expect(issues).toEqual([
      { file: "suite.yaml", line: 1, column: 4, path: "v", message: expect.stringContaining(message) },
    ]);
    expect(value.v).toBe(text.slice(3));
  });

  it.each<[string, string, Array<{ line: number; column: number; path: string; name: string }>]>([
    [
      "in a target's api_key",
      "version: 1\ntargets:\n  a:\n    api_key: ${GAUNTLET_TEST_UNSET_VAR}\n",
      [{ line: 4, column: 14, path: "targets.a.api_key", name: "GAUNTLET_TEST_UNSET_VAR" }],
    ],
    [
      "in a list item",
      "load:\n  - name: x\n    rate: ${RATE}\n",
      [{ line: 3, column: 11, path: "load[0].rate", name: "RATE" }],
    ],
    [
      "in a flow map inside a list",
      "cases:\n  - { id: c1 }\n  - { id: c2, vars: { q: 'x ${Q}' } }\n",
      [{ line: 3, column: 26, path: "cases[1].vars.q", name: "Q" }],
    ],
    [
      "twice in one scalar",
      "base_url: http://${HOST}:${PORT}/v1\n",
      [
        { line: 1, column: 11, path: "base_url", name: "HOST" },
        { line: 1, column: 11, path: "base_url", name: "PORT" },
      ],
    ],
    [
      "under a quoted key",
      'thresholds:\n  "ttft.p95": "< ${LIMIT}"\n',
      [{ line: 2, column: 15, path: 'thresholds["ttft.p95"]', name: "LIMIT" }],
    ],
  ])("reports a missing variable %s at its line and column", (_what, text, expected) => {
    const { issues } = run(text);
    expect(issues).toEqual(
      expected.map(({ line, column, path, name }) => ({
        file: "suite.yaml",
        line,
        column,
        path,
        message: `environment variable ${name} is not set (write \${${name}:-default} to give a default)`,
      })),
    );
  });

  it("replaces a missing variable with nothing, so the schema check can still run", () => {
    expect(run("v: a${NOPE}b").value.v).toBe("ab");
  });

  it.each<[string, string, Record<string, string>, string[]]>([
    ["api_key", "targets:\n  a:\n    api_key: ${KEY_VAR}\n", { KEY_VAR: "sk-123" }, ["sk-123"]],
    ["api_key with a default", "api_key: ${NOPE:-sk-default}\n", {}, []],
    ["a header", "headers:\n  x-team: ${TEAM}\n", { TEAM: "blue" }, ["blue"]],
    ["authorization", "authorization: Bearer ${AUTH}\n", { AUTH: "abc" }, ["abc"]],
    ["a secret-looking variable name", "base_url: http://h/${HF_TOKEN}\n", { HF_TOKEN: "hf_x" }, ["hf_x"]],
    ["a PASSWORD variable", "v: ${DB_PASSWORD}\n", { DB_PASSWORD: "pw" }, ["pw"]],
    ["an ordinary field", "model: ${MODEL}\n", { MODEL: "llama" }, []],
  ])("collects secrets from %s", (_what, text, env, secrets) => {
    const result = run(text, env);
    expect(result.issues).toEqual([]);
    expect(result.secrets).toEqual(secrets);
  });
});
