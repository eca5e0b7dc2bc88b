// Runs bench/raw-client.mjs in its own probed process.
import path from "node:path";
import { ROOT, runProbed } from "./processes.mjs";

/** Resolves with the raw client's summary line, its probe, and its records file (when `out`). */
export async function runRaw(cfg, dir, timeoutMs) {
  const res = await runProbed(
    [path.join(ROOT, "bench/raw-client.mjs"), JSON.stringify(cfg)],
    path.join(dir, "raw-probe.json"),
    timeoutMs,
  );
  const last = res.stdout.trim().split("\n").pop() ?? "";
  if (res.code !== 0 || !last.startsWith("{"))
    throw new Error(`raw client exited ${res.code}: ${res.stderr.slice(0, 2000)}`);
  return { summary: JSON.parse(last), probe: res.probe };
}
