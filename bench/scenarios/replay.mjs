// Replay: a bursty trace of 10,000 requests (2,000 with --quick) replayed by `gauntlet run` against
// the simulator, at speed 1. The figure is dispatch delay (socket write minus the row's scheduled
// time) at p50 and p99, target p99 < 2 ms; also checked: one line per row, and each request's
// scheduled start equal to its row's time. The raw reference is bench/raw-replay.mjs, a minimal
// undici client sending the same trace with the same waits, against a fresh simulator of its own:
// what undici alone achieves on this box. The floor is bench/floor-replay.mjs: requests built as bytes
// ahead and written on plain sockets, no HTTP client, against a third simulator: what this box allows
// any client in Node (see its header).
import { readFile, mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { readRequests, runGauntlet } from "../gauntlet-client.mjs";
import { ROOT, runProbed, startSim } from "../processes.mjs";
import { percentile } from "../stats.mjs";

/** Each client gets a fresh simulator with these answers (20 ms TTFT, 5 ms ITL, no batch limit). */
const SIM_ARGS = ["--ttft-ms", "20", "--itl-ms", "5", "--max-batch", "4096"];

/**
 * A trace of `n` rows over about n / 500 s: a Poisson background at ~350/s with a burst every
 * 400 ms of 20 to 100 rows arriving within 2 ms of each other (seeded, so every run replays the same).
 */
function burstyTrace(n) {
  let seed = 12345;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const times = [];
  let t = 0;
  let nextBurst = 400;
  while (times.length < n) {
    t += -Math.log(1 - rnd()) * (1000 / 350);
    while (t >= nextBurst && times.length < n) {
      const size = 20 + Math.floor(rnd() * 81);
      for (let k = 0; k < size && times.length < n; k++) times.push(nextBurst + rnd() * 2);
      nextBurst += 400;
    }
    if (times.length < n) times.push(t);
  }
  times.sort((a, b) => a - b);
  return times.map((ms) => ({
    timestamp: Number(ms.toFixed(3)),
    input_tokens: 16 + Math.floor(rnd() * 200),
    output_tokens: 2 + Math.floor(rnd() * 6),
  }));
}

/**
 * Runs a reference client (`raw`: bench/raw-replay.mjs, `floor`: bench/floor-replay.mjs) on `trace`
 * against a simulator of its own; resolves with each row's dispatch delay (ms).
 */
async function referenceReplay(which, trace, at, timeoutMs) {
  const out = path.join(at, `${which}.ndjson`);
  const sim = await startSim(SIM_ARGS);
  let res;
  try {
    const cfg = { url: sim.url, trace, maxInFlight: 1024, connections: 256, out };
    res = await runProbed(
      [path.join(ROOT, `bench/${which}-replay.mjs`), JSON.stringify(cfg)],
      path.join(at, `${which}-probe.json`),
      timeoutMs,
    );
  } finally {
    await sim.stop();
  }
  if (res.code !== 0) throw new Error(`${which} replay exited ${res.code}: ${res.stderr.slice(0, 2000)}`);
  const lines = (await readFile(out, "utf8")).split("\n").filter(Boolean);
  return lines.map((l) => {
    const r = JSON.parse(l);
    return { delayMs: (r.sentUs - r.startUs) / 1000, startUs: r.startUs, ok: r.ok };
  });
}

/**
 * Where the delay comes from: the phase's first second (cold code, first use of each connection)
 * and the rows of a burst (10 rows due within 2 ms), each sent after those due before it. Returns
 * the delays (ms) of the rows after the first second and of the rows in no burst.
 */
function whereLate(rows) {
  const originUs = Math.min(...rows.map((l) => l.startUs));
  const warm = rows.filter((l) => l.startUs - originUs >= 1e6).map((l) => l.delayMs ?? 0);
  const inBurst = new Set();
  const sorted = [...rows].sort((a, b) => a.startUs - b.startUs);
  for (let i = 0; i + 9 < sorted.length; i++)
    if (sorted[i + 9].startUs - sorted[i].startUs <= 2_000)
      for (let k = i; k <= i + 9; k++) inBurst.add(sorted[k]);
  const calm = rows.filter((l) => !inBurst.has(l)).map((l) => l.delayMs ?? 0);
  return { warm, calm };
}

/** @returns {Promise<object[]>} result rows */
export async function replay({ dir, quick }) {
  const n = quick ? 2_000 : 10_000;
  const at = path.join(dir, "replay");
  const rows = burstyTrace(n);
  await mkdir(at, { recursive: true });
  const trace = path.join(at, "trace.jsonl");
  await writeFile(trace, rows.map((r) => JSON.stringify(r)).join("\n") + "\n");
  const spanS = rows[rows.length - 1].timestamp / 1000;
  const sim = await startSim(SIM_ARGS);
  let g;
  try {
    g = await runGauntlet(
      sim.url,
      { name: "replay", replay: trace, max_in_flight: 1024 },
      at,
      (spanS + 120) * 1000,
    );
  } finally {
    await sim.stop();
  }
  const raw = await referenceReplay("raw", trace, at, (spanS + 120) * 1000);
  const floor = await referenceReplay("floor", trace, at, (spanS + 120) * 1000);
  const rawDelays = raw.map((r) => r.delayMs);
  const floorDelays = floor.map((r) => r.delayMs);
  const lines = await readRequests(g.out, (l) => ({
    ok: l.ok,
    delayMs: l.dispatch_delay_ms,
    startUs: l.start_us,
  }));
  const originUs = Math.min(...lines.map((l) => l.startUs));
  // Each scheduled start against its row's time (rows sent in order of their times: sort both).
  const starts = lines.map((l) => l.startUs - originUs).sort((a, b) => a - b);
  // Gauntlet rebases a trace to its first row.
  const t0 = rows[0].timestamp;
  const offBy = starts.reduce((m, s, i) => Math.max(m, Math.abs(s - (rows[i].timestamp - t0) * 1000)), 0);
  const delays = lines.map((l) => l.delayMs ?? 0);
  const late = whereLate(lines);
  const rawLate = whereLate(raw);
  const floorLate = whereLate(floor);
  const s = `replay ${n.toLocaleString("en-US")}`;
  return [
    {
      scenario: s,
      figure: "requests recorded",
      gauntlet: lines.length,
      target: String(n),
      pass: lines.length === n,
      digits: 0,
    },
    {
      scenario: s,
      figure: "of them ok",
      gauntlet: lines.filter((l) => l.ok).length,
      raw: raw.filter((l) => l.ok).length,
      floor: floor.filter((l) => l.ok).length,
      target: String(n),
      pass: lines.every((l) => l.ok),
      digits: 0,
    },
    {
      scenario: s,
      figure: "scheduled start − row time, max (µs)",
      gauntlet: offBy,
      target: "≤ 1",
      pass: offBy <= 1,
    },
    {
      scenario: s,
      figure: "dispatch delay p50 (ms)",
      gauntlet: percentile(delays, 50),
      raw: percentile(rawDelays, 50),
      floor: percentile(floorDelays, 50),
      target: "(info)",
    },
    {
      scenario: s,
      figure: "dispatch delay p99 (ms)",
      gauntlet: percentile(delays, 99),
      raw: percentile(rawDelays, 99),
      floor: percentile(floorDelays, 99),
      target: "< 2",
      pass: percentile(delays, 99) < 2,
    },
    {
      scenario: s,
      figure: "rows sent 2 ms or more late",
      gauntlet: delays.filter((d) => d >= 2).length,
      raw: rawDelays.filter((d) => d >= 2).length,
      floor: floorDelays.filter((d) => d >= 2).length,
      target: `≤ ${n / 100} (p99)`,
      pass: delays.filter((d) => d >= 2).length <= n / 100,
      digits: 0,
    },
    {
      scenario: s,
      figure: "dispatch delay p99 after the first second (ms)",
      gauntlet: percentile(late.warm, 99),
      raw: percentile(rawLate.warm, 99),
      floor: percentile(floorLate.warm, 99),
      target: "(info)",
    },
    {
      scenario: s,
      figure: "dispatch delay p99, rows not in a burst (ms)",
      gauntlet: percentile(late.calm, 99),
      raw: percentile(rawLate.calm, 99),
      floor: percentile(floorLate.calm, 99),
      target: "(info)",
    },
    {
      scenario: s,
      figure: "dispatch delay max (ms)",
      gauntlet: Math.max(...delays),
      raw: Math.max(...rawDelays),
      floor: Math.max(...floorDelays),
      target: "(info)",
    },
  ];
}
