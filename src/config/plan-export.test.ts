import { describe, expect, it } from "vitest";
import { ConfigError } from "../errors.js";
import { parseSuiteText } from "./load-suite.js";
import { otlpTracesUrl } from "./plan-export.js";
import { buildPlan } from "./plan.js";

const suite = (exportBlock: string) =>
  [
    "version: 1",
    "name: export",
    "targets: { a: { provider: sim } }",
    'prompts: { p: "hi" }',
    "cases: [{ prompt: p }]",
    exportBlock,
  ].join("\n") + "\n";

describe("otlpTracesUrl", () => {
  it.each([
    ["http://localhost:4318", "http://localhost:4318/v1/traces"],
    ["http://localhost:4318/", "http://localhost:4318/v1/traces"],
    [
      "https://cloud.langfuse.com/api/public/otel/v1/traces",
      "https://cloud.langfuse.com/api/public/otel/v1/traces",
    ],
    ["ftp://collector", undefined],
    ["not a url", undefined],
  ])("%s → %s", (raw, url) => {
    expect(otlpTracesUrl(raw)).toBe(url);
  });
});

describe("the plan's export", () => {
  it("completes the URL and treats every header value and secret query value as a secret", async () => {
    const plan = await buildPlan(
      parseSuiteText(
        "suite.yaml",
        suite(
          'export: { otlp: { url: "https://otel.example.com/v1/traces?api_key=q-secret-1", headers: { x-langfuse: "literal-secret-2" } } }',
        ),
        {},
      ),
    );
    expect(plan.export?.otlp?.url).toBe("https://otel.example.com/v1/traces?api_key=q-secret-1");
    expect(plan.secrets).toEqual(expect.arrayContaining(["q-secret-1", "literal-secret-2"]));
  });

  it("rejects an endpoint that is not http(s), located at the field", async () => {
    const err = await buildPlan(
      parseSuiteText("suite.yaml", suite('export: { otlp: { url: "ftp://collector:4318" } }'), {}),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).issues).toEqual([
      expect.objectContaining({
        line: 6,
        path: "export.otlp.url",
        message: "expected an http:// or https:// OTLP endpoint",
      }),
    ]);
  });

  it("has no export unless the suite asks for one", async () => {
    expect((await buildPlan(parseSuiteText("suite.yaml", suite(""), {}))).export).toBeUndefined();
  });
});
