// Memory: a long closed-loop run at 0 ms latency with short responses (1,000,000 requests by
// default). RSS is sampled every 100 ms by the probe; it must stay flat, not grow with requests.
import { rm } from "node:fs/promises";
import path from "node:path";
import { runGauntlet } from "../gauntlet-client.mjs";
import { startSim } from "../processes.mjs";
import { runRaw } from "../raw-runner.mjs";
import { rssCurve } from "../stats.mjs";

/** @returns {Promise<object[]>} result rows */
export async function memory({ dir, quick, requests: asked }) {
  const requests = asked ?? (quick ? 100_000 : 1_000_000);
  // The raw client's RSS is a reference, flat by construction (it keeps nothing per request): a
  // fifth of the requests shows it and keeps the default bench within its time budget.
  const rawRequests = Math.min(requests, 200_000);
  const streams = 64;
  const tokens = 4;
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
  const limitMs = 20 * 60_000;
  try {
    const t0 = Date.now();
    const g = await runGauntlet(
      sim.url,
      {
        name: "memory",
        concurrency: streams,
        requests,
        time_limit: "20m",
        synthetic: { input_tokens: 8, output_tokens: tokens },
      },
      path.join(dir, "memory"),
      limitMs,
    );
    const gS = (Date.now() - t0) / 1000;
    // requests.ndjson of a 1M run is ~300 MB; it was written as the run went, which is the point.
    await rm(path.join(g.out, "requests.ndjson"), { force: true });
    const t1 = Date.now();
    const r = await runRaw(
      { url: sim.url, concurrency: streams, durationS: 3600, requests: rawRequests, maxTokens: tokens },
      path.join(dir, "memory"),
      limitMs,
    );
    const rS = (Date.now() - t1) / 1000;
    const gm = rssCurve(g.probe);
    const rm_ = rssCurve(r.probe);
    const row = (figure, key, target, pass) => ({
      scenario: "memory",
      figure,
      gauntlet: gm[key],
      raw: rm_[key],
      target,
      pass,
      digits: 0,
    });
    return [
      {
        scenario: "memory",
        figure: "requests completed",
        gauntlet: g.phase.requests,
        raw: r.summary.requests,
        target: `${requests} (raw: ${rawRequests})`,
        pass: g.phase.requests + g.phase.dropped >= requests,
        digits: 0,
      },
      {
        scenario: "memory",
        figure: "requests/s",
        gauntlet: requests / gS,
        raw: rawRequests / rS,
        target: "(info)",
        digits: 0,
      },
      row("RSS MB at 5% of run", "startMb", "(info)"),
      row("RSS MB at 50% of run", "midMb", "(info)"),
      row("peak RSS MB, 1st half", "firstHalfPeakMb", "(info)"),
      row(
        "peak RSS MB, 2nd half",
        "secondHalfPeakMb",
        "<= 1.2x 1st half",
        gm.secondHalfPeakMb <= gm.firstHalfPeakMb * 1.2,
      ),
      row("peak RSS MB", "peakOsMb", "< 400", gm.peakOsMb < 400),
    ];
  } finally {
    await sim.stop();
  }
}
