// Accuracy: 64 and 256 concurrent streams at 50 ms TTFT and 10 ms ITL, 128 tokens. Each client's
// measured TTFT and ITL minus the simulator's ground truth, at p50 and p99.
// The streams are held at N by evenly spaced arrivals (open loop, constant rate N / e2e): with no
// jitter, a closed loop's users finish together and resend together forever, so every request would
// sit in a burst of N simultaneous sends, and the figure would measure the burst, not the client.
import { mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import { readRequests, runGauntlet } from "../gauntlet-client.mjs";
import { startSim } from "../processes.mjs";
import { runRaw } from "../raw-runner.mjs";
import { readTruth, timingErrors } from "../truth.mjs";

const TOKENS = 128;
const TTFT_MS = 50;
const ITL_MS = 10;
const E2E_S = (TTFT_MS + (TOKENS - 1) * ITL_MS) / 1000;

/** The raw client's records as { id, ttftMs, gapsMs }. */
async function rawRows(file) {
  const rows = [];
  for (const line of (await readFile(file, "utf8")).split("\n")) {
    if (!line) continue;
    const r = JSON.parse(line);
    if (r.times.length === 0) continue;
    const gapsMs = [];
    for (let i = 1; i < r.times.length; i++) gapsMs.push((r.times[i] - r.times[i - 1]) / 1000);
    rows.push({ id: r.id, ttftMs: (r.times[0] - r.startUs) / 1000, gapsMs });
  }
  return rows;
}

/** Both clients against one simulator (one truth log); returns each client's errors. */
async function level(dir, streams, durationS, warmupS) {
  const at = path.join(dir, `accuracy-${streams}`);
  await mkdir(at, { recursive: true });
  const truthFile = path.join(at, "truth.jsonl");
  const rawFile = path.join(at, "raw-requests.ndjson");
  const limitMs = (durationS + 60) * 1000;
  const rate = Math.round((streams / E2E_S) * 100) / 100;
  const sim = await startSim(
    [
      "--ttft-ms",
      String(TTFT_MS),
      "--itl-ms",
      String(ITL_MS),
      "--output-tokens",
      String(TOKENS),
      "--max-batch",
      "4096",
    ].concat(["--truth", truthFile]),
  );
  let g;
  try {
    g = await runGauntlet(
      sim.url,
      {
        name: `accuracy-${streams}`,
        rate,
        arrival: "constant",
        max_in_flight: streams * 2,
        duration: `${durationS}s`,
        warmup: `${warmupS}s`,
        synthetic: { input_tokens: 8, output_tokens: TOKENS },
      },
      at,
      limitMs,
    );
    await runRaw(
      { url: sim.url, rate, maxInFlight: streams * 2, durationS, warmupS, maxTokens: TOKENS, out: rawFile },
      at,
      limitMs,
    );
  } finally {
    await sim.stop();
  }
  const truth = await readTruth(truthFile);
  const gRows = await readRequests(g.out, (l) =>
    l.ok && !l.warmup ? { id: l.response_id, ttftMs: l.ttft_ms, gapsMs: l.itl_ms } : undefined,
  );
  return { g: timingErrors(gRows, truth), r: timingErrors(await rawRows(rawFile), truth) };
}

/** @returns {Promise<object[]>} result rows */
export async function accuracy({ dir, quick }) {
  const durationS = quick ? 5 : 10;
  const warmupS = 2;
  const rows = [];
  for (const streams of [64, 256]) {
    const { g, r } = await level(dir, streams, durationS, warmupS);
    const s = `accuracy ${streams}`;
    const ttft50 =
      streams === 64
        ? { target: "|err| < 1 ms", pass: Math.abs(g.ttftP50) < 1 }
        : { target: "<= raw + 1 ms", pass: g.ttftP50 <= r.ttftP50 + 1 };
    const ttft99 =
      streams === 64 ? { target: "|err| < 3 ms", pass: Math.abs(g.ttftP99) < 3 } : { target: "(info)" };
    rows.push(
      {
        scenario: s,
        figure: "requests joined to truth",
        gauntlet: g.n,
        raw: r.n,
        target: "(info)",
        digits: 0,
      },
      { scenario: s, figure: "TTFT err p50 (ms)", gauntlet: g.ttftP50, raw: r.ttftP50, ...ttft50 },
      { scenario: s, figure: "TTFT err p99 (ms)", gauntlet: g.ttftP99, raw: r.ttftP99, ...ttft99 },
      { scenario: s, figure: "|ITL err| p50 (ms)", gauntlet: g.itlP50, raw: r.itlP50, target: "(info)" },
      { scenario: s, figure: "|ITL err| p99 (ms)", gauntlet: g.itlP99, raw: r.itlP99, target: "(info)" },
    );
  }
  return rows;
}
