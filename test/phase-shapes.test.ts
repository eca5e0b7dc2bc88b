import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { interruptRun, runCli, tempDir, writeTemp } from "./helpers/cli.js";

const HEAD = `version: 1
name: shapes
targets: { t: { provider: sim, model: m, sim: { ttft_ms: 5, itl_ms: 1, output_tokens: 4 } } }
prompts: { p: "hi" }
cases: [{ prompt: p }]
`;

async function suiteWith(load: string): Promise<{ dir: string; suite: string }> {
  const dir = await tempDir();
  return { dir, suite: await writeTemp(dir, "suite.yaml", `${HEAD}load:\n${load}\n`) };
}

interface Phase {
  phase: string;
  requests: number;
  successes: number;
}

describe("a phase of stages alone is a ramp of users from 0", () => {
  // It used to be read as an open loop at rate NaN that never yielded: `run` hung for ever.
  const load = "  - { name: ramp, stages: [{ to: 20, over: 2s }], max_in_flight: 16 }";

  it("validate shows it as one", async () => {
    const { suite } = await suiteWith(load);
    const result = await runCli(["validate", suite], { timeoutMs: 30_000 });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(
      "  ramp: ramp of users, 0 → 20 over 2s, for 2s, at most 16 users, time limit 32s",
    );
  }, 40_000);

  it("run ramps the users up and completes", async () => {
    const { dir, suite } = await suiteWith(load);
    const out = path.join(dir, "out");
    const result = await runCli(["run", suite, "--out", out, "--only", "load", "--quiet"], {
      timeoutMs: 60_000,
    });
    expect(result.code, result.stderr).toBe(0);
    const phases = (JSON.parse(await readFile(path.join(out, "run.json"), "utf8")) as { phases: Phase[] })
      .phases;
    const ramp = phases.find((p) => p.phase === "ramp");
    // 0 to 16 users over 2 s against ~10 ms requests: hundreds of requests, every one answered.
    expect(ramp?.requests).toBeGreaterThan(50);
    expect(ramp?.successes).toBe(ramp?.requests);
  }, 70_000);
});

describe("no schedule keeps a run from stopping", () => {
  // Far more arrivals than any client sends (the most a suite may ask, see limits.ts): the open
  // loop is behind from its first arrival.
  const flood = "  - { name: flood, rate: 1000000, duration: 60s, max_in_flight: 32 }";

  it.each<{ signal: NodeJS.Signals; schedule: string; load: string }>([
    { signal: "SIGINT", schedule: "1e6 requests/s", load: flood },
    { signal: "SIGTERM", schedule: "1e6 requests/s", load: flood },
    {
      signal: "SIGTERM",
      schedule: "a zero-length stage up to 1e6 requests/s",
      load: "  - { name: jump, rate: 1, stages: [{ to: 1000000, over: 0s }], duration: 60s, max_in_flight: 32 }",
    },
  ])(
    "$signal ends a run at $schedule with exit 130",
    async ({ signal, load }) => {
      const { dir, suite } = await suiteWith(load);
      const out = path.join(dir, "out");
      const { code, stderr, exitMs } = await interruptRun(suite, out, 5, { signal, killAfterMs: 20_000 });
      expect(code, stderr).toBe(130);
      // In-flight requests get 2 s to finish; the rest is writing the reports on a busy machine.
      expect(exitMs).toBeLessThan(10_000);
    },
    60_000,
  );

  it("time_limit ends such a phase, and the run completes", async () => {
    const { dir, suite } = await suiteWith(
      "  - { name: flood, rate: 1000000, duration: 60s, time_limit: 2s, max_in_flight: 32 }",
    );
    const started = Date.now();
    const result = await runCli(["run", suite, "--out", path.join(dir, "out"), "--only", "load"], {
      timeoutMs: 40_000,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain("t/flood: hit its time limit of 2s");
    expect(Date.now() - started).toBeLessThan(30_000);
  }, 50_000);
});
