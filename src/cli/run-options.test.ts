import { describe, expect, it } from "vitest";
import { parseSuiteText } from "../config/load-suite.js";
import { buildPlan } from "../config/plan.js";
import { selectRun } from "./run-options.js";

const SUITE = `version: 1
name: options
seed: 7
targets: { a: { provider: sim }, b: { provider: sim } }
prompts: { p: "hi" }
cases: [{ id: c1, prompt: p }, { id: c2, prompt: p }]
`;

const plan = () => buildPlan(parseSuiteText("suite.yaml", SUITE, {}));

describe("selectRun", () => {
  it("applies --concurrency, --seed, --shard, --target and --only without touching the plan", async () => {
    const p = await plan();
    const before = structuredClone(p);
    const run = selectRun(p, { concurrency: "3", seed: "11", shard: "2/2", target: ["b"], only: "quality" });
    expect(run.plan.qualityConcurrency).toBe(3);
    // --seed replaces the suite's; shard 2 then offsets it by one (see applyShard).
    expect(run.plan.seed).toBe(12);
    expect(run.shard).toEqual({ index: 2, count: 2 });
    expect(run.plan.cases.length).toBeLessThan(p.cases.length);
    expect(run.targets).toEqual(["b"]);
    expect(run.only).toBe("quality");
    expect(p).toEqual(before);
  });

  it("takes --quality-concurrency as the new name of --concurrency", async () => {
    expect(selectRun(await plan(), { qualityConcurrency: "5" }).plan.qualityConcurrency).toBe(5);
  });

  it("with no options, runs the plan as it is", async () => {
    const p = await plan();
    expect(selectRun(p, {})).toEqual({ plan: p });
  });

  it.each([
    [{ target: ["c"] }, "--target c: no such target (targets: a, b)"],
    [{ concurrency: "0" }, "--concurrency expects a positive integer, got 0"],
    [{ concurrency: "1e9" }, "--concurrency 1e9: at most 10,000"],
    [{ qualityConcurrency: "0" }, "--quality-concurrency expects a positive integer, got 0"],
    [{ qualityConcurrency: "2", concurrency: "2" }, "--concurrency is the old name of --quality-concurrency"],
    [{ only: "both" }, "--only expects quality or load, got both"],
    [{ seed: "1.5" }, "--seed expects an integer, got 1.5"],
    [{ shard: "3/2" }, "--shard expects i/n with 1 <= i <= n, got 3/2"],
  ])("%j is a usage error", async (opts, message) => {
    const p = await plan();
    expect(() => selectRun(p, opts)).toThrow(message);
  });
});
