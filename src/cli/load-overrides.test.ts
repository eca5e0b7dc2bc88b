import { describe, expect, it } from "vitest";
import { parseSuiteText } from "../config/load-suite.js";
import { buildPlan } from "../config/plan.js";
import { applyLoadOverrides } from "./load-overrides.js";

const SUITE = `version: 1
name: overrides
targets: { a: { provider: sim } }
prompts: { p: "hi" }
cases: [{ id: c1, prompt: p }]
load:
  - { name: users, concurrency: 4, duration: 5s, warmup: 1s }
  - { name: arrivals, rate: 10, requests: 50 }
  - { name: ramp, stages: [{ to: 8, over: 2s }] }
`;

const loaded = () => parseSuiteText("suite.yaml", SUITE, {});

describe("applyLoadOverrides", () => {
  it("sets users of closed loops, the rate of open loops and both their durations, never ramps", async () => {
    const before = loaded();
    const copy = structuredClone(before.suite);
    const after = applyLoadOverrides(before, { users: "16", rate: "25", duration: "30s" });
    expect(before.suite).toEqual(copy);
    const plan = await buildPlan(after);
    const [users, arrivals, ramp] = plan.load;
    expect(users).toMatchObject({ kind: "closed", users: 16, durationMs: 30_000 });
    expect(arrivals).toMatchObject({ kind: "open", rate: 25, durationMs: 30_000, requests: 50 });
    expect(ramp).toEqual((await buildPlan(before)).load[2]);
  });

  it.each([
    [{ users: "0" }, "--users expects a positive integer, got 0"],
    [{ users: "1e6" }, "--users 1e6: at most 100,000"],
    [{ rate: "fast" }, "--rate expects a positive number of requests per second, got fast"],
    [{ duration: "soon" }, "--duration expects a duration such as 30s or 2m, got soon"],
    [{ duration: "200h" }, "--duration 200h: at most 7 days"],
  ])("%j is a usage error", (opts, message) => {
    expect(() => applyLoadOverrides(loaded(), opts)).toThrow(message);
  });

  it("refuses a flag that reaches no phase, naming the phases", () => {
    const suite = parseSuiteText("s.yaml", SUITE.replace(/ {2}- \{ name: arrivals.*\n/, ""), {});
    expect(() => applyLoadOverrides(suite, { rate: "5" })).toThrow(
      "--rate applies to open loop phases, and the suite has none (load phases: users (closed loop), ramp (ramp of users))",
    );
  });
});
