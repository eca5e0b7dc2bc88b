import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { BIN, ROOT, runCli, tempDir, writeTemp } from "./helpers/cli.js";

/**
 * A `javascript` assertion that never returns used to block the whole run, Ctrl-C included. User
 * code now runs in a worker thread with a per-case time limit, driven here through the built CLI.
 */
async function suiteWith(timeout: string, cases: number): Promise<{ dir: string; suite: string }> {
  const dir = await tempDir();
  await writeTemp(
    dir,
    "checks.mjs",
    [
      'import { writeFileSync } from "node:fs";',
      // The marker says the function is running, so the test interrupts it mid-spin.
      'export const spins = () => { writeFileSync(new URL("./spinning", import.meta.url), ""); while (true) {} };',
      "export const says = (output) => output.length > 0;",
    ].join("\n"),
  );
  const rows = Array.from({ length: cases }, (_, i) => `  - { id: c${i}, prompt: p, vars: { q: "q${i}" } }`);
  const suite = await writeTemp(
    dir,
    "suite.yaml",
    `version: 1
name: runaway
targets:
  a: { provider: sim }
prompts:
  p: "Say {{q}}"
quality: { concurrency: 2 }
cases:
${rows.join("\n")}
  - id: runaway
    prompt: p
    vars: { q: spin }
    assert:
      - { javascript: "checks.mjs#says" }
      - { javascript: "checks.mjs#spins", timeout: ${timeout} }
`,
  );
  return { dir, suite };
}

describe("a javascript assertion that never returns", () => {
  it("fails its case at the time limit; the run finishes and scores every other case", async () => {
    const { dir, suite } = await suiteWith("1s", 3);
    const out = path.join(dir, "out");
    const r = await runCli(["run", suite, "--out", out], { timeoutMs: 60_000 });
    expect(r.code, r.stderr).toBe(0);
    const run = JSON.parse(await readFile(path.join(out, "run.json"), "utf8")) as {
      quality: {
        cases: Array<{ caseId: string; pass: boolean; assertions: Array<{ pass: boolean; reason: string }> }>;
      };
    };
    const byId = new Map(run.quality.cases.map((c) => [c.caseId, c]));
    expect([...byId.keys()].sort()).toEqual(["c0", "c1", "c2", "runaway"]);
    expect(byId.get("runaway")!.pass).toBe(false);
    expect(byId.get("runaway")!.assertions[1]!.reason).toBe(
      "checks.mjs#spins ran longer than its time limit of 1s and was stopped (set timeout: on the assertion to allow more)",
    );
    for (const id of ["c0", "c1", "c2"]) expect(byId.get(id)!.pass).toBe(true);
  }, 90_000);

  it("does not stop Ctrl-C: the run exits 130 promptly while the function spins", async () => {
    const { dir, suite } = await suiteWith("10m", 0);
    const child = spawn(process.execPath, [BIN, "run", suite, "--out", path.join(dir, "out")], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: "1", GAUNTLET_CACHE_DIR: path.join(dir, "cache") },
    });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    for (let i = 0; i < 300 && !existsSync(path.join(dir, "spinning")); i++)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect(existsSync(path.join(dir, "spinning")), stderr).toBe(true);
    const signalled = Date.now();
    child.kill("SIGINT");
    const kill = setTimeout(() => child.kill("SIGKILL"), 20_000);
    const code = await exited;
    clearTimeout(kill);
    const exitMs = Date.now() - signalled;
    expect(code, stderr).toBe(130);
    // The 2 s grace for in-flight work, then the worker is terminated; generous for a busy box.
    expect(exitMs).toBeLessThan(15_000);
  }, 90_000);
});
