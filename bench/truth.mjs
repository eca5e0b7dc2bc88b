// Joins client measurements to the simulator's ground-truth log (same epoch-µs clock, by response id).
import { readFile } from "node:fs/promises";
import { percentile } from "./stats.mjs";

/** Reads the simulator's truth NDJSON into a Map by response id. */
export async function readTruth(file) {
  const truth = new Map();
  for (const line of (await readFile(file, "utf8")).split("\n")) {
    if (!line) continue;
    const t = JSON.parse(line);
    truth.set(t.id, t);
  }
  return truth;
}

/**
 * Measured − true, in ms. `rows` are { id, ttftMs, gapsMs[] } from one client. True TTFT is the
 * server's first content write − its receipt of the request; true ITL gaps are the gaps between its
 * content writes. TTFT errors are signed (a client can only be late, by its own dispatch and the
 * trip over loopback); ITL errors are absolute (a late chunk lengthens one gap and shortens the next).
 */
export function timingErrors(rows, truth) {
  const ttft = [];
  const itl = [];
  let unmatched = 0;
  for (const r of rows) {
    const t = truth.get(r.id);
    if (!t || t.firstTokenUs === undefined) {
      unmatched++;
      continue;
    }
    ttft.push(r.ttftMs - (t.firstTokenUs - t.receivedUs) / 1000);
    const w = t.tokenTimesUs;
    if (r.gapsMs.length !== w.length - 1) continue;
    for (let i = 0; i < r.gapsMs.length; i++) itl.push(Math.abs(r.gapsMs[i] - (w[i + 1] - w[i]) / 1000));
  }
  return {
    n: ttft.length,
    unmatched,
    ttftP50: percentile(ttft, 50),
    ttftP99: percentile(ttft, 99),
    itlP50: percentile(itl, 50),
    itlP99: percentile(itl, 99),
  };
}
