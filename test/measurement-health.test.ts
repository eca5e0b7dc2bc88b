import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PhaseHealth } from "../src/record/measurement-health.js";
import {
  runCli,
  startSimProcess,
  tempDir,
  writeTemp,
  type CliResult,
  type SimProcess,
} from "./helpers/cli.js";

interface RunJson {
  phases: Array<{ phase: string; measurement?: PhaseHealth }>;
  thresholds: Array<{ key: string; pass: boolean; reason: string }>;
}

/**
 * The two runs are far apart on purpose, so a busy box cannot blur them: a quiet one (two streams,
 * tokens 50 ms apart: no gap comes near 0.1 ms) and one that buries the client (1,000 streams of a
 * server that writes at once, so every read holds many chunks and the client's loop falls behind).
 */
async function run(sim: SimProcess, load: string): Promise<{ cli: CliResult; json: RunJson; md: string }> {
  const dir = await tempDir();
  const suite = await writeTemp(
    dir,
    "suite.yaml",
    `version: 1
name: health
targets:
  t: { provider: openai-chat, base_url: "${sim.url}", model: m }
prompts: { p: "hello" }
cases: [{ id: a, prompt: p }]
load:
  - ${load}
thresholds:
  "itl.p50": "< 10s"
`,
  );
  const out = path.join(dir, "out");
  const cli = await runCli(["run", suite, "--out", out, "--only", "load"], { timeoutMs: 90_000 });
  const json = JSON.parse(await readFile(path.join(out, "run.json"), "utf8")) as RunJson;
  const md = await readFile(path.join(out, "summary.md"), "utf8");
  return { cli, json, md };
}

describe("measurement health through the built CLI", () => {
  let quietSim: SimProcess;
  let floodSim: SimProcess;

  beforeAll(async () => {
    quietSim = await startSimProcess(["--ttft-ms", "20", "--itl-ms", "50", "--output-tokens", "8"]);
    floodSim = await startSimProcess(["--ttft-ms", "0", "--itl-ms", "0", "--output-tokens", "32"]);
  });

  afterAll(async () => {
    await quietSim?.stop();
    await floodSim?.stop();
  });

  it("a quiet client vouches for its ITL", async () => {
    const { cli, json, md } = await run(quietSim, "{ name: quiet, concurrency: 2, duration: 2s }");
    expect(cli.code, cli.stderr).toBe(0);
    const h = json.phases.find((p) => p.phase === "quiet")!.measurement!;
    expect(h.client.itlGaps).toBeGreaterThan(20);
    expect(h.client.coalescedItlGaps / h.client.itlGaps).toBeLessThan(0.1);
    expect(h.metrics.itl, JSON.stringify(h)).toMatchObject({ reliable: true });
    expect(json.thresholds[0]!.reason).not.toContain("unreliable");
    expect(md).toContain("### Measurement health");
    expect(cli.stdout).toMatch(/✓ [^\n]*ITL[^\n]* reliable \(event loop /);
  }, 60_000);

  it("a flooded client says its ITL is unreliable, why, and what to do", async () => {
    const { cli, json, md } = await run(floodSim, "{ name: flood, concurrency: 1000, duration: 3s }");
    expect(cli.code, cli.stderr).toBe(0);
    const h = json.phases.find((p) => p.phase === "flood")!.measurement!;
    expect(h.client.coalescedItlGaps / h.client.itlGaps).toBeGreaterThan(0.5);
    expect(h.metrics.itl?.reliable).toBe(false);
    expect(h.metrics.itl?.reason).toMatch(
      /^\d+% of gaps coalesced while the client's event loop lagged [\d.]+ ms at p99.*; run fewer streams per process or use --shard$/,
    );
    // The threshold still passes, and says what it rests on.
    expect(json.thresholds[0]).toMatchObject({ key: "itl.p50", pass: true });
    expect(json.thresholds[0]!.reason).toContain("; ITL unreliable in t/flood: ");
    expect(cli.stdout).toContain("ITL unreliable: ");
    expect(md).toMatch(/\| t \| flood \| event loop [^|]+\| [^|]*ITL unreliable: /);
  }, 90_000);
});
