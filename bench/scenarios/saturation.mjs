// Saturation: 0 ms TTFT and ITL, 512 tokens per response, 256 streams for 20 s. Output tokens/s
// and the client's CPU-seconds per million tokens, over the measured window (warmup excluded).
import path from "node:path";
import { runGauntlet } from "../gauntlet-client.mjs";
import { startSim } from "../processes.mjs";
import { runRaw } from "../raw-runner.mjs";
import { cpuSecondsBetween } from "../stats.mjs";

/** @returns {Promise<object[]>} result rows */
export async function saturation({ dir, quick }) {
  const durationS = quick ? 6 : 20;
  const warmupS = 2;
  const streams = 256;
  const tokens = 512;
  const sim = await startSim([
    "--ttft-ms",
    "0",
    "--itl-ms",
    "0",
    "--output-tokens",
    String(tokens),
    "--max-batch",
    "4096",
  ]);
  try {
    const g = await runGauntlet(
      sim.url,
      {
        name: "saturation",
        concurrency: streams,
        duration: `${durationS}s`,
        warmup: `${warmupS}s`,
        synthetic: { input_tokens: 8, output_tokens: tokens },
      },
      path.join(dir, "saturation"),
      (durationS + 60) * 1000,
    );
    const gWindowS = (g.phase.windowEndUs - g.phase.windowStartUs) / 1e6;
    const gCpu = cpuSecondsBetween(g.probe, g.phase.windowStartUs, g.phase.windowEndUs);
    const r = await runRaw(
      { url: sim.url, concurrency: streams, durationS, warmupS, maxTokens: tokens },
      path.join(dir, "saturation"),
      (durationS + 60) * 1000,
    );
    const s = r.summary;
    const rWindowS = (s.windowEndUs - s.windowStartUs) / 1e6;
    const rCpu = cpuSecondsBetween(r.probe, s.windowStartUs, s.windowEndUs);
    const gTps = g.phase.outputTokens / gWindowS;
    const rTps = s.outputTokens / rWindowS;
    const gCpm = gCpu / (g.phase.outputTokens / 1e6);
    const rCpm = rCpu / (s.outputTokens / 1e6);
    return [
      {
        scenario: "saturation",
        figure: "output tokens/s",
        gauntlet: gTps,
        raw: rTps,
        target: ">= 0.7x raw",
        pass: gTps >= 0.7 * rTps,
        digits: 0,
      },
      {
        scenario: "saturation",
        figure: "client CPU-s per M tokens",
        gauntlet: gCpm,
        raw: rCpm,
        target: "<= 2",
        pass: gCpm <= 2,
      },
      {
        scenario: "saturation",
        figure: "client CPU use (cores)",
        gauntlet: gCpu / gWindowS,
        raw: rCpu / rWindowS,
        target: "(info)",
      },
      {
        scenario: "saturation",
        figure: "failed requests",
        gauntlet: g.phase.failures,
        raw: s.failures,
        target: "0",
        pass: g.phase.failures === 0,
        digits: 0,
      },
    ];
  } finally {
    await sim.stop();
  }
}
