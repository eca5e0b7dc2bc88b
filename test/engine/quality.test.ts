// Quality against the real llama.cpp engine: suites/llama-cpp-quantization.yaml on all 2,000 held-out
// prompts, F16 against Q8_0, Q4_K_M and Q2_K, each served by its own llama.cpp server. Every expectation
// comes from the engine's own outputs (eval.mjs, run straight through llama.cpp), never from Gauntlet.
import { mkdtemp, readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { parse } from "yaml";
import { newcombeP } from "../../src/stats/gate.js";
import { holm } from "../../src/stats/multiplicity.js";
import { parseThreshold } from "../../src/thresholds/parse.js";
import { failingSide } from "../../src/thresholds/significance.js";
import { ROOT, runCli, type CliResult } from "../helpers/cli.js";
import {
  readPredictions,
  startEngineServer,
  VARIANTS,
  type EngineServer,
  type Prediction,
  type Variant,
} from "./engine.js";

const engine = inject("engine");
const SUITE = path.join(ROOT, "suites/llama-cpp-quantization.yaml");
const TARGET: Record<Variant, string> = { F16: "f16", Q8_0: "q8_0", Q4_K_M: "q4_k_m", Q2_K: "q2_k" };
const CANDIDATES = ["Q8_0", "Q4_K_M", "Q2_K"] as const;

/** The parts of run.json this test reads. */
interface RunJson {
  quality: {
    cases: Array<{ caseId: string; target: string; output: string; pass: boolean; error?: string }>;
  };
  comparisons: Array<{
    baseline: { target: string; passed: number; cases: number };
    candidate: { target: string; passed: number; cases: number };
    matched: number;
    mcnemar: { b: number; c: number; pValue: number };
    delta: { difference: number };
    flips: { regressions: Array<{ caseId: string }>; improvements: Array<{ caseId: string }> };
  }>;
  thresholds: Array<{ key: string; pass: boolean; reason: string }>;
}

/** McNemar's exact two-sided p on b and c discordant pairs: 2 P(X <= min(b, c)), X ~ Bin(b + c, 1/2). */
function mcnemarExactP(b: number, c: number): number {
  const n = b + c;
  let term = 0.5 ** n;
  let sum = term;
  for (let i = 1; i <= Math.min(b, c); i++) {
    term *= (n - i + 1) / i;
    sum += term;
  }
  return Math.min(1, 2 * sum);
}

/** What the engine's own outputs say about a candidate against F16, and the verdict they imply. */
interface Expected {
  passed: number;
  regressions: string[];
  improvements: string[];
  delta: number;
  p: number;
  fails: boolean;
}

let servers: Partial<Record<Variant, EngineServer>> = {};
const truth = {} as Record<Variant, Map<string, Prediction>>;
const expected = {} as Record<(typeof CANDIDATES)[number], Expected>;
let out = "";
let first: CliResult;
let run: RunJson;

beforeAll(async () => {
  // The suite's own delta threshold: it fails a candidate whose interval lies wholly beyond the limit,
  // its p-value Holm-adjusted over the candidates (the statistics are checked on their own in src/stats).
  const suite = parse(await readFile(SUITE, "utf8")) as {
    thresholds: Record<string, string>;
    compare: { alpha: number };
  };
  const gate = parseThreshold("compare.pass_rate_delta", suite.thresholds["compare.pass_rate_delta"] ?? "");
  const side = failingSide(gate.op);
  if (!side) throw new Error("the suite's compare.pass_rate_delta threshold has no failing side");

  for (const v of VARIANTS) truth[v] = await readPredictions(engine.truth[v]);
  const base = truth.F16;
  const gateP = new Map<string, number>();
  for (const c of CANDIDATES) {
    const ids = [...base.keys()].sort();
    const regressions = ids.filter((id) => base.get(id)!.correct && !truth[c].get(id)!.correct);
    const improvements = ids.filter((id) => !base.get(id)!.correct && truth[c].get(id)!.correct);
    const passed = ids.filter((id) => truth[c].get(id)!.correct).length;
    const delta = (improvements.length - regressions.length) / ids.length;
    const p = mcnemarExactP(regressions.length, improvements.length);
    const both = ids.filter((id) => base.get(id)!.correct && truth[c].get(id)!.correct).length;
    const table = {
      bothPass: both,
      baselineOnly: regressions.length,
      candidateOnly: improvements.length,
      bothFail: ids.length - both - regressions.length - improvements.length,
    };
    gateP.set(c, newcombeP(table, gate.limit, side));
    expected[c] = { passed, regressions, improvements, delta, p, fails: false };
  }
  const adjusted = holm(CANDIDATES.map((c) => gateP.get(c)!));
  CANDIDATES.forEach((c, i) => (expected[c].fails = adjusted[i]! < suite.compare.alpha));

  const started = await Promise.all(VARIANTS.map((v) => startEngineServer(engine.dir, v)));
  servers = Object.fromEntries(VARIANTS.map((v, i) => [v, started[i]]));
  const vars = ["--var", `CASES=${engine.heldout}`];
  for (const v of VARIANTS) {
    vars.push("--var", `${v}_URL=${servers[v]!.baseUrl}`);
    vars.push("--var", `${v}_MODEL=${servers[v]!.model}`);
  }
  // runCli gives the run an empty response cache: every answer is a request to the engine.
  out = await mkdtemp(path.join(os.tmpdir(), "gauntlet-engine-quality-"));
  const t0 = Date.now();
  first = await runCli(["run", SUITE, ...vars, "--out", out]);
  console.log(
    `engine quality: 4 x ${base.size} prompts in ${((Date.now() - t0) / 1000).toFixed(1)} s\n${first.stdout}`,
  );
  run = JSON.parse(await readFile(path.join(out, "run.json"), "utf8")) as RunJson;
}, 540_000);

afterAll(async () => {
  await Promise.all(Object.values(servers).map((s) => s.stop()));
});

describe("llama.cpp quantizations of the toy model, 2,000 held-out prompts", () => {
  it.each(VARIANTS)("%s: Gauntlet's answer to every case is the engine's own output", (v) => {
    const cases = run.quality.cases.filter((c) => c.target === TARGET[v]);
    expect(cases.map((c) => c.caseId).sort()).toEqual([...truth[v].keys()].sort());
    const differing = cases
      .filter((c) => c.error !== undefined || c.output !== truth[v].get(c.caseId)!.output)
      .map((c) => ({
        id: c.caseId,
        gauntlet: c.output,
        engine: truth[v].get(c.caseId)!.output,
        error: c.error,
      }));
    // The count and the first few, so a wholesale break reads in a screen.
    expect({ differing: differing.length, first: differing.slice(0, 5) }).toEqual({
      differing: 0,
      first: [],
    });
    const misjudged = cases.filter((c) => c.pass !== truth[v].get(c.caseId)!.correct).map((c) => c.caseId);
    expect({ misjudged: misjudged.length, first: misjudged.slice(0, 5) }).toEqual({
      misjudged: 0,
      first: [],
    });
  });

  it.each(CANDIDATES)(
    "%s vs F16: the flips are exactly the prompts whose engine outputs differ in correctness",
    (c) => {
      const cmp = run.comparisons.find((x) => x.candidate.target === TARGET[c]);
      expect(cmp?.baseline.target).toBe("f16");
      expect(cmp?.matched).toBe(truth.F16.size);
      const ids = (flips: Array<{ caseId: string }>) => flips.map((f) => f.caseId).sort();
      expect(ids(cmp!.flips.regressions)).toEqual(expected[c].regressions);
      expect(ids(cmp!.flips.improvements)).toEqual(expected[c].improvements);
      expect(cmp!.mcnemar.b).toBe(expected[c].regressions.length);
      expect(cmp!.mcnemar.c).toBe(expected[c].improvements.length);
      expect(cmp!.mcnemar.pValue).toBeCloseTo(expected[c].p, 12);
      expect(cmp!.delta.difference).toBeCloseTo(expected[c].delta, 12);
      expect(cmp!.candidate.passed).toBe(expected[c].passed);
      console.log(
        `engine quality: ${c} vs F16: ${cmp!.candidate.passed} vs ${cmp!.baseline.passed} of ${cmp!.matched}, ` +
          `${expected[c].regressions.length} regressions / ${expected[c].improvements.length} improvements, ` +
          `delta ${(expected[c].delta * 100).toFixed(2)}pp, McNemar p=${expected[c].p.toPrecision(3)}`,
      );
    },
  );

  it("the engine's own outputs show a drop for Q2_K, and for neither Q8_0 nor Q4_K_M", () => {
    // The premise of the README's worked example, from the engine alone.
    expect(expected.Q2_K.fails).toBe(true);
    expect(expected.Q8_0.fails).toBe(false);
    expect(expected.Q4_K_M.fails).toBe(false);
  });

  it("the suite's delta threshold fails on the candidates the engine says dropped (exit 99)", () => {
    const failing = CANDIDATES.filter((c) => expected[c].fails);
    expect(first.code, first.stderr.slice(-2000)).toBe(failing.length > 0 ? 99 : 0);
    const verdict = run.thresholds.find((t) => t.key === "compare.pass_rate_delta");
    expect(verdict?.pass).toBe(failing.length === 0);
    // Per candidate, the verdict's own words: "q2_k: observed ... → fail".
    for (const c of CANDIDATES) {
      const part = verdict!.reason.split("; ").find((s) => s.startsWith(`${TARGET[c]}: observed`));
      expect(part, verdict!.reason).toMatch(expected[c].fails ? /→ fail$/ : /→ pass$/);
    }
  });

  it.each(CANDIDATES)(
    "F16 and %s alone (gauntlet compare on the saved run): exit 0 or 99 as the engine says",
    async (c) => {
      const saved = path.join(out, "run.json");
      const pair = await runCli([
        "compare",
        saved,
        saved,
        "--baseline-target",
        "f16",
        "--candidate-target",
        TARGET[c],
      ]);
      expect(pair.code, pair.stdout + pair.stderr).toBe(expected[c].fails ? 99 : 0);
    },
  );
});
