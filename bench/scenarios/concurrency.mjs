// Concurrency: how many streams each client holds open at once with dispatch delay p99 under 5 ms.
// Streams at 1 s TTFT and 1 s ITL (events stay modest) arrive evenly over a ramp; each lasts longer
// than the ramp, so at its end every stream is open. Levels step up until the target.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { readRequests, runGauntlet } from "../gauntlet-client.mjs";
import { startSim } from "../processes.mjs";
import { runRaw } from "../raw-runner.mjs";
import { peakOverlap, percentile } from "../stats.mjs";

/** One level: both clients against one simulator. */
async function level(dir, streams) {
  const at = path.join(dir, `concurrency-${streams}`);
  // Arrivals at no more than 1,000/s (each a new connection), over at least 5 s.
  const rampS = Math.max(5, streams / 1000);
  const tokens = rampS + 3;
  const rate = streams / rampS;
  const limitMs = (rampS + tokens + 90) * 1000;
  const sim = await startSim([
    "--ttft-ms",
    "1000",
    "--itl-ms",
    "1000",
    "--output-tokens",
    String(tokens),
    "--max-batch",
    String(streams * 2),
  ]);
  let g;
  let r;
  try {
    g = await runGauntlet(
      sim.url,
      {
        name: `concurrency-${streams}`,
        rate,
        arrival: "constant",
        duration: `${rampS}s`,
        max_in_flight: streams + 16,
        synthetic: { input_tokens: 8, output_tokens: tokens },
      },
      at,
      limitMs,
    );
    r = await runRaw(
      {
        url: sim.url,
        rate,
        durationS: rampS,
        maxInFlight: streams + 16,
        maxTokens: tokens,
        keepTimes: true,
        out: path.join(at, "raw-requests.ndjson"),
      },
      at,
      limitMs,
    );
  } finally {
    await sim.stop();
  }
  const gRows = await readRequests(g.out, (l) => ({
    ok: l.ok,
    delayMs: l.dispatch_delay_ms,
    open: [l.start_us + (l.dispatch_delay_ms ?? 0) * 1000, l.start_us + (l.e2e_ms ?? 0) * 1000],
  }));
  const raw = (await readFile(path.join(at, "raw-requests.ndjson"), "utf8"))
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l));
  const gauntlet = {
    ok: gRows.filter((x) => x.ok).length,
    peak: peakOverlap(gRows.filter((x) => x.ok).map((x) => x.open)),
    delayP99: percentile(
      gRows.map((x) => x.delayMs ?? 0),
      99,
    ),
  };
  const rawFig = {
    ok: raw.length - r.summary.failures,
    peak: peakOverlap(raw.map((x) => [x.sentUs, x.times.at(-1) ?? x.endUs])),
    delayP99: percentile(
      raw.map((x) => (x.sentUs - x.startUs) / 1000),
      99,
    ),
  };
  return { gauntlet, raw: rawFig };
}

/** @returns {Promise<object[]>} result rows */
export async function concurrency({ dir, quick, levels: asked }) {
  const levels = asked ?? (quick ? [1000, 2500] : [1000, 2500, 5000, 10000]);
  const rows = [];
  const best = { gauntlet: 0, raw: 0 };
  for (const streams of levels) {
    const res = await level(dir, streams);
    for (const who of ["gauntlet", "raw"]) {
      const f = res[who];
      if (f.ok === streams && f.delayP99 < 5) best[who] = Math.max(best[who], f.peak);
    }
    const s = `concurrency ${streams}`;
    rows.push(
      {
        scenario: s,
        figure: "streams completed",
        gauntlet: res.gauntlet.ok,
        raw: res.raw.ok,
        target: String(streams),
        pass: res.gauntlet.ok === streams,
        digits: 0,
      },
      {
        scenario: s,
        figure: "streams open at once",
        gauntlet: res.gauntlet.peak,
        raw: res.raw.peak,
        target: "(info)",
        digits: 0,
      },
      {
        scenario: s,
        figure: "dispatch delay p99 (ms)",
        gauntlet: res.gauntlet.delayP99,
        raw: res.raw.delayP99,
        target: "< 5",
        pass: res.gauntlet.delayP99 < 5,
      },
    );
  }
  rows.push({
    scenario: "concurrency",
    figure: "most streams open, dispatch p99 < 5 ms",
    gauntlet: best.gauntlet,
    raw: best.raw,
    target: ">= 10,000",
    pass: best.gauntlet >= 10_000,
    digits: 0,
  });
  return rows;
}
