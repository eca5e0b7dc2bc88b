import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, startSimProcess, tempDir, writeTemp, type SimProcess } from "./helpers/cli.js";

interface Sweep {
  capacityRps?: number;
  steps: Array<{ label: string; rate?: number; sloPass: boolean; achievedRps: number }>;
}

// The simulator admits 4 requests at a time, each taking 20 ms + 9 x 5 ms = 65 ms: its capacity is
// 4 / 0.065 s = 61.5 requests/s, whatever the client does.
const CAPACITY = 4 / 0.065;

describe("sweep to capacity at SLO", () => {
  let sim: SimProcess;
  let sweep: Sweep;
  let stdout: string;

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
    arrival: constant
    duration: 2s
    max_in_flight: 64
`,
    );
    const out = path.join(dir, "out");
    const result = await runCli(["run", suite, "--out", out, "--only", "load"]);
    expect(result.code, result.stderr).toBe(0);
    // Each of the sweep's phases releases its listeners on the run's signals.
    expect(result.stderr).not.toContain("MaxListenersExceededWarning");
    stdout = result.stdout;
    sweep = (JSON.parse(await readFile(path.join(out, "run.json"), "utf8")) as { sweeps: Sweep[] })
      .sweeps[0]!;
  }, 90_000);

  afterAll(async () => {
    await sim?.stop();
  });

  it("runs synchronous, saturation, then rates past saturation, then bisects", () => {
    const labels = sweep.steps.map((s) => s.label);
    expect(labels.slice(0, 2)).toEqual(["synchronous", "saturation"]);
    const rates = sweep.steps.filter((s) => s.rate !== undefined);
    expect(rates.length).toBe(4 + 3);
    expect(rates.some((s) => !s.sloPass)).toBe(true);
    // Saturation throughput is the server's capacity, measured.
    expect(sweep.steps[1]!.achievedRps).toBeGreaterThan(CAPACITY * 0.85);
    expect(sweep.steps[1]!.achievedRps).toBeLessThan(CAPACITY * 1.05);
  });

  it("finds the known capacity within 10%", () => {
    expect(sweep.capacityRps).toBeDefined();
    expect(Math.abs(sweep.capacityRps! - CAPACITY) / CAPACITY).toBeLessThan(0.1);
    expect(stdout).toMatch(/capacity at SLO: \d+\.\d\d req\/s/);
  });
});
