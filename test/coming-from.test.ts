import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, tempDir, writeTemp } from "./helpers/cli.js";

/**
 * What k6 users type, through the built CLI: `error_rate: "< 1"` (100%, not 1%) warns and still
 * runs; `--users`, `--rate` and `--duration` reshape the load phases; `--concurrency` still sets
 * quality calls but says it was renamed. (promptfoo's syntax and did-you-mean: the bad-suite corpus.)
 */
const SUITE = `version: 1
name: k6-user
targets:
  a: { provider: sim, sim: { ttft_ms: 100, itl_ms: 1, output_tokens: 1, max_batch: 64, jitter: 0 } }
prompts: { p: hi }
cases: [{ id: c1, prompt: p }]
load:
  - { name: users, concurrency: 1, duration: 20s }
  - { name: arrivals, rate: 1, arrival: constant, duration: 20s }
thresholds:
  error_rate: "< 1"
`;

interface RunJson {
  phases: Array<{ phase: string; requests: number; windowStartUs: number; windowEndUs: number }>;
}

describe("coming from k6", () => {
  it('warns that error_rate "< 1" means 100%, with the line, and still validates', async () => {
    const suite = await writeTemp(await tempDir(), "suite.yaml", SUITE);
    const { code, stderr } = await runCli(["validate", suite]);
    expect(code, stderr).toBe(0);
    expect(stderr).toContain(
      `gauntlet: warning: ${suite}:11:15: thresholds.error_rate: "< 1" reads 1 as a fraction, so the limit is 100%`,
    );
    expect(stderr).toContain('write "< 1%" for one per cent');
  });

  it("--users, --rate and --duration reshape the closed and open loops; --concurrency notes its new name", async () => {
    const dir = await tempDir();
    const suite = await writeTemp(dir, "suite.yaml", SUITE);
    const out = path.join(dir, "out");
    const started = Date.now();
    const { code, stderr } = await runCli(
      [
        "run",
        suite,
        "--only",
        "load",
        "--users",
        "4",
        "--rate",
        "20",
        "--duration",
        "1s",
        "--concurrency",
        "2",
        "--out",
        out,
      ],
      { timeoutMs: 60_000 },
    );
    expect(code, stderr).toBe(0);
    // Both phases were 20 s long in the suite: the override ends them after one.
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(stderr).toContain("gauntlet: note: --concurrency is now --quality-concurrency");
    const run = JSON.parse(await readFile(path.join(out, "run.json"), "utf8")) as RunJson;
    const users = run.phases.find((p) => p.phase === "users");
    const arrivals = run.phases.find((p) => p.phase === "arrivals");
    // 4 users of 100 ms requests send about 40 in 1 s (one user about 10); 20/s constant sends 20.
    expect(users?.requests).toBeGreaterThan(14);
    expect(arrivals?.requests).toBeGreaterThanOrEqual(19);
    expect(arrivals?.requests).toBeLessThanOrEqual(21);
  });

  it("validate shows which statistic a k6-style threshold judges, with the line as written", async () => {
    const suite = await writeTemp(
      await tempDir(),
      "suite.yaml",
      SUITE.replace('error_rate: "< 1"', 'ttft: ["p(95)<200", "avg<100"]\n  "e2e.p99{phase:users}": "< 1s"'),
    );
    const { code, stdout } = await runCli(["validate", suite]);
    expect(code).toBe(0);
    expect(stdout).toContain("  ttft.p95 < 200ms (as written: ttft: p(95)<200)\n");
    expect(stdout).toContain("  ttft.mean < 100ms (as written: ttft: avg<100)\n");
    // A key that names its statistic is shown once.
    expect(stdout).toContain("  e2e.p99{phase:users} < 1000ms");
    expect(stdout).not.toContain("as written: e2e");
  });

  it("a load flag that reaches no phase is a usage error (exit 2), naming the phases", async () => {
    const suite = await writeTemp(
      await tempDir(),
      "suite.yaml",
      SUITE.replace(/ {2}- \{ name: arrivals.*\n/, ""),
    );
    const { code, stderr } = await runCli(["run", suite, "--rate", "5"]);
    expect(code).toBe(2);
    expect(stderr).toContain(
      "--rate applies to open loop phases, and the suite has none (load phases: users (closed loop))",
    );
  });
});
