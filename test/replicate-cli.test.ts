import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TruthRecord } from "../src/sim/truth-log.js";
import {
  runCli,
  startSimProcess,
  tempDir,
  readJsonLines,
  writeTemp,
  type CliResult,
  type SimProcess,
} from "./helpers/cli.js";

const KEY = "r8_planted_replicate_key_4d3c2b1a";

/** A replicate target against the simulator in its own process: create calls, then streams. */
describe("provider: replicate through the built CLI", () => {
  let sim: SimProcess;
  let dir: string;
  let cli: CliResult;
  let truth: TruthRecord[];

  beforeAll(async () => {
    dir = await tempDir();
    const truthFile = path.join(dir, "truth.jsonl");
    sim = await startSimProcess([
      "--ttft-ms",
      "100",
      "--itl-ms",
      "5",
      "--output-tokens",
      "12",
      "--truth",
      truthFile,
    ]);
    const suite = await writeTemp(
      dir,
      "suite.yaml",
      `version: 1
name: replicate
targets:
  llama:
    provider: replicate
    base_url: "${sim.url}"
    model: meta/meta-llama-3-8b-instruct
    api_key: "\${REPLICATE_API_TOKEN}"
    params: { max_tokens: 12 }
prompts: { p: "hello" }
cases: [{ id: a, prompt: p }]
load:
  - { name: steady, concurrency: 4, requests: 20 }
`,
    );
    cli = await runCli(["run", suite, "--out", path.join(dir, "out")], {
      env: { REPLICATE_API_TOKEN: KEY },
      timeoutMs: 60_000,
    });
    await sim.stop();
    truth = await readJsonLines<TruthRecord>(truthFile);
  });
  afterAll(async () => sim?.stop());

  it("streams every request and records each, with TTFT from the create call's start", async () => {
    expect(cli.code, cli.stderr).toBe(0);
    const lines = await readJsonLines<{ ok: boolean; ttft_ms: number; output_tokens: number }>(
      path.join(dir, "out", "requests.ndjson"),
    );
    expect(lines).toHaveLength(21);
    const streamed = truth.filter((t) => t.endpoint === "/v1/predictions/stream");
    expect(streamed).toHaveLength(21);
    for (const l of lines) {
      expect(l.ok).toBe(true);
      // The simulator's first token comes 100 ms after the stream's GET is admitted, which is after the create call.
      expect(l.ttft_ms).toBeGreaterThanOrEqual(100);
    }
    expect(streamed.every((t) => t.maxTokens === 12 && t.completionTokens === 12)).toBe(true);
  });

  it("never shows the API token in any output", async () => {
    const files = ["run.json", "summary.md", "report.html", "requests.ndjson", "cases.csv"];
    const texts = [
      cli.stdout,
      cli.stderr,
      ...(await Promise.all(files.map((f) => readFile(path.join(dir, "out", f), "utf8")))),
    ];
    for (const t of texts) expect(t).not.toContain("planted_replicate");
  });
});
