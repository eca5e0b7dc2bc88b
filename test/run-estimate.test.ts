import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli, tempDir, writeTemp } from "./helpers/cli.js";

/** A suite whose load phases take minutes, on a simulator target and an unreachable one. */
const SUITE = `version: 1
name: long
targets:
  s: { provider: sim, model: m, sim: { ttft_ms: 200, itl_ms: 20, output_tokens: 64, max_batch: 8, faults: { http_500: 0.05 } } }
  gone: { provider: openai-chat, base_url: "http://127.0.0.1:9/v1", model: m }
prompts: { p: "hi" }
cases: [{ prompt: p }]
load:
  - { name: soak, concurrency: 4, duration: 2m, targets: [gone] }
  - { name: short, rate: 2, duration: 10s, targets: [s] }
`;

describe("how long a run will take, said before it starts", () => {
  let suite: string;
  let dir: string;
  beforeAll(async () => {
    dir = await tempDir();
    suite = await writeTemp(dir, "suite.yaml", SUITE);
  });

  it("validate shows the estimated duration and the simulator's behaviour", async () => {
    const r = await runCli(["validate", suite]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      "estimated duration: load phases about 2m 10s (2 phase run(s), targets one after another), at most 4m 40s with every time limit; quality calls come first and are not estimated",
    );
    expect(r.stdout).toContain(
      "s: sim m @ in-process simulator (simulator: ttft 200ms, itl 20ms, 64 tokens, max batch 8, faults http_500 5%)",
    );
  });

  it("run announces load phases longer than a minute before sending anything", async () => {
    const r = await runCli(
      ["run", suite, "--only", "load", "--target", "gone", "--out", path.join(dir, "out")],
      {
        timeoutMs: 60_000,
      },
    );
    expect(r.stderr).toContain(
      "gauntlet: load phases take about 2m (at most 4m with every time limit); `gauntlet validate` shows each phase",
    );
    // The one target is unreachable: the run ends at once, after the note.
    expect(r.code).toBe(3);
  });

  it("stays quiet about a run under a minute", async () => {
    const r = await runCli(
      ["run", suite, "--only", "load", "--target", "s", "--duration", "1s", "--out", path.join(dir, "short")],
      {
        timeoutMs: 60_000,
      },
    );
    expect(r.stderr).not.toContain("load phases take about");
  });
});
