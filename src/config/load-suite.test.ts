import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, type ConfigIssue } from "../errors.js";
import { loadSuite, parseSuiteText } from "./load-suite.js";

const FILE = "suite.yaml";

/** Parses a suite that must fail and returns its issues. */
function issuesOf(text: string, env: Record<string, string | undefined> = {}): ConfigIssue[] {
  try {
    parseSuiteText(FILE, text, env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).issues;
  }
  throw new Error("expected the suite to be rejected");
}

const VALID = `version: 1
name: ok
targets:
  a: { provider: sim }
prompts:
  p: "{{q}}"
cases:
  - { id: c1, prompt: p, vars: { q: hi }, assert: [{ equals: hi }] }
`;

/** A suite's first lines, for a test to add its own targets or load after. */
const HEAD = "version: 1\nname: ok\n";

describe("parseSuiteText", () => {
  it("accepts a valid suite and applies the schema's defaults", () => {
    const { suite, secrets } = parseSuiteText(FILE, VALID, {});
    expect(suite.name).toBe("ok");
    expect(suite.quality).toEqual({ concurrency: 8, retries: 2, repeat: 1, cache: false });
    expect(suite.load).toEqual([]);
    expect(secrets).toEqual([]);
  });

  it("reports several issues at once, in line order, each with line, column and field", () => {
    const text = `version: 2
name: ""
targets:
  a:
    provider: openai
    base_url: http://\${HOST}/v1
    model: llama
    gpus: 0
load:
  - { name: steady, rate: "5", duration: 10s }
`;
    expect(issuesOf(text)).toEqual([
      { file: FILE, line: 1, column: 10, path: "version", message: "expected 1, found number 2" },
      {
        file: FILE,
        line: 2,
        column: 7,
        path: "name",
        message: expect.stringContaining(
          'Too small: expected string to have >=1 characters, found the string ""',
        ),
      },
      {
        file: FILE,
        line: 5,
        column: 15,
        path: "targets.a.provider",
        message:
          'expected "openai-chat" | "openai-completions" | "anthropic" | "ollama" | "ollama-generate" | "tgi" | "replicate" | "sim", found the string "openai"',
      },
      {
        file: FILE,
        line: 6,
        column: 15,
        path: "targets.a.base_url",
        message: expect.stringContaining("environment variable HOST is not set"),
      },
      {
        file: FILE,
        line: 8,
        column: 11,
        path: "targets.a.gpus",
        message: expect.stringContaining("Too small"),
      },
      {
        file: FILE,
        line: 10,
        column: 27,
        path: "load[0].rate",
        message: 'expected number, found the string "5"',
      },
    ]);
  });

  it.each<[string, string, Partial<ConfigIssue>, string]>([
    [
      "at the top level",
      `${VALID}treshold: {}\n`,
      { line: 9, column: 1, path: "treshold" },
      ' (did you mean "thresholds"?)',
    ],
    [
      "in a target",
      VALID.replace("a: { provider: sim }", "a:\n    provider: sim\n    modle: x"),
      { line: 6, column: 5, path: "targets.a.modle" },
      ' (did you mean "model"?)',
    ],
    [
      "in a flow map",
      VALID.replace("{ provider: sim }", "{ provider: sim, modle: x }"),
      { line: 4, column: 23, path: "targets.a.modle" },
      ' (did you mean "model"?)',
    ],
    [
      "in an assertion",
      VALID.replace("{ equals: hi }", "{ equals: hi, ignore_case: true }"),
      { line: 8, column: 66, path: "cases[0].assert[0].ignore_case" },
      "",
    ],
    [
      "in a load phase",
      `${VALID}load:\n  - name: steady\n    rate: 5\n    duration: 10s\n    warmpu: 5s\n`,
      { line: 13, column: 5, path: "load[0].warmpu" },
      ' (did you mean "warmup"?)',
    ],
  ])(
    "locates an unknown field %s at the key, with the field it most likely meant",
    (_where, text, expected, meant) => {
      const key = String(expected.path).split(".").pop()!.replace(/^.*\]/, "");
      expect(issuesOf(text)).toEqual([
        { file: FILE, ...expected, message: `unknown field "${key}"${meant}` },
      ]);
    },
  );

  it("reports every unknown key of one map", () => {
    const text = VALID.replace(
      "a: { provider: sim }",
      "a:\n    provider: sim\n    modle: x\n    temprature: 0",
    );
    expect(issuesOf(text).map((i) => [i.line, i.column, i.path])).toEqual([
      [6, 5, "targets.a.modle"],
      [7, 5, "targets.a.temprature"],
    ]);
  });

  it.each<[string, string, number, number, string]>([
    ["a missing field at its parent", VALID.replace("name: ok\n", ""), 1, 1, "name"],
    ["a prompt map without user", VALID.replace('p: "{{q}}"', "p:\n    system: hi"), 7, 5, "prompts.p.user"],
    ["a field of a list item", VALID.replace("prompt: p,", "prompt: 7,"), 8, 23, "cases[0].prompt"],
    ["a value in a nested block", `${VALID}quality:\n  concurrency: -1\n`, 10, 16, "quality.concurrency"],
  ])("locates %s", (_what, text, line, column, field) => {
    const [issue, ...rest] = issuesOf(text);
    expect(rest).toEqual([]);
    expect(issue).toMatchObject({ file: FILE, line, column, path: field });
  });

  it.each<[string, string, number, number, string]>([
    [
      "an unclosed quote, where it opens",
      'version: 1\nname: "open\ntargets: {}\n',
      2,
      7,
      'Missing closing "quote',
    ],
    ["a tab used as indentation", "version: 1\ntargets:\n\ta: 1\n", 3, 1, "Tabs are not allowed"],
    ["a duplicate key, at the second one", "version: 1\nname: a\nname: b\n", 3, 1, "Map keys must be unique"],
  ])("reports YAML syntax: %s", (_what, text, line, column, message) => {
    const [issue] = issuesOf(text);
    expect(issue).toMatchObject({ file: FILE, line, column });
    expect(issue!.message).toMatch(/^YAML syntax: /);
    expect(issue!.message).toContain(message);
  });

  it.each<[string, string]>([
    ["an empty file", ""],
    ["a file with only comments", "# nothing here\n"],
  ])("rejects %s", (_what, text) => {
    expect(issuesOf(text)).toEqual([{ file: FILE, line: 1, column: 1, message: "the suite is empty" }]);
  });

  it("interpolates the environment before checking types", () => {
    const text = VALID.replace("a: { provider: sim }", "a:\n    provider: sim\n    gpus: ${GPUS}");
    expect(parseSuiteText(FILE, text, { GPUS: "2" }).suite.targets.a!.gpus).toBe(2);
  });

  it.each<
    [
      string,
      string,
      Record<string, string>,
      (suite: ReturnType<typeof parseSuiteText>["suite"]) => unknown,
      unknown,
    ]
  >([
    [
      "an unquoted reference in a flow map (the README's style) is a number",
      "targets: { a: { provider: sim } }\nload:\n  - { name: l, rate: ${RATE}, duration: ${D:-2s} }\n",
      { RATE: "20" },
      (s) => [s.load[0]!.rate, s.load[0]!.duration],
      [20, "2s"],
    ],
    [
      "a quoted whole reference takes its field's type",
      'targets: { a: { provider: sim } }\nload:\n  - { name: l, rate: "${RATE:-5}", duration: 1s }\n',
      {},
      (s) => s.load[0]!.rate,
      5,
    ],
    [
      "an exponent reads as a number",
      "targets: { a: { provider: sim } }\nload:\n  - { name: l, rate: ${RATE:-1e1}, requests: 3 }\n",
      {},
      (s) => s.load[0]!.rate,
      10,
    ],
    [
      "a number stays text where the field wants text",
      "targets:\n  b: { provider: sim, model: ${MODEL} }\n",
      { MODEL: "7" },
      (s) => s.targets.b!.model,
      "7",
    ],
    [
      "a boolean from a quoted reference",
      'targets:\n  b: { provider: sim, stream: "${STREAM:-false}" }\n',
      {},
      (s) => s.targets.b!.stream,
      false,
    ],
    [
      "nested defaults",
      "targets:\n  b: { provider: sim, model: ${A:-${B:-m}} }\n",
      { B: "from-b" },
      (s) => s.targets.b!.model,
      "from-b",
    ],
    [
      "$${ writes a literal ${, in flow style too",
      "targets:\n  b: { provider: sim, model: $${NOT_A_VAR} }\n",
      {},
      (s) => s.targets.b!.model,
      "${NOT_A_VAR}",
    ],
    [
      "a default with commas and colons in flow style",
      "targets:\n  b: { provider: sim, model: '${M:-a, b: c}', headers: { x: ${H:-1, 2} } }\n",
      {},
      (s) => [s.targets.b!.model, s.targets.b!.headers],
      ["a, b: c", { x: "1, 2" }],
    ],
  ])("${VAR}: %s", (_what, extra, env, read, expected) => {
    expect(read(parseSuiteText(FILE, HEAD + extra, env).suite)).toEqual(expected);
  });

  it.each<[string, string, string]>([
    [
      "an unclosed reference",
      "targets:\n  b:\n    provider: sim\n    model: ${MODEL\n",
      "${MODEL is never closed",
    ],
    [
      "a name starting with a digit",
      "targets:\n  b: { provider: sim, model: ${1BAD} }\n",
      '"1BAD" is not a variable name',
    ],
    ["an unclosed default", "targets:\n  b:\n    provider: sim\n    model: ${A:-${B}\n", "is never closed"],
  ])("${VAR}: %s is a located error, not text sent as written", (_what, extra, message) => {
    const issues = issuesOf(HEAD + extra);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({
      file: FILE,
      line: extra.split("\n").length + 1,
      path: "targets.b.model",
    });
    expect(issues[0]!.message).toContain(message);
  });

  it("collects secrets and never echoes one back in an error", () => {
    const text = VALID.replace(
      "a: { provider: sim }",
      "a:\n    provider: sim\n    api_key: ${KEY}\n    gpus: ${MY_API_KEY}",
    );
    const issues = issuesOf(text, { KEY: "sk-live-1234", MY_API_KEY: "sk-other-5678" });
    expect(issues).toEqual([
      {
        file: FILE,
        line: 7,
        column: 11,
        path: "targets.a.gpus",
        message: 'expected number, found the string "***"',
      },
    ]);
    const ok = VALID.replace("a: { provider: sim }", "a:\n    provider: sim\n    api_key: ${KEY}");
    expect(parseSuiteText(FILE, ok, { KEY: "sk-live-1234" }).secrets).toEqual(["sk-live-1234"]);
  });
});

describe("loadSuite", () => {
  it("reports a missing suite file by name", async () => {
    const file = path.join(os.tmpdir(), "gauntlet-no-such-suite.yaml");
    await expect(loadSuite(file, {})).rejects.toThrow(`${file}: suite file not found`);
  });

  it("reads and checks the quickstart suite", async () => {
    const loaded = await loadSuite("suites/quickstart.yaml", {});
    expect(loaded.suite.name).toBe("quickstart-support-bot");
    expect(loaded.file).toBe("suites/quickstart.yaml");
  });
});
