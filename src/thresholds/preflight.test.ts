import { describe, expect, it } from "vitest";
import { parseSuiteText } from "../config/load-suite.js";
import { buildPlan } from "../config/plan.js";
import { preflightPlan, type RunScope } from "../config/planned-run.js";

async function plan(thresholds: Record<string, string>, opts: { cases?: boolean; load?: boolean } = {}) {
  const lines = [
    "version: 1",
    "name: preflight",
    "targets:",
    "  a: { provider: sim, pricing: { output_per_mtok: 1 } }",
    "  b: { provider: sim }",
    'prompts: { p: "hi" }',
    opts.cases === false ? "cases: []" : "cases: [{ id: c1, prompt: p }]",
    opts.load === false
      ? "load: []"
      : [
          "load:",
          "  - { name: steady, rate: 5, duration: 1s }",
          "  - { name: only-b, concurrency: 1, requests: 3, targets: [b] }",
          '  - { name: cap, sweep: { slo: { "ttft.p95": "< 300ms" } } }',
        ].join("\n"),
    "compare: { baseline: a, candidates: [b] }",
    "thresholds:",
    ...Object.entries(thresholds).map(([k, v]) => `  "${k}": "${v}"`),
  ];
  return buildPlan(parseSuiteText("suite.yaml", lines.join("\n") + "\n", {}));
}

describe("preflightThresholds over the registry's needs", () => {
  it.each<[string, string, RunScope, { cases?: boolean; load?: boolean }, string]>([
    ["quality.pass_rate", ">= 0.9", { only: "load" }, {}, "--only load runs no quality cases"],
    ["quality.pass_rate", ">= 0.9", {}, { cases: false }, "the suite has no cases"],
    ["compare.flips", "< 5%", { targets: ["b"] }, {}, 'the compare baseline "a" is not in this run'],
    ["compare.flips{candidate:b}", "< 5%", { targets: ["a"] }, {}, "no compare candidate (b) is in this run"],
    ["ttft.p95{target:b}", "< 1s", { targets: ["a"] }, {}, 'target "b" is not in this run (--target a)'],
    ["ttft.p95{phase:steady}", "< 1s", { only: "quality" }, {}, '--only quality does not run phase "steady"'],
    ["ttft.p95{phase:quality}", "< 1s", { only: "load" }, {}, "--only load runs no quality cases"],
    ["ttft.p95{phase:only-b,target:a}", "< 1s", {}, {}, 'phase "only-b" does not run on a'],
    ["ttft.p95", "< 1s", {}, { cases: false, load: false }, "the suite has no cases and no load phases"],
    ["ttft.p95", "< 1s", { only: "quality" }, { cases: false }, "the suite has no cases"],
    ["cost.per_request", "< 0.01", {}, {}, "target b has no pricing"],
  ])("%s %s with %j is an error: %s", async (key, expr, scope, shape, message) => {
    const problems = preflightPlan(await plan({ [key]: expr }, shape), scope);
    expect(problems).toEqual([
      { key, message: `threshold ${key} can get no samples: ${message}`, reason: message },
    ]);
  });

  it.each<[string, string, RunScope]>([
    ["quality.pass_rate", ">= 0.9", {}],
    ["ttft.p95", "< 1s", { only: "load" }],
    ["ttft.p95{phase:quality}", "< 1s", { only: "quality" }],
    ["ttft.p95{phase:only-b,target:b}", "< 1s", {}],
    ["error_rate{phase:steady}", "< 1%", { targets: ["a"] }],
    ["cost.per_request{target:a}", "< 0.01", {}],
    ["compare.flips{candidate:b}", "< 5%", {}],
    ["requests", "> 0", {}],
    // A phase tag naming a sweep selects its steps.
    ["ttft.p95{phase:cap}", "< 1s", { only: "load" }],
  ])("%s %s with %j can be measured", async (key, expr, scope) => {
    expect(preflightPlan(await plan({ [key]: expr }), scope)).toEqual([]);
  });
});

describe("a delta gate on clustered or repeated cases", () => {
  const suite = (cases: string) =>
    buildPlan(
      parseSuiteText(
        "suite.yaml",
        `version: 1
name: clusters
targets: { a: { provider: sim }, b: { provider: sim } }
prompts: { p: "{{q}}" }
cases:
${cases}
compare: { baseline: a, candidates: [b] }
thresholds:
  "compare.pass_rate_delta": "> -2pp"
  "compare.pass_rate_delta.ci_low": "> -2pp"
  "compare.flips": "< 10%"
`,
        {},
      ),
    );
  const rows = (n: number, extra: (i: number) => string) =>
    Array.from({ length: n }, (_, i) => `  - { id: c${i}, prompt: p, vars: { q: "${i}" }${extra(i)} }`).join(
      "\n",
    );

  it("is an error before anything is sent with fewer than 5 clusters, and a plain metric is not", async () => {
    const problems = preflightPlan(await suite(rows(40, (i) => `, cluster: "t${i % 4}"`)));
    const reason =
      "the cases form 4 clusters, fewer than the 5 a cluster-robust interval needs (cases sharing a cluster, or the runs of a repeated case, count once)";
    const message = (key: string) => ({
      key,
      message: `threshold ${key} can get no samples: ${reason}`,
      reason,
    });
    expect(problems).toEqual([message("compare.pass_rate_delta"), message("compare.pass_rate_delta.ci_low")]);
  });

  it.each([
    ["one cluster", rows(10, () => ", cluster: same"), 1],
    ["three repeated cases", rows(3, () => ", repeat: 4"), 3],
  ])("counts %s as %i", async (_name, cases, clusters) => {
    const [first] = preflightPlan(await suite(cases));
    expect(first!.message).toContain(`the cases form ${clusters} cluster`);
  });

  it.each([
    ["5 templates", rows(20, (i) => `, cluster: "t${i % 5}"`)],
    ["5 repeated cases", rows(5, () => ", repeat: 2")],
    ["independent cases", rows(3, () => "")],
  ])("can be judged with %s", async (_name, cases) => {
    expect(preflightPlan(await suite(cases))).toEqual([]);
  });
});
