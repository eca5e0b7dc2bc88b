import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, startSimProcess, tempDir, writeTemp, type SimProcess } from "./helpers/cli.js";

interface Line {
  phase: string;
  warmup?: boolean;
  ok: boolean;
  start_us: number;
  ttft_ms: number;
}
interface Phase {
  phase: string;
  requests: number;
  dropped: number;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

// The simulator admits 4 requests at a time and each takes ~65 ms: capacity is ~60 requests/s.
describe("load phases against a server whose batching limit is exceeded", () => {
  let sim: SimProcess;
  let lines: Line[];
  let phases: Phase[];

  beforeAll(async () => {
    const dir = await tempDir();
    sim = await startSimProcess([
      "--ttft-ms",
      "20",
      "--itl-ms",
      "5",
      "--output-tokens",
      "10",
      "--max-batch",
      "4",
    ]);
    const suite = await writeTemp(
      dir,
      "suite.yaml",
      `version: 1
name: load
seed: 11
targets:
  t: { provider: openai-chat, base_url: "${sim.url}", model: m }
prompts: { p: "hello {{n}}" }
cases:
  - { id: a, prompt: p, vars: { n: 1 } }
  - { id: b, prompt: p, vars: { n: 2 } }
load:
  - { name: open, rate: 120, arrival: poisson, duration: 1s }
  - { name: closed, concurrency: 8, duration: 1s }
  - { name: capped, rate: 200, arrival: constant, duration: 1s, max_in_flight: 6 }
  - { name: warm, concurrency: 4, duration: 1s, warmup: 0.4s }
thresholds:
  "dropped{phase:capped}": "== 0"
`,
    );
    const out = path.join(dir, "out");
    const result = await runCli(["run", suite, "--out", out, "--only", "load", "--quiet"]);
    // The capped phase drops arrivals, so its threshold fails: exit 99, naming it.
    expect(result.code, result.stderr).toBe(99);
    expect(result.stderr).toContain("threshold failed: dropped{phase:capped}");
    lines = (await readFile(path.join(out, "requests.ndjson"), "utf8"))
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Line);
    phases = (JSON.parse(await readFile(path.join(out, "run.json"), "utf8")) as { phases: Phase[] }).phases;
  }, 60_000);

  afterAll(async () => {
    await sim?.stop();
  });

  const byStart = (phase: string) =>
    lines.filter((l) => l.phase === phase).sort((a, b) => a.start_us - b.start_us);
  const quarters = (xs: Line[]) => {
    const q = Math.floor(xs.length / 4);
    return {
      first: mean(xs.slice(0, q).map((l) => l.ttft_ms)),
      last: mean(xs.slice(-q).map((l) => l.ttft_ms)),
    };
  };

  it("open loop: ttft, timed from the scheduled start, grows as the server's queue grows", () => {
    const open = byStart("open");
    expect(open.length).toBeGreaterThan(90);
    expect(open.every((l) => l.ok)).toBe(true);
    const { first, last } = quarters(open);
    expect(last).toBeGreaterThan(3 * first);
  });

  it("closed loop at the same load: the users wait for each other, so ttft stays bounded", () => {
    const closed = byStart("closed");
    const { first, last } = quarters(closed);
    expect(last).toBeLessThan(2 * first + 20);
    expect(mean(closed.map((l) => l.ttft_ms))).toBeLessThan(mean(byStart("open").map((l) => l.ttft_ms)) / 3);
  });

  it("arrivals over max_in_flight are dropped and counted, never queued", () => {
    const capped = phases.find((p) => p.phase === "capped")!;
    expect(capped.dropped).toBeGreaterThan(50);
    expect(capped.requests + capped.dropped).toBe(200);
    expect(byStart("capped")).toHaveLength(capped.requests);
  });

  it("warmup requests are reported but left out of the aggregates", () => {
    const warm = lines.filter((l) => l.phase === "warm");
    const flagged = warm.filter((l) => l.warmup);
    expect(flagged.length).toBeGreaterThan(0);
    expect(phases.find((p) => p.phase === "warm")!.requests).toBe(warm.length - flagged.length);
  });
});
