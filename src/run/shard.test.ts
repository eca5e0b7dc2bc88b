import { describe, expect, it } from "vitest";
import type { LoadPhase } from "../config/load-phase.js";
import type { Plan } from "../config/plan.js";
import { applyShard, idleShardReason, parseShard, shareOf } from "./shard.js";

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

  const common = { warmupMs: 0, timeLimitMs: 60_000, slo: [] };
  const phases: LoadPhase[] = [
    {
      ...common,
      name: "open",
      kind: "open",
      rate: 90,
      arrival: "poisson",
      durationMs: 10_000,
      maxInFlight: 10,
    },
    { ...common, name: "closed", kind: "closed", users: 5, requests: 101 },
    {
      ...common,
      name: "users",
      kind: "ramp-users",
      startUsers: 0,
      stages: [{ to: 7, overMs: 2000 }],
      durationMs: 2000,
    },
    {
      ...common,
      name: "rates",
      kind: "ramp-rate",
      startRate: 30,
      stages: [{ to: 60, overMs: 2000 }],
      durationMs: 2000,
      arrival: "constant",
    },
    {
      ...common,
      name: "sweep",
      kind: "sweep",
      capacitySlo: [],
      rates: [30, 90],
      steps: 2,
      refine: 0,
      stepDurationMs: 1000,
      minStepRequests: 100,
      maxStepMs: 4000,
      arrival: "constant",
    },
  ];
  const plan = {
    seed: 10,
    cases: Array.from({ length: 7 }, (_, i) => ({ id: `c${i}` })),
    load: phases,
  } as unknown as Plan;
  const shards = [1, 2, 3].map((index) => applyShard(plan, { index, count: 3 }));
  const phase = <K extends LoadPhase["kind"]>(p: Plan, name: string, kind: K) => {
    const found = p.load.find((x) => x.name === name);
    if (found?.kind !== kind) throw new Error(`no ${kind} phase ${name}`);
    return found as Extract<LoadPhase, { kind: K }>;
  };

  it("splits rate, users, requests and max_in_flight, deals cases round-robin, offsets the seed", () => {
    expect(shards.map((p) => phase(p, "open", "open").rate)).toEqual([30, 30, 30]);
    expect(shards.map((p) => phase(p, "open", "open").maxInFlight)).toEqual([4, 3, 3]);
    expect(shards.map((p) => phase(p, "closed", "closed").users)).toEqual([2, 2, 1]);
    expect(shards.map((p) => phase(p, "closed", "closed").requests)).toEqual([34, 34, 33]);
    expect(shards.flatMap((p) => p.cases.map((c) => c.id)).sort()).toEqual(
      plan.cases.map((c) => c.id).sort(),
    );
    expect(new Set(shards.map((p) => p.seed)).size).toBe(3);
    expect(phase(plan, "open", "open").rate).toBe(90); // the input plan is not mutated
  });

  it("splits ramps stage by stage (users exactly, rates by n) and a sweep's rates; defaults stay per process", () => {
    expect(shards.map((p) => phase(p, "users", "ramp-users").stages[0]!.to)).toEqual([3, 2, 2]);
    expect(shards.map((p) => phase(p, "users", "ramp-users").startUsers)).toEqual([0, 0, 0]);
    expect(shards.map((p) => phase(p, "rates", "ramp-rate").startRate)).toEqual([10, 10, 10]);
    expect(shards.map((p) => phase(p, "rates", "ramp-rate").stages[0]!.to)).toEqual([20, 20, 20]);
    expect(shards.map((p) => phase(p, "sweep", "sweep").rates)).toEqual([
      [10, 30],
      [10, 30],
      [10, 30],
    ]);
    // No max_in_flight set: each shard keeps the per-process default.
    expect(shards.map((p) => phase(p, "rates", "ramp-rate").maxInFlight)).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });

  it("load phases on every shard cycle every case; quality cases are dealt", () => {
    // Seven cases over three shards: 3, 2 and 2 quality cases, but all seven request bodies each.
    expect(shards.map((p) => p.cases.length)).toEqual([3, 2, 2]);
    for (const p of shards) expect(p.loadCases).toEqual(plan.cases);
    // A shard of a shard still cycles the suite's cases.
    expect(applyShard(shards[2]!, { index: 2, count: 2 }).loadCases).toEqual(plan.cases);
  });

  describe("a shard with nothing to do", () => {
    const two = { ...plan, targets: [{ name: "t" }], cases: plan.cases.slice(0, 2) } as unknown as Plan;
    const closed = { ...common, name: "one", kind: "closed" as const, users: 1, durationMs: 1000 };
    const shard = { index: 3, count: 4 };
    it.each<[string, Plan, { only?: "quality" | "load" }, string | undefined]>([
      [
        "quality only, no case dealt",
        two,
        { only: "quality" },
        "no quality case (2 dealt round-robin over 4 shards)",
      ],
      [
        "one user, no case dealt",
        { ...two, load: [closed] },
        {},
        "no quality case (2 dealt round-robin over 4 shards) and no load phase (each one's share of users or requests here is 0)",
      ],
      ["load: every shard has a share of a rate", two, { only: "load" }, undefined],
      ["load without phases", { ...two, load: [] }, { only: "load" }, "the suite has no load phases"],
    ])("%s", (_name, whole, scope, reason) => {
      const got = idleShardReason(applyShard(whole, shard), whole, shard, scope);
      expect(got).toBe(reason === undefined ? undefined : `shard 3/4 has nothing to do: ${reason}`);
    });
  });

  it("leaves out a phase whose share is no users or no requests", () => {
    const tiny = applyShard(
      { ...plan, load: [{ ...common, name: "one", kind: "closed", users: 1, durationMs: 1000 }] },
      { index: 2, count: 2 },
    );
    expect(tiny.load).toEqual([]);
  });

  it("deals a replay's rows in turn (after its requests bound), each keeping its time", () => {
    const rows = Array.from({ length: 8 }, (_, i) => ({
      line: i + 1,
      atMs: i * 100,
      inputTokens: 3,
      outputTokens: 2,
    }));
    const replay: LoadPhase = {
      ...common,
      name: "replay",
      kind: "replay",
      trace: { file: "t.jsonl", shape: "gauntlet", rows, spanMs: 700 },
      speed: 2,
      requests: 7,
      maxInFlight: 5,
    };
    const dealt = [1, 2, 3].map((index) => applyShard({ ...plan, load: [replay] }, { index, count: 3 }));
    const got = dealt.map((p) => phase(p, "replay", "replay"));
    expect(got.map((r) => r.trace.rows.map((row) => row.atMs))).toEqual([
      [0, 300, 600],
      [100, 400],
      [200, 500],
    ]);
    expect(got.map((r) => [r.trace.spanMs, r.requests, r.speed, r.maxInFlight])).toEqual([
      [600, undefined, 2, 2],
      [400, undefined, 2, 2],
      [500, undefined, 2, 1],
    ]);
    // A shard dealt no row leaves the phase out.
    expect(applyShard({ ...plan, load: [{ ...replay, requests: 1 }] }, { index: 2, count: 2 }).load).toEqual(
      [],
    );
  });
});
