import { describe, expect, it } from "vitest";
import { ConfigError } from "../errors.js";
import { parseSuiteText } from "./load-suite.js";

const suiteWith = (params: string) => `version: 1
name: params
targets:
  a:
    provider: sim
    params: ${params}
prompts: { p: hi }
cases: [{ prompt: p }]
`;

function problems(params: string): string[] {
  try {
    parseSuiteText("s.yaml", suiteWith(params), {});
    return [];
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return err.issues.map((i) => `${i.path}: ${i.message}`);
  }
}

describe("params", () => {
  it.each([
    ["{ max_tokens: lots }", 'targets.a.params.max_tokens: expected number, found the string "lots"'],
    ["{ max_tokens: 0 }", "targets.a.params.max_tokens: expected a positive whole number, found number 0"],
    [
      "{ max_completion_tokens: 1.5 }",
      "targets.a.params.max_completion_tokens: expected a whole number, found number 1.5",
    ],
    [
      "{ temperature: -0.1 }",
      "targets.a.params.temperature: expected a temperature of 0 or more, found number -0.1",
    ],
    ["{ temperature: hot }", 'targets.a.params.temperature: expected number, found the string "hot"'],
    ["{ top_p: 1.5 }", "targets.a.params.top_p: expected a probability from 0 to 1, found number 1.5"],
    ["{ top_k: 2.5 }", "targets.a.params.top_k: expected a whole number, found number 2.5"],
    [
      "{ top_k: -2 }",
      "targets.a.params.top_k: expected a whole number, -1 or more (-1 or 0: every token, on servers that take it), found number -2",
    ],
    ['{ seed: "7" }', 'targets.a.params.seed: expected number, found the string "7"'],
    ["{ n: 0 }", "targets.a.params.n: expected a positive whole number, found number 0"],
    ["{ stop: 5 }", "targets.a.params.stop: expected string, found number 5"],
    ["{ stop: [a, 5] }", "targets.a.params.stop[1]: expected string, found number 5"],
    [
      "{ presence_penalty: 2.5 }",
      "targets.a.params.presence_penalty: expected a number from -2 to 2, found number 2.5",
    ],
    [
      "{ frequency_penalty: -3 }",
      "targets.a.params.frequency_penalty: expected a number from -2 to 2, found number -3",
    ],
  ])("%s is a located error", (params, message) => {
    expect(problems(params)).toEqual([message]);
  });

  it("passes the well-known fields in range, and every other field as written", () => {
    const params =
      '{ max_tokens: 64, max_completion_tokens: 64, temperature: 1.5, top_p: 0.9, top_k: -1, seed: 7, n: 1, stop: ["\\n", "###"], presence_penalty: -2, frequency_penalty: 2, ignore_eos: true, cache_prompt: false, repetition_penalty: 1.1, logit_bias: { "50256": -100 } }';
    expect(problems(params)).toEqual([]);
    const { suite } = parseSuiteText("s.yaml", suiteWith(params), {});
    expect(suite.targets.a?.params).toEqual({
      max_tokens: 64,
      max_completion_tokens: 64,
      temperature: 1.5,
      top_p: 0.9,
      top_k: -1,
      seed: 7,
      n: 1,
      stop: ["\n", "###"],
      presence_penalty: -2,
      frequency_penalty: 2,
      ignore_eos: true,
      cache_prompt: false,
      repetition_penalty: 1.1,
      logit_bias: { "50256": -100 },
    });
  });

  it("reads a whole ${VAR} in a checked field as the field's type, quoted or not", () => {
    const { suite } = parseSuiteText("s.yaml", suiteWith('{ max_tokens: "${MAXT}", seed: ${SEED} }'), {
      MAXT: "32",
      SEED: "9",
    });
    expect(suite.targets.a?.params).toEqual({ max_tokens: 32, seed: 9 });
  });
});
