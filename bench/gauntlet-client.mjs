// Gauntlet's side of each scenario: the real `gauntlet run` (built CLI, openai-chat provider, load
// executor, metrics, requests.ndjson and run.json) on a generated suite, in its own probed process.
import { createReadStream } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { createInterface } from "node:readline";
import { BIN, runProbed } from "./processes.mjs";

/**
 * Runs one load phase against `url`. `phase` is the suite's phase object (name, concurrency or
 * rate, duration/requests, warmup, synthetic...); `extraArgs` go after `gauntlet run`'s own.
 * Resolves with the phase's run.json aggregate, the probe, and the out directory.
 */
export async function runGauntlet(url, phase, dir, timeoutMs, extraArgs = []) {
  await mkdir(dir, { recursive: true });
  const suite = {
    version: 1,
    name: `bench-${phase.name}`,
    targets: { sim: { provider: "openai-chat", base_url: url, model: "m" } },
    load: [phase],
  };
  const file = path.join(dir, "suite.json.yaml");
  // JSON is YAML: no YAML writer needed.
  await writeFile(file, JSON.stringify(suite, null, 2));
  const out = path.join(dir, "out");
  const res = await runProbed(
    [BIN, "run", file, "--only", "load", "--quiet", "--out", out, ...extraArgs],
    path.join(dir, "probe.json"),
    timeoutMs,
  );
  if (res.code !== 0) throw new Error(`gauntlet run exited ${res.code}: ${res.stderr.slice(0, 2000)}`);
  const run = JSON.parse(await readFile(path.join(out, "run.json"), "utf8"));
  return { phase: run.phases[0], probe: res.probe, out, stderr: res.stderr };
}

/** Reads requests.ndjson line by line, keeping only what `pick` returns (undefined = skip). */
export async function readRequests(out, pick) {
  const rows = [];
  const lines = createInterface({ input: createReadStream(path.join(out, "requests.ndjson")) });
  for await (const line of lines) {
    if (!line) continue;
    const row = pick(JSON.parse(line));
    if (row !== undefined) rows.push(row);
  }
  return rows;
}
