import { describe, expect, it } from "vitest";
import { parseSuiteText } from "../config/load-suite.js";
import { buildPlan } from "../config/plan.js";
import { selectRun } from "./run-options.js";
import { shardWork } from "./run-shard.js";

const SUITE = `version: 1
name: shards
targets: { a: { provider: sim } }
prompts: { p: "hi" }
cases: [{ id: c1, prompt: p }, { id: c2, prompt: p }]
load:
  - { name: steady, concurrency: 8, duration: 1s }
thresholds:
  "quality.pass_rate": ">= 0.9"
  "ttft.p95{phase:steady}": "< 300ms"
  "goodput{phase:steady}": "> 10"
  "requests": "> 100"
`;

const work = async (shard: string, only?: string) => {
  const plan = await buildPlan(parseSuiteText("suite.yaml", SUITE, {}));
  return shardWork(selectRun(plan, { shard, ...(only ? { only } : {}) }), plan);
};
const keysOf = (w: Awaited<ReturnType<typeof work>>) =>
  "run" in w ? w.run.plan.thresholds.map((t) => t.key) : [];

describe("shardWork", () => {
  it("leaves to merge what a shard's share cannot sample and what adds up over shards", async () => {
    const w = await work("3/4");
    expect("run" in w && w.leftToMerge.map((p) => p.key)).toEqual([
      "quality.pass_rate",
      "goodput{phase:steady}",
      "requests",
    ]);
    // Percentiles are judged on each shard: its requests sample the same distribution.
    expect(keysOf(w)).toEqual(["ttft.p95{phase:steady}"]);
  });

  it("a shard dealt a case judges its quality; the whole run judges everything", async () => {
    expect(keysOf(await work("1/2"))).toEqual(["quality.pass_rate", "ttft.p95{phase:steady}"]);
    expect(keysOf(await work("1/1"))).toHaveLength(4);
  });

  it("a shard with nothing to do says why", async () => {
    expect(await work("3/4", "quality")).toEqual({
      idle: "shard 3/4 has nothing to do: no quality case (2 dealt round-robin over 4 shards)",
    });
  });
});
