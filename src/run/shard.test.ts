import { describe, expect, it } from "vitest";
import type { Plan } from "../config/plan.js";
import { applyShard, parseShard, shareOf } from "./shard.js";

describe("shards", () => {
  it.each([
    ["1/1", { index: 1, count: 1 }],
    ["2/4", { index: 2, count: 4 }],
    ["0/4", undefined],
    ["5/4", undefined],
    ["a/b", undefined],
  ])("parses %s", (text, expected) => {
    expect(parseShard(text)).toEqual(expected);
  });

  it.each([0, 1, 7, 64, 1000, 1001])("shares of %i over 1..9 shards sum exactly to the whole", (total) => {
    for (let count = 1; count <= 9; count++) {
      const shares = Array.from({ length: count }, (_, i) => shareOf(total, { index: i + 1, count }));
      expect(shares.reduce((a, b) => a + b, 0)).toBe(total);
      expect(Math.max(...shares) - Math.min(...shares)).toBeLessThanOrEqual(1);
    }
  });

  it("splits rate, concurrency, requests and max_in_flight, deals cases round-robin, offsets the seed", () => {
    const plan = {
      seed: 10,
      cases: Array.from({ length: 7 }, (_, i) => ({ id: `c${i}` })),
      load: [
        { name: "open", rate: 90, duration: "10s", max_in_flight: 10 },
        { name: "closed", concurrency: 5, requests: 101 },
      ],
    } as unknown as Plan;
    const shards = [1, 2, 3].map((index) => applyShard(plan, { index, count: 3 }));
    expect(shards.map((p) => p.load[0]!.rate)).toEqual([30, 30, 30]);
    expect(shards.map((p) => p.load[0]!.max_in_flight)).toEqual([4, 3, 3]);
    expect(shards.map((p) => p.load[1]!.concurrency)).toEqual([2, 2, 1]);
    expect(shards.map((p) => p.load[1]!.requests)).toEqual([34, 34, 33]);
    expect(shards.flatMap((p) => p.cases.map((c) => c.id)).sort()).toEqual(
      plan.cases.map((c) => c.id).sort(),
    );
    expect(new Set(shards.map((p) => p.seed)).size).toBe(3);
    expect(plan.load[0]!.rate).toBe(90); // the input plan is not mutated
  });
});
