import { describe, expect, it } from "vitest";
import { ConfigError, type ConfigIssue } from "../errors.js";
import type { LoadPhase } from "./load-phase.js";
import { phaseMaxInFlight } from "./load-phase.js";
import { parseSuiteText } from "./load-suite.js";
import { buildPlan } from "./plan.js";

const HEAD = [
  "version: 1",
  "name: phases",
  "targets: { a: { provider: sim }, b: { provider: sim } }",
  'prompts: { p: "hi" }',
  "cases: [{ prompt: p }]",
  "load:",
];

/** The suite with `phases` (YAML flow maps, one per line) as its load section. */
const suiteText = (...phases: string[]) => [...HEAD, ...phases.map((p) => `  - ${p}`)].join("\n") + "\n";

async function phasesOf(...phases: string[]): Promise<LoadPhase[]> {
  return (await buildPlan(parseSuiteText("suite.yaml", suiteText(...phases), {}))).load;
}

/** Every issue the suite is rejected with, whether by the schema or by the plan. */
async function issuesOf(...phases: string[]): Promise<ConfigIssue[]> {
  try {
    await buildPlan(parseSuiteText("suite.yaml", suiteText(...phases), {}));
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).issues;
  }
  throw new Error("expected the suite to be rejected");
}

const LINE = HEAD.length + 1;
const common = { warmupMs: 0, slo: [], failFast: 20 };

describe("load phases resolve into one type per executor", () => {
  it.each<[string, string, LoadPhase]>([
    [
      "closed loop",
      "{ name: c, concurrency: 8, duration: 5s, warmup: 1s, think_time: 250ms }",
      {
        ...common,
        name: "c",
        kind: "closed",
        users: 8,
        durationMs: 5000,
        warmupMs: 1000,
        thinkTimeMs: 250,
        timeLimitMs: 35_000,
      },
    ],
    [
      "open loop (arrival defaults to poisson; requests alone: a 10 min limit)",
      "{ name: o, rate: 40, requests: 100, max_in_flight: 64 }",
      {
        ...common,
        name: "o",
        kind: "open",
        rate: 40,
        arrival: "poisson",
        requests: 100,
        maxInFlight: 64,
        timeLimitMs: 600_000,
      },
    ],
    [
      "ramp of users from concurrency",
      "{ name: u, concurrency: 2, stages: [{ to: 10, over: 1s }, { to: 4, over: 2s }] }",
      {
        ...common,
        name: "u",
        kind: "ramp-users",
        startUsers: 2,
        stages: [
          { to: 10, overMs: 1000 },
          { to: 4, overMs: 2000 },
        ],
        durationMs: 3000,
        timeLimitMs: 33_000,
      },
    ],
    [
      "stages alone: a ramp of users from 0, capped by max_in_flight",
      "{ name: ramp, stages: [{ to: 20, over: 2s }], max_in_flight: 16 }",
      {
        ...common,
        name: "ramp",
        kind: "ramp-users",
        startUsers: 0,
        stages: [{ to: 20, overMs: 2000 }],
        durationMs: 2000,
        maxInFlight: 16,
        timeLimitMs: 32_000,
      },
    ],
    [
      "ramp of rate, duration past the stages",
      "{ name: r, rate: 10, stages: [{ to: 60, over: 5s }], duration: 8s, arrival: gamma, burstiness: 0.5, time_limit: 9s }",
      {
        ...common,
        name: "r",
        kind: "ramp-rate",
        startRate: 10,
        stages: [{ to: 60, overMs: 5000 }],
        durationMs: 8000,
        arrival: "gamma",
        burstiness: 0.5,
        timeLimitMs: 9000,
      },
    ],
  ])("%s", async (_name, yaml, expected) => {
    expect(await phasesOf(yaml)).toEqual([expected]);
  });

  it("fail_fast: 20 by default, the suite's for every phase, a phase's own over it; false turns it off", async () => {
    const byDefault = await phasesOf("{ name: a, concurrency: 1, requests: 1 }");
    expect(byDefault.map((p) => p.failFast)).toEqual([20]);
    const text = suiteText(
      "{ name: a, concurrency: 1, requests: 1 }",
      "{ name: b, concurrency: 1, requests: 1, fail_fast: 5 }",
      "{ name: c, sweep: { slo: {} }, fail_fast: false }",
    );
    const plan = await buildPlan(parseSuiteText("suite.yaml", `${text}fail_fast: false\n`, {}));
    expect(plan.load.map((p) => p.failFast)).toEqual([false, 5, false]);
    expect(await issuesOf("{ name: a, concurrency: 1, requests: 1, fail_fast: 0 }")).toEqual([
      expect.objectContaining({ path: "load[0].fail_fast", line: 7 }),
    ]);
  });

  it("a sweep parses its SLO once, with its defaults", async () => {
    const [sweep] = await phasesOf('{ name: s, sweep: { slo: { "ttft.p95": "< 150ms" } }, think_time: 1s }');
    expect(sweep).toMatchObject({
      kind: "sweep",
      capacitySlo: [{ key: "ttft.p95", metric: "ttft", stat: "p95", op: "<", limit: 150 }],
      steps: 5,
      refine: 3,
      stepDurationMs: 5000,
      minStepRequests: 100,
      maxStepMs: 20_000,
      // Constant arrivals: a step is not failed by a chance burst.
      arrival: "constant",
      thinkTimeMs: 1000,
      timeLimitMs: 50_000,
    });
    expect(phaseMaxInFlight(sweep!)).toBe(256);
  });

  it("a phase's goodput SLOs are parsed once", async () => {
    const [phase] = await phasesOf(
      '{ name: c, concurrency: 1, requests: 1, slo: { ttft: "< 300ms", "e2e.p99": "< 2s" } }',
    );
    expect(phase!.slo).toEqual([
      { key: "ttft", expression: "< 300ms", metric: "ttft", op: "<", limitMs: 300 },
      { key: "e2e.p99", expression: "< 2s", metric: "e2e", op: "<", limitMs: 2000 },
    ]);
  });

  it.each<[string, LoadPhase["kind"], number]>([
    ["{ name: c, concurrency: 8, requests: 1 }", "closed", 8],
    ["{ name: c, concurrency: 8, requests: 1, max_in_flight: 3 }", "closed", 3],
    ["{ name: u, concurrency: 2, stages: [{ to: 9.5, over: 1s }] }", "ramp-users", 10],
    ["{ name: o, rate: 5, requests: 1 }", "open", 1024],
    ["{ name: r, rate: 5, stages: [{ to: 9, over: 1s }], max_in_flight: 7 }", "ramp-rate", 7],
  ])("%s holds at most %s... in flight", async (yaml, kind, most) => {
    const [phase] = await phasesOf(yaml);
    expect(phase!.kind).toBe(kind);
    expect(phaseMaxInFlight(phase!)).toBe(most);
  });
});

describe("load phases that cannot run are rejected with every problem located", () => {
  it.each<[string, string[], Array<{ path: string; message: string }>]>([
    [
      "a malformed sweep SLO (it used to pass validate and fail the run)",
      ['{ name: s, sweep: { slo: { "ttft.p95": "under 100ms" } } }'],
      [{ path: 'load[0].sweep.slo["ttft.p95"]', message: 'cannot read "under 100ms"' }],
    ],
    [
      "a sweep SLO with tags, or a metric no step measures",
      ['{ name: s, sweep: { slo: { "ttft.p95{target:a}": "< 1s", "quality.pass_rate": "> 0.9" } } }'],
      [
        { path: 'load[0].sweep.slo["ttft.p95{target:a}"]', message: "remove the tags" },
        { path: 'load[0].sweep.slo["quality.pass_rate"]', message: "not quality.pass_rate" },
      ],
    ],
    [
      "a malformed goodput SLO, and one no request has",
      ['{ name: c, concurrency: 1, requests: 1, slo: { ttft: "soon", error_rate: "< 1%" } }'],
      [
        { path: "load[0].slo.ttft", message: 'cannot read "soon"' },
        { path: "load[0].slo.error_rate", message: "an SLO names one of ttft, e2e, tpot, itl" },
      ],
    ],
    [
      "a sweep that is also given a rate and requests",
      ['{ name: s, rate: 5, requests: 9, sweep: { slo: { "ttft.p95": "< 1s" } } }'],
      [
        { path: "load[0].rate", message: "a sweep picks its own users and rates" },
        { path: "load[0].requests", message: "remove requests" },
      ],
    ],
    [
      "fields the phase's executor never reads",
      [
        "{ name: o, rate: 5, duration: 1s, think_time: 1s, burstiness: 2 }",
        "{ name: c, concurrency: 2, duration: 1s, arrival: constant }",
      ],
      [
        { path: "load[0].think_time", message: "an open loop follows its rate" },
        { path: "load[0].burstiness", message: "add arrival: gamma" },
        { path: "load[1].arrival", message: "this phase runs users" },
      ],
    ],
    [
      "stages of no length and no duration, and more users than a process holds",
      ["{ name: u, stages: [{ to: 5, over: 0s }] }", "{ name: v, concurrency: 200000, duration: 1s }"],
      [
        { path: "load[0].stages", message: "the stages last 0s in all" },
        { path: "load[1].concurrency", message: "at most 100000 requests in flight per process" },
      ],
    ],
    [
      "phases that would measure nothing: 0s long, a 0s time limit, a warmup as long as the phase or its steps",
      [
        "{ name: a, concurrency: 1, duration: 0s }",
        "{ name: b, concurrency: 1, duration: 2s, time_limit: 0s }",
        "{ name: c, rate: 5, duration: 2s, warmup: 2s }",
        '{ name: d, duration: 3s, warmup: 5s, sweep: { slo: { "ttft.p95": "< 1s" } } }',
      ],
      [
        { path: "load[0].duration", message: "a phase of 0s sends nothing" },
        { path: "load[1].time_limit", message: "a time limit of 0s ends the phase before it starts" },
        { path: "load[2].warmup", message: "the warmup (2s) lasts as long as the phase (2s)" },
        { path: "load[3].warmup", message: "the warmup (5s) lasts as long as the phase's steps (3s)" },
      ],
    ],
    [
      "rates too low to expect one measured request, on a plain and a ramped rate",
      [
        "{ name: a, rate: 0.1, duration: 5s }",
        "{ name: b, rate: 0.001, requests: 5, time_limit: 60s }",
        "{ name: c, rate: 0.01, stages: [{ to: 0.01, over: 10s }] }",
      ],
      [
        { path: "load[0].rate", message: "the measured 5s of this phase expect 0.5 requests" },
        { path: "load[1].rate", message: "the measured 1m of this phase expect 0.06 requests" },
        { path: "load[2].rate", message: "expect 0.1 requests" },
      ],
    ],
    [
      "stages that last more than a week in all",
      ["{ name: u, stages: [{ to: 5, over: 100h }, { to: 5, over: 100h }] }"],
      [{ path: "load[0].stages", message: "the stages last 200h in all: at most 7 days" }],
    ],
    [
      "a phase of no kind",
      ["{ name: x, duration: 1s }"],
      [{ path: "load[0]", message: "expected one of concurrency (closed loop), rate (open loop), stages" }],
    ],
    [
      "duplicate names and unknown targets",
      ["{ name: x, rate: 1, duration: 1s }", "{ name: x, rate: 1, duration: 1s, targets: [a, nope] }"],
      [
        { path: "load[1].name", message: 'duplicate phase name "x"' },
        { path: "load[1].targets[1]", message: 'unknown target "nope"' },
      ],
    ],
  ])("%s", async (_name, phases, expected) => {
    const issues = await issuesOf(...phases);
    expect(issues).toHaveLength(expected.length);
    for (const want of expected) {
      const issue = issues.find((i) => i.path === want.path);
      expect(issue, `no issue at ${want.path}: ${JSON.stringify(issues)}`).toBeDefined();
      expect(issue!.message).toContain(want.message);
      expect(issue!.file).toBe("suite.yaml");
      expect(issue!.line).toBeGreaterThanOrEqual(LINE);
    }
  });
});
