import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { RunResult } from "../src/record/run-result.js";
import { runCli, tempDir, writeTemp } from "./helpers/cli.js";

describe("abort_on_fail", () => {
  it("stops the run early when a marked threshold fails, exits 3 and still writes the reports", async () => {
    const dir = await tempDir();
    const suite = await writeTemp(
      dir,
      "suite.yaml",
      `version: 1
name: abort
targets:
  t: { provider: sim, sim: { ttft_ms: 30, itl_ms: 5, output_tokens: 4 } }
prompts: { p: "hello" }
cases: [{ prompt: p }]
load:
  - { name: long, concurrency: 4, duration: 30s }
thresholds:
  "ttft.p95{phase:long}":
    - { threshold: "< 1ms", abort_on_fail: true, delay_abort_eval: 1s }
`,
    );
    const out = path.join(dir, "out");
    const started = Date.now();
    const r = await runCli(["run", suite, "--out", out, "--only", "load"]);
    expect(r.code, r.stderr).toBe(3);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(r.stderr).toContain("aborted: threshold ttft.p95{phase:long} failed (abort_on_fail)");
    const run = JSON.parse(await readFile(path.join(out, "run.json"), "utf8")) as RunResult;
    expect(run.status).toBe("aborted");
    expect(run.thresholds[0]).toMatchObject({ key: "ttft.p95{phase:long}", pass: false });
    const lines = (await readFile(path.join(out, "requests.ndjson"), "utf8")).split("\n").filter(Boolean);
    expect(lines.length).toBeGreaterThan(10);
    expect(run.phases[0]!.requests).toBe(lines.length);
  });
});
