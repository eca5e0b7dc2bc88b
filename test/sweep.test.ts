import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, startSimProcess, tempDir, writeTemp, type SimProcess } from "./helpers/cli.js";

interface Sweep {
  phase: string;
  capacityRps?: number;
  capacityStep?: string;
  capacityNote?: string;
  steps: Array<{
    label: string;
    rate?: number;
    sloPass: boolean;
    achievedRps: number;
    servedShare?: number;
    requests?: number;
    durationS?: number;
    failures?: string[];
  }>;
}

// The simulator admits 4 requests at a time, each taking 20 ms + 9 x 5 ms = 65 ms: its capacity is
// 4 / 0.065 s = 61.5 requests/s, whatever the client does.
const CAPACITY = 4 / 0.065;

describe("sweep to capacity at SLO", () => {
  let sim: SimProcess;
  let sweep: Sweep;
  let sweeps: Sweep[];
  let stdout: string;
  let summary: string;

  beforeAll(async () => {
    const dir = await tempDir();
    sim = await startSimProcess([
      "--ttft-ms",
      "20",
      "--itl-ms",
      "5",
      "--output-tokens",
      "10",
      "--max-batch",
      "4",
    ]);
    const suite = await writeTemp(
      dir,
      "suite.yaml",
      `version: 1
name: sweep
targets:
  t: { provider: openai-chat, base_url: "${sim.url}", model: m }
prompts: { p: "hello" }
cases: [{ prompt: p }]
load:
  - name: capacity
    sweep: { slo: { "ttft.p95": "< 100ms" }, steps: 4, refine: 3 }
    duration: 1s
    max_in_flight: 64
  # The same sweep twice more: short steps, as suites/load-demo.yaml has, once claimed a capacity
  # above the throughput measured at saturation (74.8 vs 70.7 req/s).
  - { name: again, sweep: { slo: { "ttft.p95": "< 100ms" }, steps: 3, refine: 1 }, duration: 1s, max_in_flight: 64 }
  - { name: third, sweep: { slo: { "ttft.p95": "< 100ms" }, steps: 3, refine: 1 }, duration: 1s, max_in_flight: 64 }
  # Twice the capacity from the first rate: its lowest step fails, and says why.
  - { name: over, sweep: { slo: { "ttft.p95": "< 10s" }, rates: [120] }, duration: 1s, max_in_flight: 64 }
  - { name: steady, concurrency: 2, requests: 40 }
thresholds:
  # Untagged: the sweeps' overloaded steps (saturation at 64 users) are not pooled into it.
  "ttft.p95": "< 100ms"
`,
    );
    const out = path.join(dir, "out");
    const result = await runCli(["run", suite, "--out", out, "--only", "load"]);
    expect(result.code, result.stderr).toBe(0);
    // Each of the sweep's phases releases its listeners on the run's signals.
    expect(result.stderr).not.toContain("MaxListenersExceededWarning");
    stdout = result.stdout;
    sweeps = (JSON.parse(await readFile(path.join(out, "run.json"), "utf8")) as { sweeps: Sweep[] }).sweeps;
    sweep = sweeps[0]!;
    summary = await readFile(path.join(out, "summary.md"), "utf8");
  }, 180_000);

  afterAll(async () => {
    await sim?.stop();
  });

  it("runs synchronous, saturation, then rates past saturation, then bisects", () => {
    const labels = sweep.steps.map((s) => s.label);
    expect(labels.slice(0, 2)).toEqual(["synchronous", "saturation"]);
    const rates = sweep.steps.filter((s) => s.rate !== undefined);
    // Up to 4 rates, stopping at the first that fails, then 3 bisection steps.
    const firstFail = rates.findIndex((s) => !s.sloPass);
    expect(firstFail).toBeGreaterThanOrEqual(0);
    expect(firstFail).toBeLessThan(4);
    expect(rates.length - firstFail - 1).toBe(3);
    // Saturation throughput is the server's capacity, measured.
    expect(sweep.steps[1]!.achievedRps).toBeGreaterThan(CAPACITY * 0.85);
    expect(sweep.steps[1]!.achievedRps).toBeLessThan(CAPACITY * 1.05);
  });

  it("finds the known capacity within 10%", () => {
    expect(sweep.capacityRps).toBeDefined();
    expect(Math.abs(sweep.capacityRps! - CAPACITY) / CAPACITY).toBeLessThan(0.1);
    expect(stdout).toMatch(
      /capacity at SLO: \d+\.\d\d req\/s \((capped at [^;]+; )?step \S+rps, the highest passing rate, served/,
    );
  });

  it("never reports a capacity above the throughput it measured at saturation or at the step it cites", () => {
    const figures = sweeps.slice(0, 3).map((sw) => {
      const saturation = sw.steps.find((s) => s.label === "saturation")!;
      const cited = sw.steps.find((s) => s.label === sw.capacityStep)!;
      expect(sw.capacityRps, sw.phase).toBeDefined();
      expect(sw.capacityRps!).toBeLessThanOrEqual(saturation.achievedRps);
      expect(sw.capacityRps!).toBeLessThanOrEqual(cited.achievedRps);
      expect(sw.capacityRps!).toBeLessThanOrEqual(cited.rate!);
      return `${sw.phase}: capacity ${sw.capacityRps!.toFixed(2)} <= saturation ${saturation.achievedRps.toFixed(2)}`;
    });
    console.log(figures.join("; "));
  });

  it("runs each step long enough to judge and says why every failed step failed", () => {
    for (const sw of sweeps) {
      for (const st of sw.steps) {
        // At least its duration (1 s) and 100 requests, or its longest (4 s).
        expect(st.durationS!, `${sw.phase}/${st.label}`).toBeGreaterThanOrEqual(0.95);
        expect(st.requests! >= 100 || st.durationS! >= 3.9, `${sw.phase}/${st.label}`).toBe(true);
        if (st.rate !== undefined && !st.sloPass) expect(st.failures!.length).toBeGreaterThan(0);
      }
    }
    const failed = sweep.steps.filter((s) => s.rate !== undefined && !s.sloPass);
    expect(failed.length).toBeGreaterThan(0);
    // summary.md escapes < and > in its cells.
    const md = (text: string) => text.replaceAll("<", "&lt;").replaceAll(">", "&gt;");
    for (const st of failed) for (const why of st.failures!) expect(summary).toContain(md(why));
    expect(stdout).toContain(`${failed[0]!.label}: ${failed[0]!.failures!.join("; ")}`);
  });

  it("says which rule failed at the lowest rate when no rate passes", () => {
    const over = sweeps[3]!;
    expect(over.capacityRps).toBeUndefined();
    expect(over.capacityNote).toMatch(
      /^the lowest rate, 120\.00 req\/s \(step 120\.00rps\), failed: .*served \d+% of offered \(needs 95% or more\)/,
    );
    expect(stdout).toContain(`capacity at SLO: none: ${over.capacityNote!.slice(0, 60)}`);
    expect(summary).toContain("capacity at SLO none: the lowest rate, 120.00 req/s");
  });

  it("leaves the sweeps' steps out of an untagged threshold", () => {
    expect(stdout).not.toContain("threshold failed");
  });
});
