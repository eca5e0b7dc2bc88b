import { describe, expect, it } from "vitest";
import { ConfigError } from "../errors.js";
import { parseSuiteText } from "./load-suite.js";
import { buildPlan } from "./plan.js";

const suite = (target: string) => `version: 1
name: m
targets:
  t: ${target}
prompts: { p: "hi" }
cases: [{ prompt: p }]
`;

const metricsOf = async (target: string) =>
  (await buildPlan(parseSuiteText("suite.yaml", suite(target), {}))).targets[0]!.metrics;

describe("a target's metrics endpoint", () => {
  it.each([
    // Self-hosted kinds try /metrics on their origin, quietly (used only when it answers).
    [
      '{ provider: openai-chat, base_url: "http://h:8000/v1", model: m }',
      { intervalMs: 1000, required: false },
    ],
    ['{ provider: tgi, base_url: "http://h:8080", model: m }', { intervalMs: 1000, required: false }],
    ["{ provider: sim }", { intervalMs: 1000, required: false }],
    // Hosted APIs have none.
    ['{ provider: anthropic, base_url: "https://api.anthropic.com/v1", model: m }', undefined],
    ['{ provider: ollama, base_url: "http://h:11434", model: m }', undefined],
    // Named: every failure counts; an interval under 100 ms is raised to it.
    [
      '{ provider: openai-chat, base_url: "http://h:8000/v1", model: m, metrics: { url: "http://h:9090/metrics", interval: 250ms } }',
      { url: "http://h:9090/metrics", intervalMs: 250, required: true },
    ],
    [
      '{ provider: anthropic, base_url: "http://h/v1", model: m, metrics: { interval: 10ms } }',
      { intervalMs: 100, required: true },
    ],
    ['{ provider: openai-chat, base_url: "http://h:8000/v1", model: m, metrics: false }', undefined],
  ])("%s", async (target, expected) => {
    expect(await metricsOf(target)).toEqual(expected);
  });

  it("a url that is not one is a located error", async () => {
    const err = await (async () =>
      buildPlan(
        parseSuiteText("suite.yaml", suite('{ provider: sim, metrics: { url: "nope" } }'), {}),
      ))().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).message).toMatch(
      /suite\.yaml:4:\d+: targets\.t\.metrics\.url: expected an absolute URL/,
    );
  });
});
